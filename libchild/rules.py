"""The rule engine: ``validate`` and ``clean`` for one child record.

One engine runs in the library, the app and batch checks (issue 2 item 5). It takes a
:class:`libchild.model.Child` or a dict of values *as typed* (sex "Nam", "nam", "1" or
"M"; ethnicity "08", "8", "HMông" or "Mèo"; dates in any format of
:mod:`libchild.dates`; unknown keys ignored) and returns :class:`libchild.issues.Issue`
objects, each with a stable code documented in docs/rules.md. It never raises.

>>> from datetime import date
>>> rec = {"full_name": "lò văn páo", "sex": "Nam", "birth_date": "05/09/2018",
...        "ethnicity": "Thái", "father_name": "Lò Văn Minh",
...        "commune_code": "03808", "province_code": "14"}
>>> [i.code for i in validate(rec, on=date(2025, 9, 1))]
['personal_id.missing']
>>> [i.code for i in validate({"sex": "X"}, on=date(2025, 9, 1))][:3]
['personal_id.missing', 'full_name.missing', 'sex.unknown']
>>> c = clean(rec, on=date(2025, 9, 1))
>>> c.record["full_name"], c.record["sex"], c.record["birth_date"], c.record["ethnicity"]
('Lò Văn Páo', '1', '2018-09-05', '03')
>>> validate(None)[0].code
'record.invalid'

Speed matters (at least 100,000 records per second on one core, docs/benchmarks.md):
catalogue lookups are precomputed dicts from every accepted spelling to the code,
Issue objects are built once per (code, field), and parsed dates, name checks and
folded texts are memoised in bounded caches.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

import attrs

from libchild import catalog, dates, text
from libchild.ids import cccd
from libchild.issues import Issue, issue
from libchild.messages import NAME_FIELDS
from libchild.model import CANONICAL_FIELDS, Child, Support

__all__ = ["Cleaned", "clean", "validate"]

# --- the category rules of DOMAIN.md §5 (codes are assumed data, named once here) -------
DROPPED_OUT = "08"                       # schooling status "dropped out"
DB_DROPOUT = "DB07"                      # needs schooling 08 and school age
DB_ILL_POOR = "DB14"                     # needs NC02
POOR_HOUSEHOLD = "NC02"
AT_RISK = "NC01"                         # contradicts any DB group
DIED_OF_INJURY = "KH02"
NEEDS_CAREGIVER = frozenset({"DB01", "DB02", "DB03", "DB15"})
SPECIAL_SUPPORTS = frozenset({"TG01", "TG02", "TG03"})  # support for DB children
SCHOOL_AGE = 6
ADULT_AGE = 16                           # Luật Trẻ em 2016, Điều 1

# Plausible age range (completed years, inclusive) per schooling status (DOMAIN.md §3,
# assumed): generous bounds, since late entry and repeated grades are common.
SCHOOLING_AGES: dict[str, tuple[int, int]] = {
    "01": (0, 5),    # not yet school age / at home
    "02": (0, 3),    # crèche, 3-36 months
    "03": (2, 6),    # kindergarten, 3-5 years
    "04": (5, 15),   # primary, grades 1-5
    "05": (10, 17),  # lower secondary, grades 6-9
    "06": (14, 99),  # upper secondary
    "07": (11, 99),  # vocational / continuing education
    "08": (6, 99),   # dropped out
    "09": (6, 99),   # never attended though of school age
}

_MISSING = object()     # lookups: value absent or blank
_INVALID = object()     # date caches: unparseable value
_CACHE_LIMIT = 200_000  # entries per memo cache before it is cleared
_MEMO_MAX_LEN = 120     # longer strings are not memoised

_ISSUE_CACHE: dict[str, Issue] = {}


def _i(code: str) -> Issue:
    found = _ISSUE_CACHE.get(code)
    if found is None:
        found = _ISSUE_CACHE[code] = issue(code)
    return found


RECORD_INVALID = _i("record.invalid")


@attrs.frozen(slots=True)
class Cleaned:
    """The result of :func:`clean`: the canonical ``record`` (a dict with every field of
    ``libchild.model.CANONICAL_FIELDS``) and the ``issues`` found in the input."""

    record: dict[str, Any]
    issues: list[Issue]


# --- lookup tables -----------------------------------------------------------------------
class _Tables:
    """Every catalogue as dicts from accepted spellings to codes, built once."""

    def __init__(self) -> None:
        cats = catalog.load()
        self.sex = _spellings(cats.sexes)
        self.ethnicity = _spellings(cats.ethnicities)
        self.nationality = _spellings(cats.nationalities)
        self.schooling = _spellings(cats.schooling)
        self.circumstance = _spellings(cats.circumstances)
        self.support = _spellings(cats.supports)
        self.province = _spellings(cats.provinces, unit=True)
        self.commune_codes = {e.code: e.parent for e in cats.communes}
        self.commune_names: dict[tuple[str | None, str], str | None] = {}
        for e in cats.communes:
            for name in (e.name, *e.other_names):
                key = text.fold(name)
                for k in {key, _strip_kind(key)}:
                    for scope in (e.parent, None):
                        prior = self.commune_names.get((scope, k), e.code)
                        self.commune_names[(scope, k)] = e.code if prior == e.code else None
        self.prefixes = frozenset(e.code for e in cats.id_prefixes)
        # pre-2025 provinces: old 2-digit code ("02" Hà Giang) and names -> 2025 code
        self.old_province: dict[str, str] = {}
        for e in cats.id_prefixes:
            if e.parent:
                self.old_province[e.code[1:]] = e.parent
                self.old_province[e.code] = e.parent
                for name in (e.name, *e.other_names):
                    key = text.fold(name)
                    self.old_province[key] = e.parent
                    self.old_province[_strip_kind(key)] = e.parent
        # Codes with an end of validity (valid_to, inclusive), per canonical field; only
        # fields with at least one such code are present, so the usual case costs nothing.
        self.valid_to: dict[str, dict[str, date]] = {}
        for field, cat in (
            ("sex", cats.sexes), ("ethnicity", cats.ethnicities),
            ("nationality", cats.nationalities), ("province_code", cats.provinces),
            ("commune_code", cats.communes), ("schooling", cats.schooling),
            ("circumstances", cats.circumstances), ("supports", cats.supports),
        ):
            ends = {e.code: e.valid_to for e in cat if e.valid_to is not None}
            if ends:
                self.valid_to[field] = ends
        self.group = {e.code: e.group for e in cats.circumstances}
        self.special = frozenset(c for c, g in self.group.items() if g == "special")


_KINDS = ("thanh pho ", "dac khu ", "phuong ", "tinh ", "xa ", "tp ")


def _strip_kind(key: str) -> str:
    for word in _KINDS:
        if key.startswith(word) and len(key) > len(word):
            return key[len(word):]
    return key


def _spellings(cat: catalog.Catalog, unit: bool = False) -> dict[str, str]:
    """Map code, unpadded numeric code, name and other names (raw and folded) to codes.

    A spelling shared by two codes is dropped: it would be a guess.
    """
    table: dict[str, str] = {}
    ambiguous: set[str] = set()

    def put(key: str, code: str) -> None:
        if not key or key in ambiguous:
            return
        prior = table.get(key)
        if prior is None:
            table[key] = code
        elif prior != code:
            ambiguous.add(key)
            del table[key]

    for e in cat:
        table[e.code] = e.code
    for e in cat:
        put(e.code.lower(), e.code)
        if e.code.isdigit():
            put(str(int(e.code)), e.code)
        for name in (e.name, *e.other_names):
            put(unicodedata.normalize("NFC", name), e.code)
            key = text.fold(name)
            put(key, e.code)
            put(key.replace(" ", ""), e.code)
            if unit:
                put(_strip_kind(key), e.code)
    return table


_T: _Tables | None = None


def _tables() -> _Tables:
    global _T
    if _T is None:
        _T = _Tables()
    return _T


# --- value readers (lenient, never raising on odd types) ---------------------------------
def _code(table: dict[str, str], value: Any) -> Any:
    """Return the code for ``value``, ``_MISSING`` for blank, or None if unknown."""
    if type(value) is str:
        found = table.get(value)
        if found is not None:
            return found
        stripped = value.strip()
        if not stripped:
            return _MISSING
        if len(stripped) > _MEMO_MAX_LEN:
            return None
        found = table.get(stripped)
        if found is None:
            key = text.fold(stripped)
            found = table.get(key)
            if found is None:
                found = table.get(key.replace(" ", ""))
        return found
    if value is None or _is_nan(value):
        return _MISSING
    if type(value) is int or (type(value) is float and value.is_integer()):
        return table.get(str(int(value)))
    return None


def _is_nan(value: Any) -> bool:
    """A float NaN: how pandas and some spreadsheet readers write an empty cell."""
    return type(value) is float and value != value


_DATE_CACHE: dict[Any, Any] = {}


def _date(value: Any) -> Any:
    """Return a date, ``_MISSING`` or ``_INVALID``."""
    if type(value) is date:
        return value
    if value is None:
        return _MISSING
    if type(value) is str:
        found = _DATE_CACHE.get(value)
        if found is not None:
            return found
        if not value.strip():
            return _MISSING
        if len(value) > 40:
            return _INVALID
        try:
            found = dates.parse_date(value.strip())
        except Exception:
            found = _INVALID
        if len(_DATE_CACHE) > _CACHE_LIMIT:
            _DATE_CACHE.clear()
        _DATE_CACHE[value] = found
        return found
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return date(value.year, value.month, value.day)
    if _is_nan(value):
        return _MISSING
    if type(value) in (int, float):
        try:
            return dates.parse_date(value)
        except Exception:
            return _INVALID
    return _INVALID


_NAME_CACHE: dict[str, str | None] = {}


def _name_reason(value: str) -> str | None:
    """Return the libchild.text.name_error reason for ``value`` (memoised), or None."""
    try:
        return _NAME_CACHE[value]
    except KeyError:
        pass
    checked = value
    if not value.isascii() and not unicodedata.is_normalized("NFC", value):
        checked = unicodedata.normalize("NFC", value)
    reason = text.name_error(checked)
    if len(value) <= _MEMO_MAX_LEN:
        if len(_NAME_CACHE) > _CACHE_LIMIT:
            _NAME_CACHE.clear()
        _NAME_CACHE[value] = reason
    return reason


_NAME_ISSUES: dict[str, dict[str, Issue]] = {}
for _field in NAME_FIELDS:
    _NAME_ISSUES[_field] = {}


def _name_issue(field: str, reason: str) -> Issue:
    found = _NAME_ISSUES[field].get(reason)
    if found is None:
        try:
            found = issue(f"{field}.{reason}")
        except KeyError:
            found = issue(f"{field}.invalid")
        _NAME_ISSUES[field][reason] = found
    return found


def _id_number(value: Any) -> tuple[str | None, str]:
    """Return (compact digits or None, state): state is "ok", "missing" or "format"."""
    if type(value) is str:
        number = cccd.compact(value)
    elif type(value) is int or (type(value) is float and value.is_integer()):
        number = str(int(value))
        if 10 <= len(number) <= 11:
            # A spreadsheet that stored the number as a number dropped its leading
            # zeros; every province-of-birth prefix starts with 0 (TT 07/2016).
            number = number.zfill(12)
    elif value is None or _is_nan(value):
        return None, "missing"
    else:
        return None, "format"
    if not number:
        return None, "missing"
    if not (number.isdigit() and number.isascii()):
        return None, "format"
    return number, "ok"


def _text_value(value: Any) -> str | None:
    """Return ``value`` as trimmed NFC text with single spaces, or None when blank."""
    if type(value) is str and value.isascii():
        return " ".join(value.split()) or None
    if value is None or _is_nan(value):
        return None
    if not isinstance(value, str):
        if isinstance(value, bytes | bytearray):
            value = value.decode("utf-8", "replace")
        else:
            value = str(value)
    value = " ".join(unicodedata.normalize("NFC", value).split())
    return value or None


def _as_list(value: Any) -> list[Any]:
    if value is None or _is_nan(value):
        return []
    if isinstance(value, str):
        return [p for p in value.replace(",", ";").split(";") if p.strip()]
    if isinstance(value, list | tuple | set | frozenset):
        return list(value)
    return [value]


def _record_getter(record: Any) -> Callable[[str], Any] | None:
    if type(record) is dict:
        return record.get
    if isinstance(record, Child):
        return record.__getattribute__  # every field the engine asks for is a slot
    if isinstance(record, Mapping):
        copied = dict(record)
        return copied.get
    return None


# --- the engine --------------------------------------------------------------------------
def _check(get: Callable[[str], Any], on: date, out: dict[str, Any] | None) -> list[Issue]:
    """Run every rule; fill ``out`` with canonical values when it is a dict."""
    t = _T or _tables()
    issues: list[Issue] = []
    add = issues.append
    on_md = (on.month, on.day)

    # sex
    raw = get("sex")
    sex = t.sex.get(raw) if type(raw) is str else None
    if sex is None:
        sex = _code(t.sex, raw)
        if sex is _MISSING:
            add(_i("sex.missing"))
            sex = None
        elif sex is None:
            add(_i("sex.unknown"))

    # birth date, age, death date
    raw_birth = get("birth_date")
    if type(raw_birth) is date:
        birth = raw_birth
    else:
        birth = _DATE_CACHE.get(raw_birth) if type(raw_birth) is str else None
        if birth is None:
            birth = _date(raw_birth)
    age = by = None
    if birth is _MISSING:
        add(_i("birth_date.missing"))
        birth = None
    elif birth is _INVALID:
        add(_i("birth_date.invalid"))
        birth = None
    elif birth > on:
        add(_i("birth_date.future"))
        by = birth.year
    else:
        by = birth.year
        bm = birth.month
        bd = birth.day
        age = on.year - by - (on_md < (bm, bd))
        if bd == 29 and bm == 2:
            age = dates.age(birth, on)[0]  # the civil-code rule for 29 February
    raw_death = get("death_date")
    death = None
    if raw_death is not None and raw_death != "":
        death = _date(raw_death)  # NaN (an empty cell) gives _MISSING
        if death is _MISSING:
            death = None
        elif death is _INVALID:
            add(_i("death_date.invalid"))
            death = None
        elif death > on:
            add(_i("death_date.future"))
        elif birth is not None and death < birth:
            add(_i("death_date.before_birth"))
    if age is not None and age >= ADULT_AGE and death is None:
        add(_i("age.over_16"))

    # personal ID numbers
    raw_pid = get("personal_id")
    pid = None
    if type(raw_pid) is str and len(raw_pid) == 12 and raw_pid.isdigit() and raw_pid.isascii():
        pid = raw_pid
    else:
        pid, state = _id_number(raw_pid)
        if state == "missing":
            add(_i("personal_id.missing"))
        elif state == "format":
            add(_i("personal_id.format"))
        elif len(pid) != 12:  # type: ignore[arg-type]
            add(_i("personal_id.length"))
            pid = None
    if pid is not None:
        # Fast agreement test (digits 4-6 against sex and birth year, digits 1-3 a known
        # prefix); only on disagreement does libchild.ids.cccd say exactly what differs.
        mid = None
        if by is not None and (sex == "1" or sex == "2"):
            key = by * 2 + (sex == "2")
            mid = _ID_MIDDLE.get(key)
            if mid is None:
                mid = _ID_MIDDLE[key] = _id_middle(by, sex)
        if mid is None or pid[3:6] != mid or pid[:3] not in t.prefixes:
            for code in cccd.structure_warnings(pid, sex=sex, birth_date=birth):
                add(_i(code))
    raw_cid = get("caregiver_id")
    cid = None
    if type(raw_cid) is str and len(raw_cid) == 12 and raw_cid.isdigit() and raw_cid.isascii():
        cid = raw_cid
        if cid == pid:
            add(_i("personal_id.same_as_caregiver"))
    elif raw_cid is not None and raw_cid != "":
        cid, state = _id_number(raw_cid)  # NaN (an empty cell) is "missing"
        if state == "format":
            add(_i("caregiver_id.format"))
        elif state == "ok":
            if len(cid) not in (9, 12):  # type: ignore[arg-type]
                add(_i("caregiver_id.length"))
            elif cid == pid:
                add(_i("personal_id.same_as_caregiver"))

    # names: the fast path is a name already seen and found good
    bad_names: dict[str, str] | None = {} if out is not None else None
    seen_names = _NAME_CACHE
    full_name = get("full_name")
    if type(full_name) is not str or seen_names.get(full_name, 1) is not None:
        full_name = _name(full_name, "full_name", add, bad_names)
    father = get("father_name")
    if father is not None and (type(father) is not str or seen_names.get(father, 1) is not None):
        father = _name(father, "father_name", add, bad_names)
    mother = get("mother_name")
    if mother is not None and (type(mother) is not str or seen_names.get(mother, 1) is not None):
        mother = _name(mother, "mother_name", add, bad_names)
    carer = get("caregiver_name")
    if carer is not None and (type(carer) is not str or seen_names.get(carer, 1) is not None):
        carer = _name(carer, "caregiver_name", add, bad_names)
    if full_name is None:
        add(_i("full_name.missing"))
    if father is None and mother is None and carer is None:
        add(_i("parents.missing"))

    # catalogues
    raw_ethnicity = get("ethnicity")
    ethnicity = t.ethnicity.get(raw_ethnicity) if type(raw_ethnicity) is str else None
    if ethnicity is None:
        ethnicity = _code(t.ethnicity, raw_ethnicity)
        if ethnicity is _MISSING:
            add(_i("ethnicity.missing"))
            ethnicity = None
        elif ethnicity is None:
            add(_i("ethnicity.unknown"))
    raw_nationality = get("nationality")
    nationality = t.nationality.get(raw_nationality) if type(raw_nationality) is str else None
    if nationality is None:
        nationality = _code(t.nationality, raw_nationality)
        if nationality is _MISSING:
            nationality = "VN"
        elif nationality is None:
            add(_i("nationality.unknown"))

    raw_province = get("province_code")
    province = t.province.get(raw_province) if type(raw_province) is str else None
    province_blank = False
    if province is None:
        province = _code(t.province, raw_province)
        if province is _MISSING:
            province = None
            province_blank = True
        elif province is None:
            province = _old_province(t, raw_province)
            add(_i("province.unknown") if province is None else _i("province.old_code"))
    raw_commune = get("commune_code")
    parent = t.commune_codes.get(raw_commune) if type(raw_commune) is str else None
    commune = raw_commune
    if parent is None:
        commune = _commune(t, raw_commune, province)
        if commune is _MISSING:
            add(_i("commune.missing"))
            commune = None
        elif commune is None:
            add(_i("commune.unknown"))
        else:
            parent = t.commune_codes[commune]
    if parent is not None:
        if province is None:
            if province_blank:
                province = parent
        elif parent != province:
            add(_i("commune.not_in_province"))

    raw_schooling = get("schooling")
    schooling = t.schooling.get(raw_schooling) if type(raw_schooling) is str else None
    if schooling is None:
        schooling = _code(t.schooling, raw_schooling)
        if schooling is _MISSING:
            schooling = None
        elif schooling is None:
            add(_i("schooling.unknown"))
    if schooling is not None and age is not None:
        bounds = SCHOOLING_AGES.get(schooling)
        if bounds is not None and not bounds[0] <= age <= bounds[1]:
            add(_i("schooling.implausible_for_age"))

    # circumstances
    raw_circ = get("circumstances")
    circs: list[str] = _NONE
    if raw_circ:
        circs = []
        unknown = False
        for item in _as_list(raw_circ):
            code = _code(t.circumstance, item)
            if code is _MISSING:
                continue
            if code is None:
                unknown = True
                if out is not None:
                    circs.append(_text_value(item) or "")
            elif code not in circs:
                circs.append(code)
        if unknown:
            add(_i("circumstance.unknown"))

    # supports
    raw_sup = get("supports")
    sups: list[tuple[Any, Any]] = []
    forms: set[str] = _NONE  # type: ignore[assignment]
    if raw_sup:
        forms = set()
        seen: set[str] = set()
        for item in _as_list(raw_sup):
            form_raw, date_raw = _support_parts(item)
            form = _code(t.support, form_raw)
            if form is None or form is _MISSING:
                seen.add("support.unknown_form")
                form = _text_value(form_raw) if out is not None else None
            else:
                forms.add(form)
            when = _date(date_raw)
            if when is _MISSING:
                seen.add("support.date_missing")
                when = None
            elif when is _INVALID:
                seen.add("support.date_invalid")
                when = _text_value(date_raw)
            elif when > on:
                seen.add("support.date_future")
            elif death is not None and when > death:
                seen.add("support.after_death")
            elif birth is not None and when < birth:
                seen.add("support.before_birth")
            if out is not None:
                sups.append((form, when))
        for code in sorted(seen):
            add(_i(code))

    # codes no longer in force on the reference day (supports: on the day given)
    if t.valid_to:
        _check_expired(t.valid_to, on, add, {
            "sex": sex, "ethnicity": ethnicity, "nationality": nationality,
            "province_code": province, "commune_code": commune, "schooling": schooling,
        }, circs, raw_sup)

    # category rules (DOMAIN.md §5)
    if circs:
        has_special = not t.special.isdisjoint(circs)
        if DB_DROPOUT in circs and (
            schooling != DROPPED_OUT or (age is not None and age < SCHOOL_AGE)
        ):
            add(_i("rule.db07_needs_dropout"))
        if DB_ILL_POOR in circs and POOR_HOUSEHOLD not in circs:
            add(_i("rule.db14_needs_poor"))
        if AT_RISK in circs and has_special:
            add(_i("rule.nc01_with_db"))
        if (
            not NEEDS_CAREGIVER.isdisjoint(circs)
            and carer is None
            and cid is None
        ):
            add(_i("rule.orphan_no_caregiver"))
        if DIED_OF_INJURY in circs:
            add(_i("rule.kh02_deceased"))
            if death is None:
                add(_i("rule.kh02_needs_death_date"))
        if has_special and not forms:
            add(_i("rule.db_not_supported"))
    else:
        has_special = False
    if forms and not has_special and not SPECIAL_SUPPORTS.isdisjoint(forms):
        add(_i("rule.support_without_db"))
    if len(issues) > 1:
        issues.sort(key=_field_rank)

    if out is not None:
        out["personal_id"] = pid if pid is not None else _text_value(raw_pid)
        out["sex"] = sex if sex is not None else _text_value(raw)
        out["birth_date"] = birth.isoformat() if birth else _text_value(raw_birth)
        out["ethnicity"] = ethnicity if ethnicity is not None else _text_value(raw_ethnicity)
        out["nationality"] = (
            nationality if nationality is not None else _text_value(raw_nationality)
        )
        out["schooling"] = schooling if schooling is not None else _text_value(raw_schooling)
        out["commune_code"] = commune if commune is not None else _text_value(raw_commune)
        out["province_code"] = province if province is not None else _text_value(raw_province)
        out["caregiver_id"] = cid if cid is not None else _text_value(raw_cid)
        for field, value in (("full_name", full_name), ("father_name", father),
                             ("mother_name", mother), ("caregiver_name", carer)):
            out[field] = _clean_name(value, bad_names.get(field))  # type: ignore[union-attr]
        for field in ("current_address", "address_detail", "village"):
            out[field] = _text_value(get(field))
        out["circumstances"] = list(circs)
        out["supports"] = [
            {"form": f, "date": w.isoformat() if isinstance(w, date) else w} for f, w in sups
        ]
        out["death_date"] = death.isoformat() if death else _text_value(raw_death)
    return issues


_NONE: Any = ()  # an empty, shared stand-in for lists and sets never filled

EXPIRED = "catalogue.expired"


def _support_parts(item: Any) -> tuple[Any, Any]:
    """Return (form, date) as typed from one support: a mapping, a Support, a pair or
    text such as "TG01 15/03/2025" or "TG01: 2025-03-15"."""
    if isinstance(item, Mapping):
        return item.get("form"), item.get("date")
    if isinstance(item, Support):
        return item.form, item.date
    if isinstance(item, list | tuple) and len(item) == 2:
        return item[0], item[1]
    if isinstance(item, str):
        form_raw, _, date_raw = item.strip().replace(":", " ", 1).partition(" ")
        return form_raw, date_raw.strip() or None
    return item, None


def _check_expired(ends: dict[str, dict[str, date]], on: date, add: Callable[[Issue], None],
                   codes: dict[str, Any], circs: list[str], raw_sup: Any) -> None:
    """Add ``catalogue.expired`` (on the field concerned) for each code past its valid_to.

    Only called when some catalogue has a code with an end date. A support is judged on
    its own date when it has one: support given while its form was in force is history,
    not a mistake.
    """
    for field, code in codes.items():
        end = ends.get(field)
        if end is not None and type(code) is str and code in end and on > end[code]:
            add(issue(EXPIRED, field))
    end = ends.get("circumstances")
    if end is not None and any(c in end and on > end[c] for c in circs):
        add(issue(EXPIRED, "circumstances"))
    end = ends.get("supports")
    if end is not None and raw_sup:
        t = _T or _tables()
        for item in _as_list(raw_sup):
            form_raw, date_raw = _support_parts(item)
            form = _code(t.support, form_raw)
            if type(form) is not str or form not in end:
                continue
            when = _date(date_raw)
            if (when if isinstance(when, date) else on) > end[form]:
                add(issue(EXPIRED, "supports"))
                break


def _name(value: Any, field: str, add: Callable[[Issue], None],
          bad: dict[str, str] | None) -> str | None:
    """Check a name off the fast path; return it, or None when it is absent."""
    if type(value) is not str:
        value = _text_value(value)
        if value is None:
            return None
    reason = _NAME_CACHE.get(value, _MISSING)
    if reason is _MISSING:
        reason = _name_reason(value)
    if reason is None:
        return value
    if reason == "missing":
        return None
    found = _name_issue(field, reason)  # type: ignore[arg-type]
    add(found)
    if bad is not None and found.severity == "error":
        bad[field] = reason  # type: ignore[assignment]
    return value


_ID_MIDDLE: dict[int, str] = {}


def _id_middle(year: int, sex: str) -> str:
    """Digits 4-6 of a personal ID number for this birth year and sex (TT 07/2016)."""
    return f"{(year // 100 - 19) * 2 + (sex == '2')}{year % 100:02d}"


_RANK = {f: i for i, f in enumerate(CANONICAL_FIELDS)}


def _field_rank(found: Issue) -> int:
    return _RANK.get(found.field, -1)  # type: ignore[arg-type]


def _old_province(t: _Tables, value: Any) -> str | None:
    if type(value) is int:
        value = f"{value:02d}"
    if not isinstance(value, str):
        return None
    key = value.strip()
    found = t.old_province.get(key)
    if found is None and len(key) <= _MEMO_MAX_LEN:
        folded = text.fold(key)
        found = t.old_province.get(folded) or t.old_province.get(_strip_kind(folded))
    return found


def _commune(t: _Tables, value: Any, province: str | None) -> Any:
    if value is None or _is_nan(value):
        return _MISSING
    if type(value) is int:
        value = f"{value:05d}"
    if type(value) is not str:
        return None
    key = value.strip()
    if not key:
        return _MISSING
    if key.isdigit() and len(key) < 5:
        key = key.zfill(5)
    if key in t.commune_codes:
        return key
    if len(key) > _MEMO_MAX_LEN:
        return None
    folded = text.fold(key)
    for k in (folded, _strip_kind(folded)):
        found = t.commune_names.get((province, k))
        if found is not None:
            return found
    return None


def _clean_name(value: str | None, error: str | None) -> str | None:
    """Return the register's form of a name; a wrong name is kept as typed (NFC)."""
    if value is None:
        return None
    try:
        if error == "legacy_encoding":
            encoding = text.detect_legacy(value)
            decoded = text.decode_legacy(value, encoding=encoding) if encoding else value
            if text.name_error(decoded) not in (None, "single_word", "too_long"):
                return _text_value(value)  # converting would not give a good name
            value = decoded
        elif error is not None:
            return _text_value(value)  # the officer must correct it: change nothing
        found = _NORMAL_NAMES.get(value)
        if found is None:
            found = text.normalize_name(value) or None
            if len(value) <= _MEMO_MAX_LEN:
                if len(_NORMAL_NAMES) > _CACHE_LIMIT:
                    _NORMAL_NAMES.clear()
                _NORMAL_NAMES[value] = found  # type: ignore[assignment]
        return found
    except Exception:
        return _text_value(value)


_NORMAL_NAMES: dict[str, str] = {}


def _reference_day(on: Any) -> date:
    if on is None:
        return date.today()
    if type(on) is date:
        return on
    if isinstance(on, datetime):
        return on.date()
    parsed = _date(on)
    return parsed if isinstance(parsed, date) else date.today()


def validate(record: Any, on: date | None = None) -> list[Issue]:
    """Return the issues of ``record`` (a Child or a dict of values as typed) at ``on``.

    ``on`` is the reference date for ages and "in the future" (default: today). Never
    raises: input that is not a record at all gives one ``record.invalid`` error.
    """
    try:
        if type(record) is dict:
            get = record.get
        else:
            get = _record_getter(record)  # type: ignore[assignment]
            if get is None:
                return [RECORD_INVALID]
        return _check(get, on if type(on) is date else _reference_day(on), None)
    except Exception:
        return [RECORD_INVALID]


def clean(record: Any, on: date | None = None) -> Cleaned:
    """Return the canonical form of ``record`` beside its issues.

    The canonical record has every field of ``CANONICAL_FIELDS`` in order: codes for
    catalogue values, NFC proper-cased names (legacy TCVN3/VNI text converted), ISO
    dates, compact ID numbers. A value that cannot be understood is kept as typed
    (trimmed, NFC), never dropped, and its issue says what is wrong.
    """
    out: dict[str, Any] = dict.fromkeys(CANONICAL_FIELDS)  # fixes the key order
    try:
        get = _record_getter(record)
        if get is None:
            return Cleaned(record=_empty(), issues=[RECORD_INVALID])
        issues = _check(get, _reference_day(on), out)
    except Exception:
        return Cleaned(record=_empty(), issues=[RECORD_INVALID])
    return Cleaned(record=out, issues=issues)


def _empty() -> dict[str, Any]:
    record: dict[str, Any] = dict.fromkeys(CANONICAL_FIELDS)
    record.update(nationality="VN", circumstances=[], supports=[])
    return record
