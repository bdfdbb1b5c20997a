"""The answer key: what the register should hold after correct entry of the pages.

The key is not typed twice by the trainer: it is what ``libchild.clean`` makes of each
page as written, entered the way the entry screen enters a household book (the
household's village and address on every child, father, mother and caregiver picked
among the page's adults, the caregiver's ID number taken from the caregiver, else the
mother, else the father). A second listing of a child (``duplicate_of``) is not in the
key: the register should hold the child once. The loader then checks that every key
value passes ``libchild.validate`` except where a lesson says it should raise an issue.

Reading the page's words for poverty and relations is the one assumption here (no
official list of the book's wording exists): :data:`POVERTY_WORDS`, and for relations
"cha"/"bố" (father), "mẹ"/"má"/"mạ" (mother), any other word a caregiver.
"""

from __future__ import annotations

from datetime import date

import libchild
from libchild.text.fold import fold
from tui.training.records import EnteredChild, EnteredHousehold, TraineeRecords
from tui.training.scenario import AnswerKey, ChildRef, KeyChild, Page, WrittenChild
from tui.training.values import (
    AdultValues,
    ChildValues,
    CircumstanceValue,
    HouseholdValues,
    SupportValue,
    child_record,
    clean_child,
    clean_household,
)

__all__ = [
    "POVERTY_WORDS",
    "book_key",
    "build_key",
    "entered_from_key",
    "key_household",
    "key_issue_codes",
    "poverty_code",
    "relation_code",
    "written_values",
]

#: Words a page uses for the household's poverty (folded) -> the register's value.
POVERTY_WORDS = {
    "": "none", "khong": "none", "0": "none",
    "ngheo": "poor", "ho ngheo": "poor", "1": "poor",
    "can ngheo": "near_poor", "ho can ngheo": "near_poor", "2": "near_poor",
}
_FATHER_WORDS = frozenset({"cha", "bo"})
_MOTHER_WORDS = frozenset({"me", "ma"})


def poverty_code(written: str) -> str | None:
    """The register's poverty value for a page's word, None when not understood."""
    return POVERTY_WORDS.get(fold(written or ""))


def relation_code(written: str) -> str:
    """The register's relation for a page's word: father, mother, or guardian."""
    word = fold(written or "")
    if word in _FATHER_WORDS:
        return "father"
    if word in _MOTHER_WORDS:
        return "mother"
    return "guardian"


def book_key(book_number: str | None) -> str:
    """A book number as compared between pages and registers: case and spaces ignored."""
    return "".join((book_number or "").split()).casefold()


def _adult(page: Page, number: int) -> tuple[str, str] | None:
    if 1 <= number <= len(page.adults):
        adult = page.adults[number - 1]
        return adult.name, adult.personal_id
    return None


def written_values(page: Page, child: WrittenChild, commune_code: str,
                   province_code: str) -> ChildValues:
    """The child's values exactly as the page writes them, placed in the register's
    fields the way the entry screen places a household book's values."""
    father = _adult(page, child.father)
    mother = _adult(page, child.mother)
    carer = _adult(page, child.caregiver)
    id_source = carer or mother or father
    return ChildValues(
        personal_id=child.personal_id or None,
        full_name=child.full_name or None,
        sex=child.sex or None,
        birth_date=child.birth_date or None,
        ethnicity=child.ethnicity or None,
        nationality=child.nationality or None,
        current_address=page.address or None,
        address_detail=page.address or None,
        schooling=child.schooling or None,
        village=page.village or None,
        commune_code=commune_code,
        province_code=province_code,
        caregiver_id=(id_source[1] or None) if id_source else None,
        father_name=father[0] if father else None,
        mother_name=mother[0] if mother else None,
        caregiver_name=carer[0] if carer else None,
        circumstances=tuple(CircumstanceValue(c.what, c.since or None, c.until or None)
                            for c in child.circumstances),
        supports=tuple(SupportValue(s.what, s.date or None) for s in child.supports),
        death_date=child.death_date or None,
    )


def key_household(page: Page) -> HouseholdValues:
    """The household the register should hold for ``page``."""
    return clean_household(HouseholdValues(
        book_number=page.book_number, village=page.village, address=page.address,
        poverty=poverty_code(page.poverty) or page.poverty,
        adults=tuple(AdultValues(a.name, a.personal_id or None, relation_code(a.relation))
                     for a in page.adults)))


def build_key(pages: tuple[Page, ...], commune_code: str, province_code: str,
              on: date) -> AnswerKey:
    """The answer key of ``pages`` (second listings of a child left out)."""
    children = []
    for page in pages:
        for child in page.children:
            if child.duplicate_of is not None:
                continue
            values = written_values(page, child, commune_code, province_code)
            children.append(KeyChild(ChildRef(page.book_number, child.order),
                                     clean_child(values, on)))
    return AnswerKey(tuple(key_household(p) for p in pages), tuple(children))


def key_issue_codes(values: ChildValues, on: date) -> list[str]:
    """The libchild issue codes of ``values`` at ``on``, in libchild's order."""
    return [i.code for i in libchild.validate(child_record(values, on), on=on)]


def entered_from_key(key: AnswerKey, on: date, trainee: str = "") -> TraineeRecords:
    """The records a trainee who typed every page correctly leaves in the register:
    one household per book, children numbered in book order, each with the issue codes
    the register would store. For demonstrations, tests and benchmarks."""
    households = tuple(EnteredHousehold(n, h) for n, h in enumerate(key.households, 1))
    by_book: dict[str, int] = {book_key(h.values.book_number): h.household_id
                               for h in households}
    counts: dict[int, int] = {}
    children: list[EnteredChild] = []
    for record_id, child in enumerate(key.children, 1):
        household_id = by_book[book_key(child.ref.book_number)]
        counts[household_id] = counts.get(household_id, 0) + 1
        children.append(EnteredChild(
            record_id, household_id, counts[household_id], child.values,
            tuple(key_issue_codes(child.values, on))))
    return TraineeRecords(trainee, households, tuple(children))
