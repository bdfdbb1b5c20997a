"""Turning form/import data into stored child rows, through libchild.

Shared by ``tui.services.children`` and ``bulk.insert_children_bulk`` so that both keep the
same invariants: the libchild canonical record is what is stored, ``name_folded`` is
``libchild.text.fold(full_name)``, warnings are kept with the record as JSON.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

import libchild
from libchild.dates import parse_date
from libchild.issues import Issue
from libchild.text.fold import fold
from tui.messages import core as msg

__all__ = [
    "CHILD_FIELDS",
    "Prepared",
    "iso",
    "issues_to_json",
    "name_key",
    "prepare_child",
    "store_issue",
]

#: The libchild canonical fields stored as columns of ``child`` (all but the two lists,
#: which have tables of their own), in libchild's order: the one column list of a child.
#: Written out rather than derived from ``libchild.model.CANONICAL_FIELDS``: importing
#: that module loads cattrs, 20 ms of the app's start (python -X importtime); a test
#: checks the two agree.
CHILD_FIELDS: tuple[str, ...] = (
    "personal_id", "full_name", "sex", "birth_date", "ethnicity", "nationality",
    "current_address", "address_detail", "schooling", "village", "commune_code",
    "province_code", "caregiver_id", "father_name", "mother_name", "caregiver_name",
    "death_date",
)
#: Column values SQLite stores as they are; anything else is stored as its text.
_SCALARS = (str, int, float, bool)


def iso(value: Any) -> Any:
    """Dates and datetimes as ``yyyy-mm-dd`` text; anything else unchanged."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def store_issue(code: str, field: str, **values: Any) -> Issue:
    """An Issue raised by the register itself (not by libchild), e.g. a taken ID number."""
    message, hint, message_en, hint_en = msg.STORE_ISSUES[code]
    return Issue(code, "error", field, message.format(**values), hint.format(**values),
                 message_en.format(**values), hint_en.format(**values))


def issues_to_json(issues: Iterable[Issue]) -> str:
    """Issues as stored with the record: code, severity and field (texts come from code)."""
    return _issues_json(tuple(issues))


@functools.lru_cache(maxsize=4096)
def _issues_json(issues: tuple[Issue, ...]) -> str:
    return json.dumps(
        [{"code": i.code, "severity": i.severity, "field": i.field} for i in issues],
        ensure_ascii=False,
    )


def _items(value: Any) -> list[Any]:
    """The entries of a circumstance/support list as given: one text is one entry
    (several may be separated by commas or semicolons); empty entries are dropped."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [part for part in re.split(r"[,;]", value) if part.strip()]
    if isinstance(value, Mapping) or not isinstance(value, Iterable):
        return [value]
    return [item for item in value if item is not None and item != ""]


def _text(value: Any) -> str:
    """A code or form as stored: text, never None (the columns are NOT NULL)."""
    return "" if value is None else str(value).strip()


def _circumstance_rows(value: Any) -> list[dict[str, Any]]:
    rows = []
    for item in _items(value):
        if isinstance(item, Mapping):
            if not any(item.get(k) not in (None, "") for k in (
                    "code", "start", "start_date", "end", "end_date", "note")):
                continue  # an empty line of the form
            rows.append({
                "code": _text(item.get("code")),
                "start": item.get("start", item.get("start_date")),
                "end": item.get("end", item.get("end_date")),
                "note": _text(item.get("note")),
            })
        elif hasattr(item, "code"):  # attrs Circumstance
            rows.append({"code": _text(item.code), "start": getattr(item, "start", None),
                         "end": getattr(item, "end", None),
                         "note": _text(getattr(item, "note", ""))})
        else:  # a code as typed
            rows.append({"code": _text(item), "start": None, "end": None, "note": ""})
    return rows


def _support_rows(value: Any) -> list[dict[str, Any]]:
    rows = []
    for item in _items(value):
        if isinstance(item, Mapping):
            rows.append({"form": _text(item.get("form")), "date": item.get("date"),
                         "note": _text(item.get("note"))})
        elif hasattr(item, "form"):  # attrs Support
            rows.append({"form": _text(item.form), "date": getattr(item, "date", None),
                         "note": _text(getattr(item, "note", ""))})
        else:  # a form code as typed
            rows.append({"form": _text(item), "date": None, "note": ""})
    return rows


class Prepared:
    """A child ready to store: ``columns`` (canonical, ISO dates), the issues, the
    circumstance and support rows (dates as ISO text)."""

    __slots__ = ("circumstances", "columns", "issues", "supports")

    def __init__(self, columns: dict[str, Any], issues: list[Issue],
                 circumstances: list[dict[str, Any]], supports: list[dict[str, Any]]) -> None:
        self.columns = columns
        self.issues = issues
        self.circumstances = circumstances
        self.supports = supports

    @property
    def errors(self) -> list[Issue]:
        """The blocking issues."""
        return [i for i in self.issues if i.severity == "error"]


def prepare_child(data: Mapping[str, Any], *, on: date | None = None,
                  defaults: Mapping[str, Any] | None = None,
                  cleaned: libchild.Cleaned | None = None) -> Prepared:
    """Validate ``data`` (values as typed) with ``libchild.clean``; never raises.

    ``cleaned`` is what ``libchild.clean`` already returned for ``data`` on ``on`` (a
    bulk import's plan): it is used as is, so that each row is validated once.

    ``defaults`` fills canonical fields the data leaves empty (commune and province of
    the register, the household's village and address). Circumstances are a list of codes
    or of ``{code, start, end, note}``; only those open on ``on`` go to the rules.
    """
    record: dict[str, Any] = {k: data[k] for k in CHILD_FIELDS if k in data}
    if defaults:
        for key, value in defaults.items():
            if record.get(key) in (None, ""):
                record[key] = value
    today = on or date.today()
    circumstances = _circumstance_rows(data.get("circumstances"))
    supports = _support_rows(data.get("supports"))
    if circumstances:
        day = today.isoformat()
        record["circumstances"] = [
            c["code"] for c in circumstances
            if not c["end"] or str(_date_text(c["end"])) > day
        ]
    if supports:
        record["supports"] = [{"form": s["form"], "date": s["date"]} for s in supports]
    if cleaned is None:
        cleaned = libchild.clean(record, on=today)
    canonical = cleaned.record if isinstance(cleaned.record, Mapping) else record
    columns = {}
    for key in CHILD_FIELDS:
        value = canonical.get(key)
        if value.__class__ is not str:
            value = iso(value)
            if value is not None and value.__class__ not in _SCALARS:
                value = str(value)  # garbage is kept as text, flagged by the issues
        if value.__class__ is str:
            value = value.strip() or None
        columns[key] = value
    if columns["full_name"] is None:  # NOT NULL: a nameless child is kept, flagged
        columns["full_name"] = ""
    if supports:
        clean_supports = canonical.get("supports")
        if isinstance(clean_supports, list) and len(clean_supports) == len(supports):
            for row, cleaned_row in zip(supports, clean_supports, strict=True):
                if isinstance(cleaned_row, Mapping) and cleaned_row.get("date") is not None:
                    row["date"] = cleaned_row["date"]
        for row in supports:
            row["date"] = _date_text(row["date"])
    issues = list(cleaned.issues)
    for row in circumstances:
        row["start"] = _date_text(row["start"])
        row["end"] = _date_text(row["end"])
        if not row["code"]:
            issues.append(store_issue("circumstance.code_missing", "circumstances"))
        for value in (row["start"], row["end"]):
            if value is not None and not _is_iso_date(value):
                issues.append(store_issue("circumstance.date_invalid", "circumstances",
                                          circumstance=row["code"], value=value))
    return Prepared(columns, issues, circumstances, supports)


def _is_iso_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


def _date_text(value: Any) -> str | None:
    """A date as ISO text; typed text is parsed with libchild.dates when possible."""
    if value in (None, ""):
        return None
    if isinstance(value, date | datetime):
        return iso(value)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        return value
    try:
        return parse_date(value).isoformat()
    except (ValueError, TypeError):
        return str(value)


@functools.lru_cache(maxsize=65536)
def name_key(full_name: str | None) -> str:
    """The indexed search key of a name (``libchild.text.fold``; names repeat, so cached)."""
    return fold(full_name or "")
