"""The person's own keys: a keymap file of binding ids and keys, read at start.

Every binding of the app has an id (``Binding(..., id="save")``); a file
``~/.config/treem/keymap.toml`` (the user's configuration folder, or the file named by
``TREEM_KEYMAP``) can give any of them other keys, one line each::

    save = "f10"            # F10 saves the form instead of F2
    ditto = "f4,ctrl+d"     # two keys for "như trên"

Textual applies it (``App.set_keymap``). A file that cannot be read, an id the app does
not have or a key Textual cannot name is never fatal: the entries that are right are used,
the others are named in one Vietnamese message and keep their default keys.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import pkgutil
import re
import tomllib
from pathlib import Path

import attrs

from tui.messages import ui

__all__ = ["KEYMAP_ENV", "KeymapFile", "apply_keymap", "binding_ids", "keymap_path",
           "load_keymap", "normal_key", "valid_key"]

KEYMAP_ENV = "TREEM_KEYMAP"
KEYMAP_NAME = "keymap.toml"
MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
MAX_BYTES = 64 * 1024  # a keymap is a few lines; anything bigger is not one


@attrs.frozen
class KeymapFile:
    """What a keymap file gives: ``keymap`` (binding id -> keys, for ``set_keymap``) and
    ``problems`` (Vietnamese, one per entry or one for the file; empty when all is well)."""

    path: Path
    keymap: dict[str, str] = attrs.field(factory=dict)
    problems: tuple[str, ...] = ()

    def message(self) -> str:
        """One message naming the file and every problem ('' when there is none)."""
        if not self.problems:
            return ""
        return ui.KEYMAP_PROBLEMS.format(path=self.path, problems="; ".join(self.problems))


def keymap_path() -> Path:
    """The keymap file: ``TREEM_KEYMAP``, else ``keymap.toml`` in the user's configuration
    folder (``~/.config/treem`` on Linux)."""
    named = os.environ.get(KEYMAP_ENV, "").strip()
    if named:
        return Path(named).expanduser()
    from platformdirs import user_config_path

    return user_config_path("treem", appauthor=False) / KEYMAP_NAME


def normal_key(key: str) -> str:
    """``key`` as Textual names it: modifiers and key names in lower case (``Ctrl+S`` is
    ``ctrl+s``, ``F10`` is ``f10``); a single character keeps its case (``A`` is Shift+A)."""
    *mods, name = key.strip().split("+")
    return "+".join([*(m.lower() for m in mods), name if len(name) == 1 else name.lower()])


def valid_key(key: str) -> bool:
    """True when Textual can name ``key`` (``f10``, ``ctrl+s``, ``shift+tab``, ``x``)."""
    from textual.keys import Keys, key_to_character

    *mods, name = normal_key(key).split("+")
    if not name or any(m not in MODIFIERS for m in mods) or len(set(mods)) != len(mods):
        return False
    if len(name) == 1:
        return name.isprintable() and not name.isspace()
    named = {k.value for k in Keys if "+" not in k.value and not k.value.startswith("<")}
    return name in named or key_to_character(name) is not None


def binding_ids() -> frozenset[str]:
    """The id of every binding the app declares (its screens and widgets included)."""
    import textual.dom

    import tui.screens
    import tui.widgets
    from tui.app import TreemApp

    for package in (tui.screens, tui.widgets):
        for module in pkgutil.iter_modules(package.__path__):
            importlib.import_module(f"{package.__name__}.{module.name}")
    ids = {getattr(b, "id", None) for b in TreemApp.BINDINGS}
    stack = [textual.dom.DOMNode]
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if cls.__module__.startswith("tui."):
            ids.update(getattr(b, "id", None) for b in cls.__dict__.get("BINDINGS", ()))
    ids.discard(None)
    return frozenset(i for i in ids if isinstance(i, str))


def load_keymap(path: Path | None = None, known: frozenset[str] | None = None) -> KeymapFile:
    """Read the keymap file at ``path`` (default :func:`keymap_path`); no file: empty.

    ``known``: the binding ids that exist (default :func:`binding_ids`).
    """
    path = keymap_path() if path is None else path
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        return KeymapFile(path)
    except OSError as exc:
        return KeymapFile(path, problems=(ui.KEYMAP_UNREADABLE.format(
            error=exc.strerror or exc.__class__.__name__),))
    if len(raw) > MAX_BYTES:
        return KeymapFile(path, problems=(ui.KEYMAP_TOO_BIG,))
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return KeymapFile(path, problems=(ui.KEYMAP_NOT_UTF8,))
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"line (\d+)", str(exc))
        return KeymapFile(path, problems=(ui.KEYMAP_SYNTAX.format(
            line=line.group(1) if line else "?"),))
    known = binding_ids() if known is None else known
    keymap: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, value in data.items():
        if binding_id not in known:
            problems.append(ui.KEYMAP_UNKNOWN_ID.format(id=binding_id))
            continue
        if not isinstance(value, str) or not value.strip():
            problems.append(ui.KEYMAP_NOT_TEXT.format(id=binding_id))
            continue
        keys = [k.strip() for k in value.split(",")]
        bad = [k for k in keys if not valid_key(k)]
        if bad:
            problems.append(ui.KEYMAP_BAD_KEY.format(id=binding_id, key=bad[0]))
            continue
        keymap[binding_id] = ",".join(normal_key(k) for k in keys)
    return KeymapFile(path, keymap, tuple(problems))


def apply_keymap(app: object) -> str:
    """Load the person's keymap file into ``app`` (a Textual ``App``); the message to show
    ('' when the file is absent or right). Never raises: keys are not worth a crash."""
    try:
        loaded = load_keymap()
    except Exception as exc:  # an unforeseen file must not stop the app from starting
        return ui.KEYMAP_PROBLEMS.format(path=KEYMAP_NAME, problems=str(exc))
    if loaded.keymap:
        with contextlib.suppress(Exception):
            app.set_keymap(loaded.keymap)  # type: ignore[attr-defined]
    return loaded.message()
