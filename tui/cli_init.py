"""``treem init`` on a terminal: a walk-through of the commune, its villages, the first
administrator and further accounts, then one confirmation that creates the register.

Every answer is checked where it is typed, by the rule the app itself applies (the
catalogue of 2025 communes, ``check_village_name``, ``check_username``,
``check_new_password``): a wrong answer is said in Vietnamese and asked again, never a
stop. Nothing is written before the last confirmation; Ctrl+C or Ctrl+D leaves nothing.
The flags of ``treem init`` (``--commune`` ...) keep the non-interactive path for scripts.
"""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs

from libchild.text.fold import fold
from tui.domain import Role
from tui.errors import InvalidInput
from tui.messages import setup as msg
from tui.messages.labels import ROLE_NAMES

__all__ = ["Plan", "walk_through"]

#: How many communes a name search lists.
COMMUNE_CHOICES_MAX = 9

#: Roles offered for further accounts, in the admin screen's order; a trainer works only
#: on a sandbox, never on a register made by ``init``.
ACCOUNT_ROLES = tuple(r for r in Role if r is not Role.TRAINER)


@attrs.frozen
class Plan:
    """What the walk-through gathered: ``create_register``'s arguments."""

    commune: Any  # libchild.catalog.Entry
    villages: tuple[str, ...]
    admin: str
    admin_name: str
    password: str
    accounts: tuple[Any, ...]  # tui.services.registers.NewAccount


class _Stopped(Exception):
    """Ctrl+D at a prompt."""


def _shown(text: str) -> str:
    """As ``treem``'s other output: typed text cannot drive the terminal; with
    ``TREEM_ASCII=1`` glyphs PuTTY's fonts may lack are replaced."""
    from libchild.text.controls import escape_unsafe
    from tui.terminal.glyphs import ascii_wanted, to_safe

    text = escape_unsafe(text)
    return to_safe(text) if ascii_wanted() else text


def _say(text: str = "") -> None:
    """One line on standard output, escaped (see :func:`_shown`)."""
    sys.stdout.write(_shown(text) + "\n")
    sys.stdout.flush()


def _ask(prompt: str) -> str:
    try:
        return input(_shown(prompt))
    except EOFError:
        raise _Stopped() from None


def _secret(prompt: str) -> str:
    try:
        return getpass.getpass(_shown(prompt))
    except EOFError:
        raise _Stopped() from None


def _yes(prompt: str, *, default: bool) -> bool:
    while True:
        answer = fold(_ask(prompt)).strip()
        if not answer:
            return default
        if answer in {fold(w) for w in msg.YES}:
            return True
        if answer in {fold(w) for w in msg.NO}:
            return False
        _say(msg.YES_OR_NO)


def _province(cats: Any, commune: Any) -> str:
    province = cats.provinces.get(commune.parent or "")
    if province is None:
        return ""
    return f"{province.kind} {province.name}" if province.kind else province.name


def ask_commune(cats: Any) -> Any:
    """The commune, by code or by a name searched in the catalogue, confirmed."""
    _say(msg.STEP_COMMUNE)
    _say(msg.COMMUNE_HINT)
    while True:
        text = _ask(msg.ASK_COMMUNE).strip()
        if not text:
            continue
        exact = cats.communes.get(text)
        found = [exact] if exact is not None else cats.communes.find(
            text, limit=COMMUNE_CHOICES_MAX)
        if not found:
            _say(msg.COMMUNE_NONE.format(text=text))
            continue
        chosen = found[0] if len(found) == 1 else _pick_commune(cats, found)
        if chosen is None:
            continue
        _say(msg.COMMUNE_FOUND.format(name=chosen.name, province=_province(cats, chosen),
                                       code=chosen.code))
        if _yes(msg.ASK_COMMUNE_OK, default=True):
            return chosen


def _pick_commune(cats: Any, found: list[Any]) -> Any | None:
    _say(msg.COMMUNE_CHOICES)
    for n, item in enumerate(found, 1):
        _say(msg.COMMUNE_CHOICE.format(n=n, code=item.code, name=item.name,
                                        province=_province(cats, item)))
    while True:
        text = _ask(msg.ASK_COMMUNE_CHOICE).strip()
        if not text:
            return None
        if text.isdigit() and 1 <= int(text) <= len(found):
            return found[int(text) - 1]
        _say(msg.CHOOSE_NUMBER.format(count=len(found)))


def ask_villages() -> tuple[str, ...]:
    """Village names, one a line, up to an empty line; each checked as the admin screen
    checks it (empty, unsafe, too long, the same as one typed before)."""
    from tui.services.commune import check_village_name

    _say(msg.STEP_VILLAGES)
    _say(msg.VILLAGES_HINT)
    names: list[str] = []
    while True:
        text = _ask(msg.ASK_VILLAGE.format(n=len(names) + 1))
        if not text.strip():
            if names or _yes_no_villages():
                return tuple(names)
            continue
        folded = {fold(n) for n in names}
        try:
            names.append(check_village_name(text, _folds_into(folded)))
        except InvalidInput as exc:
            _say(f"  {exc}")


def _folds_into(folded: set[str]) -> Callable[[str], bool]:
    return lambda clean: fold(clean) in folded


def _yes_no_villages() -> bool:
    _say(msg.VILLAGES_NONE)
    return _yes(msg.ASK_NO_VILLAGES_OK, default=False)


def _checked(check: Callable[[str], str], prompt: str, default: str = "") -> str:
    while True:
        text = _ask(prompt).strip() or default
        try:
            return check(text)
        except InvalidInput as exc:
            _say(f"  {exc}")


def _full_name(text: str) -> str:
    from tui.services.children import refuse_unsafe_text

    refuse_unsafe_text({"full_name": text})
    name = " ".join(text.split())
    if not name:
        raise InvalidInput(msg.FULL_NAME_EMPTY.strip())
    return name


def _username(taken: set[str]) -> Callable[[str], str]:
    from tui.services.accounts import check_username

    def check(text: str) -> str:
        name = check_username(text)
        if name in taken:
            raise InvalidInput(msg.USERNAME_REPEATED.format(username=name).strip())
        return name
    return check


def ask_password(username: str, *, rule: str, prompt: str) -> str:
    """A new password typed twice, the rule said first; asked again until it holds."""
    from tui.services.accounts import MIN_PASSWORD_LENGTH, check_new_password

    _say(rule.format(length=MIN_PASSWORD_LENGTH))
    while True:
        first = _secret(prompt.format(username=username))
        try:
            check_new_password(first)
        except InvalidInput as exc:
            _say(f"  {exc}")
            continue
        if _secret(msg.ASK_PASSWORD_AGAIN) == first:
            return first
        _say(msg.PASSWORDS_DIFFER)


def _ask_role(villages: tuple[str, ...]) -> Role:
    _say(msg.ROLE_CHOICES)
    for n, role in enumerate(ACCOUNT_ROLES, 1):
        _say(msg.ROLE_CHOICE.format(n=n, name=ROLE_NAMES[role]))
    while True:
        text = _ask(msg.ASK_ROLE).strip()
        if not (text.isdigit() and 1 <= int(text) <= len(ACCOUNT_ROLES)):
            _say(msg.CHOOSE_NUMBER.format(count=len(ACCOUNT_ROLES)))
            continue
        role = ACCOUNT_ROLES[int(text) - 1]
        if role is Role.COLLABORATOR and not villages:
            _say(msg.COLLABORATOR_NO_VILLAGE)
            continue
        return role


def _ask_account_villages(villages: tuple[str, ...]) -> tuple[str, ...]:
    _say(msg.VILLAGE_CHOICES)
    for n, name in enumerate(villages, 1):
        _say(msg.VILLAGE_CHOICE.format(n=n, name=name))
    while True:
        parts = [p.strip() for p in _ask(msg.ASK_VILLAGES).replace(" ", ",").split(",")]
        picked = [p for p in parts if p]
        if picked and all(p.isdigit() and 1 <= int(p) <= len(villages) for p in picked):
            return tuple(dict.fromkeys(villages[int(p) - 1] for p in picked))
        _say(msg.VILLAGES_PICK_BAD.format(count=len(villages)))


def ask_accounts(villages: tuple[str, ...], taken: set[str]) -> tuple[Any, ...]:
    """Further accounts (user name, full name, role, villages of a collaborator,
    temporary password), as many as wanted."""
    from tui.services.registers import NewAccount

    _say(msg.STEP_ACCOUNTS)
    found: list[NewAccount] = []
    prompt = msg.ASK_MORE_ACCOUNT
    while _yes(prompt, default=False):
        username = _checked(_username(taken), msg.ASK_USERNAME)
        full_name = _checked(_full_name, msg.ASK_FULL_NAME)
        role = _ask_role(villages)
        chosen = _ask_account_villages(villages) if role is Role.COLLABORATOR else ()
        password = ask_password(username, rule=msg.TEMP_PASSWORD_RULE,
                                prompt=msg.ASK_TEMP_PASSWORD)
        found.append(NewAccount(username, full_name, role, password, chosen))
        taken.add(username)
        prompt = msg.ASK_ANOTHER_ACCOUNT
    return tuple(found)


def _summary(cats: Any, plan: Plan, path: Path) -> None:
    _say(msg.SUMMARY)
    _say(msg.SUMMARY_COMMUNE.format(name=plan.commune.name, code=plan.commune.code,
                                     province=_province(cats, plan.commune)))
    _say(msg.SUMMARY_VILLAGES.format(names=", ".join(plan.villages)) if plan.villages
          else msg.SUMMARY_NO_VILLAGES)
    _say(msg.SUMMARY_ADMIN.format(username=plan.admin, name=plan.admin_name))
    for account in plan.accounts:
        villages = (msg.SUMMARY_ACCOUNT_VILLAGES.format(names=", ".join(account.villages))
                    if account.villages else "")
        _say(msg.SUMMARY_ACCOUNT.format(username=account.username, name=account.full_name,
                                         role=ROLE_NAMES[account.role], villages=villages))
    _say(msg.SUMMARY_PATH.format(path=path))


def walk_through(path: Path, *, default_admin: str, default_admin_name: str) -> Plan | None:
    """Ask every step on the terminal; the plan confirmed, or None (cancelled). Raises
    ``KeyboardInterrupt`` on Ctrl+C, as any command."""
    from libchild import catalog

    cats = catalog.load()
    _say(msg.INTRO.format(path=path))
    try:
        commune = ask_commune(cats)
        villages = ask_villages()
        _say(msg.STEP_ADMIN)
        admin = _checked(_username(set()), msg.ASK_USERNAME_DEFAULT.format(
            default=default_admin), default_admin)
        admin_name = _checked(_full_name, msg.ASK_FULL_NAME_DEFAULT.format(
            default=default_admin_name), default_admin_name)
        password = ask_password(admin, rule=msg.PASSWORD_RULE, prompt=msg.ASK_PASSWORD)
        more = ask_accounts(villages, {admin})
        plan = Plan(commune, villages, admin, admin_name, password, more)
        _summary(cats, plan, path)
        if not _yes(msg.ASK_CREATE, default=True):
            _say(msg.CANCELLED)
            return None
    except _Stopped:
        _say()
        _say(msg.STOPPED)
        return None
    return plan
