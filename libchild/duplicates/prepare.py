"""Reading one record for matching: every field it can read, nothing that raises.

:func:`prepare` turns a dict or an object with libchild's canonical field names
into a :class:`Prepared` record: names as :class:`~libchild.duplicates.names.NameKeys`,
the birth date as a day number, ID numbers as digit strings. A field that is missing,
of the wrong type or unreadable is None; a broken record (a property that raises, a
mapping whose ``get`` fails) gives a record of Nones, never an exception.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from libchild.dates import parse_date
from libchild.duplicates.names import NameKeys
from libchild.text.fold import fold

__all__ = ["Prepared", "id_fits", "is_placeholder_id", "prepare"]

_SEXES = {"1": "1", "2": "2", "nam": "1", "nu": "2", "male": "1", "female": "2",
          "m": "1", "f": "2"}


class Prepared:
    """The matching view of one record (see :func:`prepare`)."""

    __slots__ = ("birth", "born", "carer", "cid", "commune", "father", "mother", "name",
                 "parents", "pid", "sex")

    def __init__(self) -> None:
        self.pid: str | None = None  # 12-digit personal ID, placeholders dropped
        self.name: NameKeys | None = None
        self.birth: int | None = None  # day number (date.toordinal)
        self.born: date | None = None
        self.sex: str | None = None  # "1" male, "2" female
        self.cid: str | None = None  # caregiver's ID number (9 or 12 digits)
        self.mother: NameKeys | None = None
        self.father: NameKeys | None = None
        self.carer: NameKeys | None = None
        self.parents: tuple[str, str] | None = None  # folded father and mother, both known
        self.commune: str = ""


def _getter(record: Any) -> Callable[[str], Any]:
    """Return a function reading a field of a dict or an object (None when absent)."""
    if type(record) is dict:
        return record.get
    mapping = isinstance(record, Mapping)

    def get(name: str) -> Any:
        try:
            return record.get(name) if mapping else getattr(record, name, None)
        except Exception:  # a broken mapping or property: the field is unreadable
            return None

    return get


def _digits(value: Any) -> str | None:
    if type(value) is str and value.isdigit() and value.isascii():
        return value if len(value) in (9, 12) else None
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    compact = "".join(value.replace(".", "").replace("-", "").split())
    if compact.isascii() and compact.isdigit() and len(compact) in (9, 12):
        return compact
    return None


def is_placeholder_id(number: str) -> bool:
    """Whether an ID number is a stand-in typed for "unknown" (000000000000, 123456789012).

    >>> is_placeholder_id("000000000000"), is_placeholder_id("014216000123")
    (True, False)
    """
    return number == number[0] * len(number) or number in "01234567890123456789" or \
        number in "98765432109876543210"


def _sex(value: Any) -> str | None:
    if type(value) is str:
        code = _SEXES.get(value)
        if code is not None:
            return code
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        value = str(value)
    if not isinstance(value, str) or len(value) > 10:
        return None
    return _SEXES.get(fold(value))


def _keys(value: Any, memo: dict[str, NameKeys | None]) -> NameKeys | None:
    if type(value) is not str:
        return None
    try:
        return memo[value]
    except KeyError:
        pass
    text = value.strip()
    keys = NameKeys.of(text) if text and len(text) <= 200 else None
    if keys is not None and not keys.folded:
        keys = None
    if len(memo) < 1_000_000:
        memo[value] = keys
    return keys


def id_fits(r: Prepared) -> bool:
    """Whether the structure of ``r.pid`` agrees with the record's birth year and sex
    (a caregiver's number typed in the child's field does not).

    Structure of Thông tư 07/2016/TT-BCA, Phụ lục 1: digit 4 is the century and sex
    (0/1 1900s male/female, 2/3 2000s, ...), digits 5-6 the year of birth.
    """
    pid = r.pid
    if pid is None:
        return False
    digit = ord(pid[3]) - 48
    if r.sex is not None and ("1" if digit % 2 == 0 else "2") != r.sex:
        return False
    if r.born is not None:
        return 1900 + 100 * (digit // 2) + int(pid[4:6]) == r.born.year
    return True


def prepare(record: Any, memo: dict[str, NameKeys | None]) -> Prepared:
    """Return the matching view of ``record``; ``memo`` caches name keys across records."""
    out = Prepared()
    try:
        field = _getter(record)
        pid = _digits(field("personal_id"))
        if pid is not None and len(pid) == 12 and not is_placeholder_id(pid):
            out.pid = pid
        out.name = _keys(field("full_name"), memo)
        raw_birth = field("birth_date")
        if type(raw_birth) is date:
            out.born, out.birth = raw_birth, raw_birth.toordinal()
        elif raw_birth is not None:
            try:
                born = parse_date(raw_birth)
                out.born, out.birth = born, born.toordinal()
            except Exception:  # unreadable or garbage: the birth date is not used
                pass
        out.sex = _sex(field("sex"))
        cid = _digits(field("caregiver_id"))
        if cid is not None and not is_placeholder_id(cid):
            out.cid = cid
        out.mother = _keys(field("mother_name"), memo)
        out.father = _keys(field("father_name"), memo)
        out.carer = _keys(field("caregiver_name"), memo)
        if out.mother is not None and out.father is not None:
            out.parents = (out.father.folded, out.mother.folded)
        commune = field("commune_code")
        out.commune = commune.strip() if isinstance(commune, str) else ""
    except Exception:  # a record whose fields cannot be read at all: nothing to match on
        return Prepared()
    return out
