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

The rules are one function per field group, listed once in :data:`RULES` (dates,
ID numbers, names, catalogue codes, circumstances and supports with the category rules,
expired codes); each owns the issues and canonical values of its fields. Values are
read by :mod:`libchild._values` (never raising: a value that cannot be read costs its
own field only, ``value.unreadable`` in ``clean``; ``validate`` reads the free
text of addresses and village only for its length) and looked up in the
catalogues through :mod:`libchild._lookup`.

Speed matters (200,000 records a second on one core, names all distinct included;
docs/benchmarks.md): catalogue look-ups are dicts from every accepted spelling to the
code, Issue objects are built once per (code, field), a name goes through NFC once and
the legacy detector only when a cheap pre-check lets it, and birth dates, ID number
heads and judged names are memoised in bounded caches.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, NamedTuple

import attrs

from libchild import dates, text
from libchild._lookup import Tables, code_of, commune_of, old_province_of
from libchild._values import (
    CACHE_LIMIT,
    INVALID,
    MEMO_MAX_LEN,
    MISSING,
    UNREADABLE,
    as_list,
    blank,
    id_number,
    read_date,
    record_getter,
    support_parts,
    text_or_unreadable,
    text_value,
)
from libchild.ids import cccd
from libchild.issues import Issue, issue
from libchild.messages import LEGACY_FONTS, NAME_FIELDS, SPECIFIC_HINTS, TEXT_FIELD_LIMITS
from libchild.model import CANONICAL_FIELDS
from libchild.text.names import name_error_nfc

__all__ = ["RULES", "Cleaned", "Rule", "clean", "validate"]

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


_T: Tables | None = None


def _tables() -> Tables:
    global _T, _CHECK
    if _T is None:
        _T = Tables()
        _CHECK = None  # which rules run depends on the tables (see _checker)
    return _T


_NAME_CACHE: dict[str, str | None] = {}
_NAME_MEMO_LIMIT = 16_384  # cache-sized: a register's repeating names fit, distinct ones pass


def _name_reason(value: str) -> str | None:
    """The :func:`libchild.text.name_error` reason of ``value``, or None.

    The text goes through NFC once; the legacy detector runs only when the cheap
    pre-check of ``name_error_nfc`` lets it. Memoised (names repeat across a register),
    but a name never seen costs little more than a memo look-up.
    """
    reason = name_error_nfc(_nfc("NFC", value))
    if len(_NAME_CACHE) > _NAME_MEMO_LIMIT:
        _NAME_CACHE.clear()
    _NAME_CACHE[value] = reason
    return reason


_nfc = unicodedata.normalize  # returns an NFC (or ASCII) text as it is, quickly


_ADDRESS_MAX = TEXT_FIELD_LIMITS["address_detail"]
_VILLAGE_MAX = TEXT_FIELD_LIMITS["village"]
assert TEXT_FIELD_LIMITS == {"current_address": _ADDRESS_MAX, "address_detail": _ADDRESS_MAX,
                             "village": _VILLAGE_MAX}  # the three checks of _rule_codes


def _over_limit(r: _Record, field: str, value: str) -> None:
    """``<field>.over_limit`` when the free text ``value`` (white space at either end
    left out) is longer than its bound."""
    if len(value.strip()) > TEXT_FIELD_LIMITS[field]:
        r.issues.append(_i(f"{field}.over_limit"))


_NAME_ISSUES: dict[str, dict[str, Issue]] = {field: {} for field in NAME_FIELDS}


def _name_issue(field: str, reason: str) -> Issue:
    found = _NAME_ISSUES[field].get(reason)
    if found is None:
        try:
            found = issue(f"{field}.{reason}")
        except KeyError:
            found = issue(f"{field}.invalid")
        _NAME_ISSUES[field][reason] = found
    return found


def _name_field(r: _Record, field: str, value: Any) -> str | None:
    """Check one name; return it as typed, or None when it is absent.

    ``clean`` gets the register's form: normalised; a legacy-encoded name converted when
    the conversion is a good name; a name with an error kept as typed.
    """
    if type(value) is str:
        reason = _NAME_CACHE.get(value, MISSING)
        if reason is MISSING:
            reason = _name_reason(value)
    elif value is None:
        if r.out is not None:
            r.out[field] = None
        return None
    else:
        value = text_or_unreadable(value)
        if value is None or value is UNREADABLE:
            if value is UNREADABLE:
                r.issues.append(issue(UNREADABLE_CODE, field))
            if r.out is not None:
                r.out[field] = None
            return None
        reason = _name_reason(value)
    out = r.out
    if reason is None:
        if out is not None:
            out[field] = _normal_name(value)
        return value  # type: ignore[no-any-return]
    if reason == "missing":
        if out is not None:
            out[field] = None
        return None
    if reason == "legacy_encoding":
        found, repaired = _legacy_issue(field, value)
        if out is not None:
            out[field] = repaired if repaired is not None else text_value(value)
    else:
        found = _name_issue(field, reason)  # type: ignore[arg-type]
        if out is not None:  # errors are the officer's to correct: change nothing
            out[field] = text_value(value) if found.severity == "error" else _normal_name(value)
    r.issues.append(found)
    return value  # type: ignore[no-any-return]


_NORMAL_NAMES: dict[str, str | None] = {}


def _normal_name(value: str) -> str | None:
    """:func:`libchild.text.normalize_name`, memoised."""
    found = _NORMAL_NAMES.get(value, MISSING)
    if found is MISSING:
        found = text.normalize_name(value) or None
        if len(value) <= MEMO_MAX_LEN:
            if len(_NORMAL_NAMES) > CACHE_LIMIT:
                _NORMAL_NAMES.clear()
            _NORMAL_NAMES[value] = found
    return found  # type: ignore[return-value]


_LEGACY_ISSUES: dict[tuple[str, str], tuple[Issue, str | None]] = {}


def _legacy_issue(field: str, value: str) -> tuple[Issue, str | None]:
    """``<field>.legacy_encoding`` with the repaired name in its hint, and that name
    (None when converting would not give a good name: the issue keeps its usual hint)."""
    key = (field, value)
    found = _LEGACY_ISSUES.get(key)
    if found is not None:
        return found
    base = _name_issue(field, "legacy_encoding")
    nfc = unicodedata.normalize("NFC", value)
    encoding = text.detect_legacy(nfc, name=True)
    repaired = None
    if encoding is not None:
        decoded = text.decode_legacy(nfc, encoding=encoding)
        if text.name_error(decoded) in (None, "single_word", "too_long"):
            repaired = text.normalize_name(decoded)
    result = base, repaired
    if repaired is not None:
        vi, en = SPECIFIC_HINTS["legacy_encoding"]
        font = LEGACY_FONTS[encoding]  # type: ignore[index]
        result = attrs.evolve(
            base, hint=vi.format(name=repaired, font=font),
            hint_en=en.format(name=repaired, font=font),
        ), repaired
    if len(_LEGACY_ISSUES) > 10_000:
        _LEGACY_ISSUES.clear()
    _LEGACY_ISSUES[key] = result
    return result


def _length_issue(field: str, number: str) -> Issue:
    """``<field>.length``; when zeros in front of 10 or 11 digits make a number with a
    known province prefix, its hint says that a spreadsheet probably dropped them."""
    base = _i(f"{field}.length")
    if len(number) in (10, 11):
        full = number.zfill(12)
        if full[:3] in _T.prefixes:  # type: ignore[union-attr]
            vi, en = SPECIFIC_HINTS["leading_zero"]
            return attrs.evolve(
                base, hint=vi.format(digits=len(number), number=full),
                hint_en=en.format(digits=len(number), number=full),
            )
    return base


def _readable(r: _Record, field: str, value: Any) -> str | None:
    """``value`` as text for the canonical record; records ``value.unreadable`` when it
    cannot be read, so that only that field is lost."""
    found = text_or_unreadable(value)
    if found is UNREADABLE:
        r.issues.append(issue(UNREADABLE_CODE, field))
        return None
    return found  # type: ignore[no-any-return]


UNREADABLE_CODE = "value.unreadable"


# --- the record on its way through the rules ---------------------------------------------
class _Record:
    """One record going through the rules: how to read a field (``get``), the reference
    day, the ``issues`` found so far, ``out`` (the canonical record being built by
    ``clean``, else None), and the values earlier rules read that later rules need."""

    __slots__ = (
        "age", "birth", "carer", "cid", "circs", "codes", "death", "get", "issues", "on",
        "out", "sex",
    )
    # No __init__: _check sets get, on, issues and out (a Python __init__ costs a tenth
    # of the time a record takes); the rules set the rest before later rules read it.
    get: Callable[[str], Any]
    on: date
    issues: list[Issue]
    out: dict[str, Any] | None


# --- the rules, one function per field group ---------------------------------------------
def _rule_dates(r: _Record) -> None:
    """Birth date (missing, invalid, future), age (16 and over) and date of death."""
    on, get = r.on, r.get
    raw_birth = get("birth_date")
    kind = type(raw_birth)
    known = _BIRTHS.get(raw_birth) if kind is str or kind is date else None
    if known is not None and (known[0] is on or known[0] == on):  # dates repeat
        _, birth, age, problem = known
    else:
        birth, age, problem = _birth(raw_birth, on)
    if problem is not None:
        r.issues.append(problem)
    raw_death = get("death_date")
    death = None
    if raw_death is not None and not blank(raw_death):
        death = read_date(raw_death)
        if death is MISSING:
            death = None
        elif death is INVALID:
            r.issues.append(_i("death_date.invalid"))
            death = None
        elif death > on:
            r.issues.append(_i("death_date.future"))
        elif birth is not None and death < birth:
            r.issues.append(_i("death_date.before_birth"))
    if age is not None and age >= dates.CHILD_AGE_LIMIT and death is None:
        r.issues.append(_i("age.over_16"))
    r.birth, r.age, r.death = birth, age, death
    out = r.out
    if out is not None:
        out["birth_date"] = birth.isoformat() if birth else _readable(r, "birth_date", raw_birth)
        out["death_date"] = death.isoformat() if death else _readable(r, "death_date", raw_death)


def _rule_ids(r: _Record) -> None:
    """Sex; the personal ID number, its structure against sex and birth year; the
    caregiver's ID number (12 digits, or the old 9), not the child's own."""
    t, get = _T, r.get
    raw_sex = get("sex")
    sex = t.sex.get(raw_sex) if type(raw_sex) is str else None  # type: ignore[union-attr]
    if sex is None:
        sex = _lookup(r, t.sex, raw_sex, "sex.missing", "sex.unknown")  # type: ignore[union-attr]
    raw_pid = get("personal_id")
    if type(raw_pid) is str and len(raw_pid) == 12 and raw_pid.isdigit() and raw_pid.isascii():
        pid = raw_pid
    else:
        pid = _id_or_issue(r, "personal_id", raw_pid, (12,))
    if pid is not None:
        # Fast agreement test: the first six digits (known prefix, century and sex, year)
        # against sex and birth year; only on disagreement does libchild.ids.cccd say
        # exactly what differs.
        birth = r.birth
        head = t.id_heads.get(pid[:6])  # type: ignore[union-attr]
        if head is None:
            head = _id_head(pid[:6])
        if birth is None or (sex != "1" and sex != "2") or head != birth.year * 2 + (sex == "2"):
            for code in cccd.structure_warnings(pid, sex=sex, birth_date=birth):
                r.issues.append(_i(code))
    raw_cid = get("caregiver_id")
    if type(raw_cid) is str and len(raw_cid) == 12 and raw_cid.isdigit() and raw_cid.isascii():
        cid = raw_cid
    else:
        cid = None if blank(raw_cid) else _id_or_issue(r, "caregiver_id", raw_cid, (9, 12))
    if cid is not None and cid == pid:
        r.issues.append(_i("personal_id.same_as_caregiver"))
    r.sex, r.cid = sex, cid
    out = r.out
    if out is not None:
        out["sex"] = sex if sex is not None else _readable(r, "sex", raw_sex)
        out["personal_id"] = pid if pid is not None else _readable(r, "personal_id", raw_pid)
        out["caregiver_id"] = cid if cid is not None else _readable(r, "caregiver_id", raw_cid)


def _rule_names(r: _Record) -> None:
    """The child's full name, the parents' and the caregiver's names (one of them at
    least)."""
    get = r.get
    if r.out is None:
        # validate's path: a name is judged once (memo: None good, "missing" blank, else
        # the reason), through NFC once; only a name with a problem goes further.
        # Written out for the four fields: this runs for every record.
        # A new name is judged here and memoised without a call of _name_reason.
        seen, judge, nfc = _NAME_CACHE, name_error_nfc, _nfc
        if len(seen) > _NAME_MEMO_LIMIT:
            seen.clear()
        full_name = get("full_name")
        if type(full_name) is str:
            reason = seen.get(full_name, MISSING)
            if reason is MISSING:
                reason = seen[full_name] = judge(nfc("NFC", full_name))
            if reason is not None:
                full_name = None if reason == "missing" else _name_field(r, "full_name", full_name)
        elif full_name is not None:
            full_name = _name_field(r, "full_name", full_name)
        father = get("father_name")
        if type(father) is str:
            reason = seen.get(father, MISSING)
            if reason is MISSING:
                reason = seen[father] = judge(nfc("NFC", father))
            if reason is not None:
                father = None if reason == "missing" else _name_field(r, "father_name", father)
        elif father is not None:
            father = _name_field(r, "father_name", father)
        mother = get("mother_name")
        if type(mother) is str:
            reason = seen.get(mother, MISSING)
            if reason is MISSING:
                reason = seen[mother] = judge(nfc("NFC", mother))
            if reason is not None:
                mother = None if reason == "missing" else _name_field(r, "mother_name", mother)
        elif mother is not None:
            mother = _name_field(r, "mother_name", mother)
        carer = get("caregiver_name")
        if type(carer) is str:
            reason = seen.get(carer, MISSING)
            if reason is MISSING:
                reason = seen[carer] = judge(nfc("NFC", carer))
            if reason is not None:
                carer = None if reason == "missing" else _name_field(r, "caregiver_name", carer)
        elif carer is not None:
            carer = _name_field(r, "caregiver_name", carer)
    else:
        full_name = _name_field(r, "full_name", get("full_name"))
        father = _name_field(r, "father_name", get("father_name"))
        mother = _name_field(r, "mother_name", get("mother_name"))
        carer = _name_field(r, "caregiver_name", get("caregiver_name"))
    if full_name is None:
        r.issues.append(_i("full_name.missing"))
    if father is None and mother is None and carer is None:
        r.issues.append(_i("parents.missing"))
    r.carer = carer


def _rule_codes(r: _Record) -> None:
    """Ethnicity, nationality (Vietnamese when blank), schooling (plausible for the
    age), province and commune (codes or names; pre-2025 provinces mapped)."""
    t, get, age = _T, r.get, r.age
    raw_ethnicity, raw_nationality, raw_schooling = (
        get("ethnicity"), get("nationality"), get("schooling"))
    raw_province, raw_commune = get("province_code"), get("commune_code")
    ethnicity = t.ethnicity.get(raw_ethnicity) if type(raw_ethnicity) is str else None  # type: ignore[union-attr]
    if ethnicity is None:
        ethnicity = _lookup(r, t.ethnicity, raw_ethnicity, "ethnicity.missing",  # type: ignore[union-attr]
                            "ethnicity.unknown")
    nationality = t.nationality.get(raw_nationality) if type(raw_nationality) is str else None  # type: ignore[union-attr]
    if nationality is None:
        nationality = _lookup(r, t.nationality, raw_nationality, None,  # type: ignore[union-attr]
                              "nationality.unknown") or "VN"
    schooling = t.schooling.get(raw_schooling) if type(raw_schooling) is str else None  # type: ignore[union-attr]
    if schooling is None:
        schooling = _lookup(r, t.schooling, raw_schooling, None, "schooling.unknown")  # type: ignore[union-attr]
    if schooling is not None and age is not None:
        bounds = SCHOOLING_AGES.get(schooling)
        if bounds is not None and not bounds[0] <= age <= bounds[1]:
            r.issues.append(_i("schooling.implausible_for_age"))
    province = t.province.get(raw_province) if type(raw_province) is str else None  # type: ignore[union-attr]
    parent = t.commune_codes.get(raw_commune) if type(raw_commune) is str else None  # type: ignore[union-attr]
    if province is None or parent is None:
        province, commune = _place(r, raw_province, province, raw_commune)
    else:
        commune = raw_commune
        if parent != province:
            r.issues.append(_i("commune.not_in_province"))
    out = r.out
    if out is not None:
        for field, code, raw in (
            ("ethnicity", ethnicity, raw_ethnicity), ("nationality", nationality, raw_nationality),
            ("schooling", schooling, raw_schooling), ("commune_code", commune, raw_commune),
            ("province_code", province, raw_province),
        ):
            out[field] = code if code is not None else _readable(r, field, raw)
        for field in ("current_address", "address_detail", "village"):
            out[field] = _readable(r, field, get(field))  # free text: kept as typed
    # free text: only its length is checked (written out: this runs for every record)
    value = get("current_address")
    if type(value) is str and len(value) > _ADDRESS_MAX:
        _over_limit(r, "current_address", value)
    value = get("address_detail")
    if type(value) is str and len(value) > _ADDRESS_MAX:
        _over_limit(r, "address_detail", value)
    value = get("village")
    if type(value) is str and len(value) > _VILLAGE_MAX:
        _over_limit(r, "village", value)
    r.codes = ethnicity, nationality, schooling, province, commune


def _rule_lists(r: _Record) -> None:
    """Circumstance codes (as codes, names or text), the supports received (form and
    date: not missing, not in the future, between birth and death), and the category
    rules they bring into play across fields (DB07 and schooling, orphans and their
    caregiver...)."""
    get, out = r.get, r.out
    raw_circ = get("circumstances")
    circs: list[str] = _NONE
    if raw_circ if type(raw_circ) is list else not blank(raw_circ):
        circs = _circumstances(r, raw_circ)
    raw_sup = get("supports")
    forms: set[str] = _NONE
    if raw_sup if type(raw_sup) is list else not blank(raw_sup):
        forms = _supports(r, raw_sup)
    elif out is not None:
        out["supports"] = []
    r.circs = circs
    if out is not None:
        out["circumstances"] = list(circs)
    if circs or forms:
        _categories(r, circs, forms)


def _categories(r: _Record, circs: list[str], forms: set[str]) -> None:
    """The category rules across fields (DOMAIN.md §5; Luật Trẻ em 2016, Điều 10)."""
    if circs:
        has_special = not _T.special.isdisjoint(circs)  # type: ignore[union-attr]
        add = r.issues.append
        if DB_DROPOUT in circs and (
            r.codes[2] != DROPPED_OUT or (r.age is not None and r.age < SCHOOL_AGE)
        ):
            add(_i("rule.db07_needs_dropout"))
        if DB_ILL_POOR in circs and POOR_HOUSEHOLD not in circs:
            add(_i("rule.db14_needs_poor"))
        if AT_RISK in circs and has_special:
            add(_i("rule.nc01_with_db"))
        if not NEEDS_CAREGIVER.isdisjoint(circs) and r.carer is None and r.cid is None:
            add(_i("rule.orphan_no_caregiver"))
        if DIED_OF_INJURY in circs:
            add(_i("rule.kh02_deceased"))
            if r.death is None:
                add(_i("rule.kh02_needs_death_date"))
        if has_special and not forms:
            add(_i("rule.db_not_supported"))
    else:
        has_special = False
    if forms and not has_special and not SPECIAL_SUPPORTS.isdisjoint(forms):
        r.issues.append(_i("rule.support_without_db"))


def _rule_expired(r: _Record) -> None:
    """Codes no longer in force on the reference day (supports: on their own day).

    Runs only when some catalogue has an end-dated code (see :func:`_checker`).
    """
    ends = _T.valid_to  # type: ignore[union-attr]
    on = r.on
    ethnicity, nationality, schooling, province, commune = r.codes
    for field, code in (
        ("sex", r.sex), ("ethnicity", ethnicity), ("nationality", nationality),
        ("province_code", province), ("commune_code", commune), ("schooling", schooling),
    ):
        end = ends.get(field)
        if end is not None and type(code) is str and code in end and on > end[code]:
            r.issues.append(issue(EXPIRED, field))
    end = ends.get("circumstances")
    if end is not None and any(c in end and on > end[c] for c in r.circs):
        r.issues.append(issue(EXPIRED, "circumstances"))
    end = ends.get("supports")
    raw_sup = r.get("supports")
    if end is not None and not blank(raw_sup):
        for item in as_list(raw_sup):
            form_raw, date_raw = support_parts(item)
            form = code_of(_T.support, form_raw)  # type: ignore[union-attr]
            if type(form) is not str or form not in end:
                continue
            when = read_date(date_raw)
            if (when if isinstance(when, date) else on) > end[form]:
                r.issues.append(issue(EXPIRED, "supports"))
                break


# --- the slow paths of the rules -----------------------------------------------------------
_BIRTHS: dict[str | date, tuple[date, date | None, int | None, Issue | None]] = {}


def _birth(raw: Any, on: date) -> tuple[date | None, int | None, Issue | None]:
    """The birth date (None when missing or invalid), the completed years at ``on`` (None
    unless born by then) and the issue; memoised per text and reference day."""
    birth = raw if type(raw) is date else read_date(raw)
    age = problem = None
    if birth is MISSING:
        birth, problem = None, _i("birth_date.missing")
    elif birth is INVALID:
        birth, problem = None, _i("birth_date.invalid")
    elif birth > on:
        problem = _i("birth_date.future")
    else:
        age = on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
        if birth.day == 29 and birth.month == 2:
            age = dates.age(birth, on)[0]  # the civil-code rule for 29 February
    if type(raw) is date or (type(raw) is str and len(raw) <= MEMO_MAX_LEN):
        if len(_BIRTHS) > CACHE_LIMIT:
            _BIRTHS.clear()
        _BIRTHS[raw] = on, birth, age, problem
    return birth, age, problem


def _lookup(r: _Record, table: dict[str, str], raw: Any, missing: str | None,
            unknown: str) -> str | None:
    """A catalogue value not typed as its code: the code, or None after adding
    ``missing`` (when blank; None: blank is allowed) or ``unknown``."""
    code = code_of(table, raw)
    if code is MISSING:
        if missing is not None:
            r.issues.append(_i(missing))
        return None
    if code is None:
        r.issues.append(_i(unknown))
    return code  # type: ignore[no-any-return]


def _id_or_issue(r: _Record, field: str, raw: Any, lengths: tuple[int, ...]) -> str | None:
    """An ID number not typed as 12 digits: the compact digits, or None after adding
    ``<field>.missing`` (the child's only), ``.format`` or ``.length``."""
    number, state = id_number(raw)
    if state == "missing":
        if field == "personal_id":
            r.issues.append(_i("personal_id.missing"))
        return None
    if state == "format":
        r.issues.append(_i(f"{field}.format"))
        return None
    if len(number) not in lengths:  # type: ignore[arg-type]
        r.issues.append(_length_issue(field, number))  # type: ignore[arg-type]
        return None if field == "personal_id" else number
    return number


def _place(r: _Record, raw_province: Any, province: str | None,
           raw_commune: Any) -> tuple[Any, Any]:
    """Province and commune when either is not typed as its code."""
    t = _T
    province_blank = False
    if province is None:
        province = code_of(t.province, raw_province)  # type: ignore[union-attr]
        if province is MISSING:
            province = None
            province_blank = True
        elif province is None:
            province = old_province_of(t, raw_province)  # type: ignore[arg-type]
            r.issues.append(_i("province.unknown") if province is None else _i("province.old_code"))
    parent = t.commune_codes.get(raw_commune) if type(raw_commune) is str else None  # type: ignore[union-attr]
    commune = raw_commune
    if parent is None:
        commune = commune_of(t, raw_commune, province)  # type: ignore[arg-type]
        if commune is MISSING:
            r.issues.append(_i("commune.missing"))
            commune = None
        elif commune is None:
            r.issues.append(_i("commune.unknown"))
        else:
            parent = t.commune_codes[commune]  # type: ignore[union-attr]
    if parent is not None:
        if province is None:
            if province_blank:
                province = parent
        elif parent != province:
            r.issues.append(_i("commune.not_in_province"))
    return province, commune


def _circumstances(r: _Record, raw: Any) -> list[str]:
    """The circumstance codes of ``raw``; text kept for ``clean`` when unknown."""
    table, out = _T.circumstance, r.out  # type: ignore[union-attr]
    circs: list[str] = []
    unknown = False
    for item in as_list(raw):
        code = code_of(table, item)
        if code is MISSING:
            continue
        if code is None:
            unknown = True
            if out is not None:
                kept = _readable(r, "circumstances", item)
                if kept is not None:
                    circs.append(kept)
        elif code not in circs:
            circs.append(code)
    if unknown:
        r.issues.append(_i("circumstance.unknown"))
    return circs


def _supports(r: _Record, raw: Any) -> set[str]:
    """The support forms of ``raw``, each checked with its date; ``clean``'s list."""
    table, out, on, birth, death = _T.support, r.out, r.on, r.birth, r.death  # type: ignore[union-attr]
    forms: set[str] = set()
    seen: set[str] = set()
    sups: list[dict[str, Any]] = []
    for item in as_list(raw):
        form_raw, date_raw = support_parts(item)
        form = code_of(table, form_raw)
        if form is None or form is MISSING:
            seen.add("support.unknown_form")
            form = _readable(r, "supports", form_raw) if out is not None else None
        else:
            forms.add(form)
        when = read_date(date_raw)
        if when is MISSING:
            seen.add("support.date_missing")
            when = None
        elif when is INVALID:
            seen.add("support.date_invalid")
            when = _readable(r, "supports", date_raw) if out is not None else None
        elif when > on:
            seen.add("support.date_future")
        elif death is not None and when > death:
            seen.add("support.after_death")
        elif birth is not None and when < birth:
            seen.add("support.before_birth")
        if out is not None:
            sups.append({"form": form, "date": when.isoformat() if isinstance(when, date)
                         else when})
    for code in sorted(seen):
        r.issues.append(_i(code))
    if out is not None:
        out["supports"] = sups
    return forms


class Rule(NamedTuple):
    """One group of rules in the registry :data:`RULES`."""

    name: str
    #: The canonical fields whose issues and canonical values the rule owns.
    fields: tuple[str, ...]
    check: Callable[[_Record], None]


#: Every rule of the engine, in the order they run (a rule may use what an earlier one
#: read: the ID structure needs sex and birth date, the category rules everything).
#: Each canonical field belongs to exactly one rule.
RULES: tuple[Rule, ...] = (
    Rule("dates", ("birth_date", "death_date"), _rule_dates),
    Rule("ids", ("sex", "personal_id", "caregiver_id"), _rule_ids),
    Rule("names", ("full_name", "father_name", "mother_name", "caregiver_name"), _rule_names),
    Rule("codes", ("ethnicity", "nationality", "schooling", "province_code", "commune_code",
                   "current_address", "address_detail", "village"), _rule_codes),
    Rule("lists", ("circumstances", "supports"), _rule_lists),
    Rule("expired", (), _rule_expired),
)
_Check = Callable[[Callable[[str], Any], date, "dict[str, Any] | None"], list[Issue]]
_CHECK: _Check | None = None


def _checker() -> _Check:
    """The function that checks one record: ``check(get, on, out) -> issues`` runs the
    rules of :data:`RULES` in order (every rule, but ``expired`` only when some catalogue
    has a code with an end date: none has today, and the rule then costs nothing),
    filling ``out`` with canonical values when it is a dict; issues in field order.
    Built once per set of tables.

    Its source is written out from the registry with one call per rule rather than a
    loop: Python 3.11 specialises a call site that always calls the same function, which
    one call site calling every rule in turn defeats (a twentieth of validate's time on
    this project's benchmark, docs/benchmarks.md).
    """
    global _CHECK
    checks = [rule.check for rule in RULES if rule.name != "expired" or _tables().valid_to]
    names = [f"rule_{i}" for i in range(len(checks))]
    namespace: dict[str, Any] = dict(zip(names, checks, strict=True))
    namespace.update(Record=_Record, field_rank=_field_rank)
    exec(
        "def check(get, on, out):\n"
        "    issues = []\n"
        "    r = Record()\n"
        "    r.get, r.on, r.issues, r.out = get, on, issues, out\n"
        + "".join(f"    {name}(r)\n" for name in names)
        + "    if len(issues) > 1:\n"
        "        issues.sort(key=field_rank)\n"
        "    return issues\n",
        namespace,
    )
    _CHECK = namespace["check"]
    return _CHECK  # type: ignore[return-value]


_NONE: Any = ()  # an empty, shared stand-in for lists and sets never filled

EXPIRED = "catalogue.expired"


def _id_head(head: str) -> int:
    """What the first six digits of a personal ID number say (TT 07/2016): birth year
    times two, plus one for a girl; -1 for a prefix that is no known province."""
    t = _T
    found = -1
    if head[:3] in t.prefixes:  # type: ignore[union-attr]
        digit = int(head[3])
        found = ((19 + digit // 2) * 100 + int(head[4:6])) * 2 + digit % 2
    if len(t.id_heads) > CACHE_LIMIT:  # type: ignore[union-attr]
        t.id_heads.clear()  # type: ignore[union-attr]
    t.id_heads[head] = found  # type: ignore[union-attr]
    return found


_RANK = {f: i for i, f in enumerate(CANONICAL_FIELDS)}


def _field_rank(found: Issue) -> int:
    return _RANK.get(found.field, -1)  # type: ignore[arg-type]


def _reference_day(on: Any) -> date:
    if on is None:
        return date.today()
    if type(on) is date:
        return on
    if isinstance(on, datetime):
        return on.date()
    parsed = read_date(on)
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
            get = record_getter(record)  # type: ignore[assignment]
            if get is None:
                return [RECORD_INVALID]
        if _T is None:
            _tables()
        return (_CHECK or _checker())(get, on if type(on) is date else _reference_day(on), None)
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
        get = record_getter(record)
        if get is None:
            return Cleaned(record=_empty(), issues=[RECORD_INVALID])
        if _T is None:
            _tables()
        issues = (_CHECK or _checker())(get, _reference_day(on), out)
    except Exception:
        return Cleaned(record=_empty(), issues=[RECORD_INVALID])
    return Cleaned(record=out, issues=issues)


def _empty() -> dict[str, Any]:
    record: dict[str, Any] = dict.fromkeys(CANONICAL_FIELDS)
    record.update(nationality="VN", circumstances=[], supports=[])
    return record
