"""Reading and checking scenario files (TOML, read with the standard library's tomllib).

A scenario file is plain TOML a trainer edits in any text editor (the shipped ones in
``tui/training/scenarios/`` start with a commented guide to every key). Loading checks
everything a trainer can get wrong and reports every problem at once, in Vietnamese,
naming the page, the child and the key: unknown or missing keys, wrong types, adults
that do not exist, dates that cannot be read, a second listing without its lesson, and
above all that the answer key is clean: every key value passes ``libchild.validate``
at the scenario's reference date except where a lesson says it should raise an issue,
and every lesson is really planted (a ``flag`` code is raised by the key, an ``avoid``
code by the page as written or by leaving the lesson's fields empty, a ``merge`` pair is
found by ``libchild.find_duplicates`` with the lesson's reason).

>>> scenarios = load_shipped()
>>> [s.level for s in scenarios] == sorted(s.level for s in scenarios)
True
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import attrs

import libchild
from libchild import catalog
from libchild.dates import parse_date
from libchild.duplicates import REASONS
from libchild.issues import issue
from libchild.messages import FIELD_LABELS, MESSAGES
from libchild.model import CANONICAL_FIELDS
from tui.domain import MAX_ADULTS  # adults per book page, as the entry screen takes them
from tui.messages import training as msg
from tui.training.answer_key import (
    POVERTY_WORDS,
    book_key,
    build_key,
    key_issue_codes,
    poverty_code,
    relation_code,
    written_values,
)
from tui.training.scenario import (
    Action,
    ChildRef,
    Lesson,
    Page,
    Scenario,
    WrittenAdult,
    WrittenChild,
    WrittenCircumstance,
    WrittenSupport,
    lesson_fields,
)
from tui.training.values import CHILD_SCALARS, ChildValues, child_record, clean_child

__all__ = [
    "MAX_ADULTS",
    "ScenarioError",
    "find_scenario",
    "load_data",
    "load_scenario",
    "load_shipped",
    "load_text",
    "shipped_paths",
]

_ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]*\Z")


class ScenarioError(ValueError):
    """A scenario file that cannot be used; ``problems`` lists each one in Vietnamese."""

    def __init__(self, source: str, problems: list[str] | tuple[str, ...]) -> None:
        self.source = source
        self.problems = tuple(problems)
        super().__init__(msg.scenario_error(source, self.problems))


# --- where the shipped scenarios are -----------------------------------------------------
def shipped_paths() -> list[Path]:
    """The scenario files shipped with treem, in file-name order (level order)."""
    folder = resources.files("tui.training") / "scenarios"
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith(".toml"))


def load_shipped() -> list[Scenario]:
    """Every shipped scenario, checked, by level."""
    return sorted((load_scenario(p) for p in shipped_paths()), key=lambda s: (s.level, s.id))


def find_scenario(name: str) -> Path:
    """The file of scenario ``name``: a path, or the id or file name of a shipped one."""
    path = Path(name)
    if path.suffix == ".toml" and path.exists():
        return path
    for candidate in shipped_paths():
        if name in (candidate.stem, candidate.name) or _declared_id(candidate) == name:
            return candidate
    known = ", ".join(p.stem for p in shipped_paths())
    raise ScenarioError(name, [msg.SCENARIO_NOT_FOUND.format(name=name, known=known)])


def _declared_id(path: Path) -> str | None:
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    head = data.get("scenario")
    return head.get("id") if isinstance(head, dict) else None


# --- reading --------------------------------------------------------------------------
def load_scenario(path: str | Path) -> Scenario:
    """Read and check the scenario file at ``path``; raises :class:`ScenarioError`."""
    source = str(path)
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise ScenarioError(source, [msg.FILE_MISSING.format(path=source)]) from None
    except OSError as exc:
        raise ScenarioError(source, [msg.FILE_UNREADABLE.format(
            path=source, reason=exc.strerror or exc)]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScenarioError(source, [msg.FILE_NOT_UTF8.format(position=exc.start + 1)]) from None
    return load_text(text, source)


_TOML_PLACE = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")


def load_text(text: str, source: str = "") -> Scenario:
    """Check scenario ``text`` (TOML); ``source`` names it in messages."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        detail = str(exc)
        place = _TOML_PLACE.search(detail)
        if place:
            problem = msg.TOML_SYNTAX.format(line=place[1], column=place[2],
                                             detail=detail[:place.start()].rstrip('.'))
        else:
            problem = msg.TOML_SYNTAX_NO_PLACE.format(detail=detail.rstrip('.'))
        raise ScenarioError(source, [problem]) from None
    return load_data(data, source)


def load_data(data: dict[str, Any], source: str = "") -> Scenario:
    """Check scenario ``data`` already read from TOML (a dict of tables)."""
    return _Checker(source).scenario(data)


# --- the schema ---------------------------------------------------------------------------
_STR, _INT, _DATE, _TABLE, _LIST, _LIST_STR = "str", "int", "date", "table", "list", "list_str"
_SCENARIO_KEYS = {"id": _STR, "title": _STR, "level": _INT, "summary": _STR,
                  "reference_date": _DATE, "commune_code": _STR, "province_code": _STR}
_SCENARIO_REQUIRED = ("id", "title", "level", "reference_date", "commune_code")
_PAGE_KEYS = {"book_number": _STR, "village": _STR, "address": _STR, "poverty": _STR,
              "note": _STR, "adults": _LIST, "children": _LIST}
_ADULT_KEYS = {"name": _STR, "personal_id": _STR, "relation": _STR}
_CHILD_KEYS = {"full_name": _STR, "sex": _STR, "birth_date": _STR, "personal_id": _STR,
               "ethnicity": _STR, "nationality": _STR, "schooling": _STR, "father": _INT,
               "mother": _INT, "caregiver": _INT, "circumstances": _LIST,
               "supports": _LIST, "death_date": _STR, "note": _STR, "duplicate_of": _TABLE}
_CIRCUMSTANCE_KEYS = {"what": _STR, "since": _STR, "until": _STR}
_SUPPORT_KEYS = {"what": _STR, "date": _STR}
_REF_KEYS = {"book_number": _STR, "child": _INT}
_LESSON_KEYS = {"id": _STR, "book_number": _STR, "child": _INT, "action": _STR,
                "code": _STR, "title": _STR, "explain": _STR, "fields": _LIST_STR,
                "expect": _STR}
_LESSON_REQUIRED = ("id", "book_number", "child", "action", "code", "title", "explain")
_LESSON_FIELDS = frozenset(CANONICAL_FIELDS)


def _is(kind: str, value: Any) -> bool:
    if kind == _STR:
        return isinstance(value, str)
    if kind == _INT:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == _DATE:
        return type(value) is date
    if kind == _TABLE:
        return isinstance(value, dict)
    if kind == _LIST:
        return isinstance(value, list) and all(isinstance(v, dict) for v in value)
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _nfc(value: Any) -> Any:
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


def _child_label(ref: ChildRef) -> str:
    return msg.AT_CHILD.format(page=msg.AT_PAGE.format(book=ref.book_number), number=ref.order)


class _Checker:
    """Collects every problem of one file, then builds the scenario or raises."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[str] = []

    def problem(self, where: str, what: str) -> None:
        self.problems.append(msg.PROBLEM.format(where=where, what=what))

    def table(self, data: Any, keys: dict[str, str], required: tuple[str, ...],
              where: str) -> dict[str, Any]:
        """The keys of ``data`` that have the right type (NFC text); problems noted."""
        out: dict[str, Any] = {}
        if not isinstance(data, dict):
            self.problem(where, msg.TYPE_WRONG.format(key=where, expected=msg.TYPE_NAMES[_TABLE]))
            return out
        for key in required:
            if key not in data:
                self.problem(where, msg.KEY_MISSING.format(key=key))
        for key, value in data.items():
            kind = keys.get(key)
            if kind is None:
                self.problem(where, msg.KEY_UNKNOWN.format(key=key, known=", ".join(keys)))
            elif not _is(kind, value):
                self.problem(where, msg.TYPE_WRONG.format(key=key,
                                                          expected=msg.TYPE_NAMES[kind]))
            else:
                out[key] = [_nfc(v) for v in value] if kind == _LIST_STR else _nfc(value)
        for key in required:
            if isinstance(out.get(key), str) and not out[key].strip():
                self.problem(where, msg.EMPTY_TEXT.format(key=key))
                out.pop(key)
        return out

    def fail_if_any(self) -> None:
        if self.problems:
            raise ScenarioError(self.source, self.problems)

    # --- the whole file ------------------------------------------------------------------
    def scenario(self, data: dict[str, Any]) -> Scenario:
        top = self.table(data, {"scenario": _TABLE, "pages": _LIST, "lessons": _LIST},
                         ("scenario", "pages"), msg.AT_FILE)
        head = self.table(top.get("scenario", {}), _SCENARIO_KEYS, _SCENARIO_REQUIRED,
                          msg.AT_SCENARIO)
        raw_pages = top.get("pages", [])
        if "pages" in top and not raw_pages:
            self.problem(msg.AT_SCENARIO, msg.NO_PAGES)
        pages = tuple(self.page(p, n) for n, p in enumerate(raw_pages, 1))
        lessons = [self.lesson(item, n) for n, item in enumerate(top.get("lessons", []), 1)]
        self.fail_if_any()
        return self.checked(head, pages, tuple(x for x in lessons if x is not None))

    def page(self, data: dict[str, Any], number: int) -> Page:
        first = self.table(data, _PAGE_KEYS, ("book_number", "village", "children"),
                           msg.AT_PAGE_NUMBER.format(number=number))
        book = first.get("book_number", "")
        where = msg.AT_PAGE.format(book=book) if book else msg.AT_PAGE_NUMBER.format(
            number=number)
        adults = []
        for n, item in enumerate(first.get("adults", []), 1):
            row = self.table(item, _ADULT_KEYS, ("name",),
                             msg.AT_ADULT.format(page=where, number=n))
            adults.append(WrittenAdult(row.get("name", ""), row.get("personal_id", "").strip(),
                                       row.get("relation", "")))
        if len(adults) > MAX_ADULTS:
            self.problem(where, msg.TOO_MANY_ADULTS.format(limit=MAX_ADULTS, count=len(adults)))
        if "children" in first and not first["children"]:
            self.problem(where, msg.NO_CHILDREN)
        children = tuple(self.child(item, n, where, book)
                         for n, item in enumerate(first.get("children", []), 1))
        return Page(book, first.get("village", ""), first.get("address", ""),
                    first.get("poverty", ""), tuple(adults), children, first.get("note", ""))

    def child(self, data: dict[str, Any], order: int, page_where: str, book: str
              ) -> WrittenChild:
        where = msg.AT_CHILD.format(page=page_where, number=order)
        row = self.table(data, _CHILD_KEYS, ("full_name",), where)
        circumstances = []
        for n, item in enumerate(row.get("circumstances", []), 1):
            c = self.table(item, _CIRCUMSTANCE_KEYS, ("what",),
                           msg.AT_CIRCUMSTANCE.format(child=where, number=n))
            circumstances.append(WrittenCircumstance(c.get("what", ""), c.get("since", ""),
                                                     c.get("until", "")))
        supports = []
        for n, item in enumerate(row.get("supports", []), 1):
            s = self.table(item, _SUPPORT_KEYS, ("what",),
                           msg.AT_SUPPORT.format(child=where, number=n))
            supports.append(WrittenSupport(s.get("what", ""), s.get("date", "")))
        duplicate_of = None
        if "duplicate_of" in row:
            ref = self.table(row["duplicate_of"], _REF_KEYS, ("book_number", "child"), where)
            if "book_number" in ref and "child" in ref:
                duplicate_of = ChildRef(ref["book_number"], ref["child"])
        text = {k: row.get(k, "") for k in ("sex", "birth_date", "personal_id", "ethnicity",
                                             "nationality", "schooling", "death_date", "note")}
        return WrittenChild(
            order=order, full_name=row.get("full_name", ""), **text,
            father=row.get("father", 0), mother=row.get("mother", 0),
            caregiver=row.get("caregiver", 0), circumstances=tuple(circumstances),
            supports=tuple(supports), duplicate_of=duplicate_of)

    def lesson(self, data: dict[str, Any], number: int) -> Lesson | None:
        label = msg.AT_LESSON_NUMBER.format(number=number)
        if isinstance(data, dict) and isinstance(data.get("id"), str) and data["id"].strip():
            label = msg.AT_LESSON.format(id=data["id"])
        row = self.table(data, _LESSON_KEYS, _LESSON_REQUIRED, label)
        action = row.get("action")
        if action is not None and action not in set(Action):
            self.problem(label, msg.LESSON_ACTION_BAD.format(
                value=action, known=", ".join(a.value for a in Action)))
            return None
        if any(k not in row for k in _LESSON_REQUIRED):
            return None
        for field in row.get("fields", []):
            if field not in _LESSON_FIELDS:
                self.problem(label, msg.LESSON_FIELD_UNKNOWN.format(field=field))
        return Lesson(row["id"], Action(action), row["code"],
                      ChildRef(row["book_number"], row["child"]), row["title"],
                      row["explain"], tuple(row.get("fields", ())), row.get("expect"))

    # --- what the file means ---------------------------------------------------------------
    def checked(self, head: dict[str, Any], pages: tuple[Page, ...],
                lessons: tuple[Lesson, ...]) -> Scenario:
        cats = catalog.load()
        scenario_id = head["id"]
        if not _ID_PATTERN.match(scenario_id):
            self.problem(msg.AT_SCENARIO, msg.SCENARIO_ID_BAD.format(value=scenario_id))
        if not 1 <= head["level"] <= 9:
            self.problem(msg.AT_SCENARIO, msg.LEVEL_BAD.format(value=head["level"]))
        commune = cats.communes.get(head["commune_code"])
        province = head.get("province_code", "")
        if commune is None:
            self.problem(msg.AT_SCENARIO, msg.COMMUNE_UNKNOWN.format(value=head["commune_code"]))
        elif province and province != commune.parent:
            self.problem(msg.AT_SCENARIO, msg.PROVINCE_MISMATCH.format(
                commune=commune.name, expected=commune.parent, value=province))
        province = commune.parent if commune is not None else province
        on: date = head["reference_date"]
        self.pages(pages, on)
        self.fail_if_any()
        key = build_key(pages, head["commune_code"], province or "", on)
        self.key(pages, key, lessons, on, head["commune_code"], province or "")
        self.lessons(pages, key, lessons, on, head["commune_code"], province or "")
        self.fail_if_any()
        return Scenario(scenario_id, head["title"], head["level"], head.get("summary", ""), on,
                        head["commune_code"], province or "", pages, lessons, key, self.source)

    def pages(self, pages: tuple[Page, ...], on: date) -> None:
        books: dict[str, str] = {}
        refs = {(book_key(p.book_number), c.order): c for p in pages for c in p.children}
        for page in pages:
            where = msg.AT_PAGE.format(book=page.book_number)
            if book_key(page.book_number) in books:
                self.problem(where, msg.BOOK_TAKEN.format(book=page.book_number))
            books[book_key(page.book_number)] = page.book_number
            if poverty_code(page.poverty) is None:
                self.problem(where, msg.POVERTY_UNKNOWN.format(
                    value=page.poverty, known=", ".join(w for w in POVERTY_WORDS if w)))
            for number, adult in enumerate(page.adults, 1):
                self.adult(adult, msg.AT_ADULT.format(page=where, number=number))
            for child in page.children:
                self.child_links(page, child, msg.AT_CHILD.format(page=where, number=child.order),
                                 refs)

    def adult(self, adult: WrittenAdult, where: str) -> None:
        """An adult's name and number must be right once cleaned (an old-font name that
        converts to a good name is a lesson, not a mistake of the file)."""
        cleaned = libchild.clean({"caregiver_name": adult.name,
                                  "caregiver_id": adult.personal_id or None}).record
        for found in libchild.validate({"caregiver_name": cleaned["caregiver_name"],
                                        "caregiver_id": cleaned["caregiver_id"]}):
            if found.field in ("caregiver_name", "caregiver_id") and found.severity == "error":
                value = adult.name if found.field == "caregiver_name" else adult.personal_id
                self.problem(where, msg.ADULT_VALUE_BAD.format(message=found.message, value=value))

    def child_links(self, page: Page, child: WrittenChild, where: str,
                    refs: dict[tuple[str, int], WrittenChild]) -> None:
        for key, wanted in (("father", "father"), ("mother", "mother"), ("caregiver", None)):
            number = getattr(child, key)
            if not 0 <= number <= len(page.adults):
                self.problem(where, msg.ADULT_NUMBER_BAD.format(key=key, value=number,
                                                                count=len(page.adults)))
            elif number and wanted and relation_code(page.adults[number - 1].relation) != wanted:
                self.problem(where, msg.ADULT_RELATION_BAD.format(
                    key=key, number=number, relation=page.adults[number - 1].relation))
        for field in ("birth_date", "death_date"):
            self.date_text(getattr(child, field), field, where)
        for n, item in enumerate(child.circumstances, 1):
            at = msg.AT_CIRCUMSTANCE.format(child=where, number=n)
            self.date_text(item.since, "since", at)
            self.date_text(item.until, "until", at)
        for n, support in enumerate(child.supports, 1):
            self.date_text(support.date, "date", msg.AT_SUPPORT.format(child=where, number=n))
        target = child.duplicate_of
        if target is not None:
            label = _child_label(target)
            found = refs.get((book_key(target.book_number), target.order))
            if found is None:
                self.problem(where, msg.DUPLICATE_TARGET_UNKNOWN.format(target=label))
            elif found is child:
                self.problem(where, msg.DUPLICATE_TARGET_SELF)
            elif found.duplicate_of is not None:
                self.problem(where, msg.DUPLICATE_TARGET_DUPLICATE.format(target=label))

    def date_text(self, value: str, key: str, where: str) -> None:
        if value.strip():
            try:
                parse_date(value.strip())
            except ValueError as exc:
                self.problem(where, msg.DATE_BAD.format(key=key, value=value, reason=exc))

    def key(self, pages: tuple[Page, ...], key: Any, lessons: tuple[Lesson, ...], on: date,
            commune: str, province: str) -> None:
        flagged: dict[tuple[str, int], set[str]] = {}
        for lesson in lessons:
            if lesson.action is Action.FLAG:
                ref = (book_key(lesson.child.book_number), lesson.child.order)
                flagged.setdefault(ref, set()).add(lesson.code)
        ids: dict[str, str] = {}
        for child in key.children:
            where = _child_label(child.ref)
            allowed = flagged.get((book_key(child.ref.book_number), child.ref.order), set())
            for code in dict.fromkeys(key_issue_codes(child.values, on)):
                if code not in allowed:
                    self.problem(where, msg.KEY_ISSUE_UNNAMED.format(
                        message=issue(code).message, code=code))
            number = child.values.personal_id
            if number:
                if number in ids:
                    self.problem(where, msg.ID_SHARED.format(number=number, other=ids[number]))
                ids[number] = where
        for page in pages:
            for child in page.children:
                if child.duplicate_of is None:
                    continue
                has_lesson = any(
                    x.action is Action.MERGE and book_key(x.child.book_number) ==
                    book_key(page.book_number) and x.child.order == child.order
                    for x in lessons)
                if not has_lesson:
                    self.problem(
                        msg.AT_CHILD.format(page=msg.AT_PAGE.format(book=page.book_number),
                                            number=child.order),
                        msg.DUPLICATE_WITHOUT_LESSON.format(
                            target=_child_label(child.duplicate_of)))

    def lessons(self, pages: tuple[Page, ...], key: Any, lessons: tuple[Lesson, ...],
                on: date, commune: str, province: str) -> None:
        written: dict[tuple[str, int], tuple[Page, WrittenChild]] = {
            (book_key(p.book_number), c.order): (p, c) for p in pages for c in p.children}
        keyed = {(book_key(k.ref.book_number), k.ref.order): k for k in key.children}
        seen: set[str] = set()
        for lesson in lessons:
            where = msg.AT_LESSON.format(id=lesson.id)
            if lesson.id in seen:
                self.problem(where, msg.LESSON_ID_TAKEN.format(id=lesson.id))
            seen.add(lesson.id)
            ref = (book_key(lesson.child.book_number), lesson.child.order)
            if ref not in written:
                self.problem(where, msg.LESSON_CHILD_UNKNOWN.format(
                    child=_child_label(lesson.child)))
                continue
            page, child = written[ref]
            if lesson.action is Action.MERGE:
                self.merge_lesson(lesson, where, page, child, keyed, commune, province, on)
                continue
            if lesson.code not in MESSAGES:
                self.problem(where, msg.LESSON_CODE_UNKNOWN.format(code=lesson.code))
                continue
            if ref not in keyed:
                self.problem(where, msg.LESSON_ON_DUPLICATE.format(action=lesson.action.value))
                continue
            values = keyed[ref].values
            codes = set(key_issue_codes(values, on))
            if lesson.action is Action.FLAG:
                if MESSAGES[lesson.code].severity == "error":
                    self.problem(where, msg.LESSON_FLAG_ERROR.format(code=lesson.code))
                elif lesson.code not in codes:
                    self.problem(where, msg.LESSON_FLAG_ABSENT.format(code=lesson.code))
            else:
                self.avoid_lesson(lesson, where, values, codes,
                                  written_values(page, child, commune, province), on)
            self.expect(lesson, where, values)

    def avoid_lesson(self, lesson: Lesson, where: str, values: ChildValues, codes: set[str],
                     as_written: ChildValues, on: date) -> None:
        if lesson.code in codes:
            self.problem(where, msg.LESSON_AVOID_PRESENT.format(code=lesson.code))
            return
        if lesson.code in key_issue_codes(as_written, on):
            return
        fields = lesson_fields(lesson)
        blank = {f: (() if f in ("circumstances", "supports") else None) for f in fields}
        emptied = clean_child(attrs.evolve(values, **blank), on)
        if lesson.code not in key_issue_codes(emptied, on):
            self.problem(where, msg.LESSON_AVOID_NO_TRAP.format(
                code=lesson.code, fields=", ".join(_label(f) for f in fields)))

    def merge_lesson(self, lesson: Lesson, where: str, page: Page, child: WrittenChild,
                     keyed: dict[tuple[str, int], Any], commune: str, province: str,
                     on: date) -> None:
        if lesson.code not in REASONS:
            self.problem(where, msg.LESSON_REASON_UNKNOWN.format(
                code=lesson.code, known=", ".join(REASONS)))
            return
        if child.duplicate_of is None:
            self.problem(where, msg.LESSON_MERGE_NOT_DUPLICATE)
            return
        original = keyed.get((book_key(child.duplicate_of.book_number),
                              child.duplicate_of.order))
        if original is None:
            return  # reported with the page
        second = clean_child(written_values(page, child, commune, province), on)
        pairs = libchild.find_duplicates([child_record(original.values, on),
                                          child_record(second, on)])
        reasons = [r for pair in pairs for r in pair.reasons]
        if lesson.code not in reasons:
            self.problem(where, msg.LESSON_MERGE_NOT_FOUND.format(
                code=lesson.code, found=", ".join(reasons) or msg.NOTHING))

    def expect(self, lesson: Lesson, where: str, values: ChildValues) -> None:
        if lesson.expect is None:
            return
        field = lesson_fields(lesson)[0] if lesson_fields(lesson) else ""
        if field not in CHILD_SCALARS:
            self.problem(where, msg.LESSON_EXPECT_NOT_TEXT.format(field=_label(field)))
            return
        value = getattr(values, field)
        if value != lesson.expect:
            self.problem(where, msg.LESSON_EXPECT_MISMATCH.format(
                expect=lesson.expect, field=_label(field), value=value or ""))


def _label(field: str) -> str:
    return FIELD_LABELS.get(field, (field,))[0]


