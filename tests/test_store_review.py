"""Review lists and duplicate candidates read from a real register database.

Also the builder of small synthetic registers that the review screen tests use
(``make_register``, ``add_child``: a person's ``Services``); all names and numbers are
invented.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tui.domain import Decision, Permission, ReviewKind, Role
from tui.errors import PermissionDenied
from tui.review_rules import kind_codes
from tui.services import Services, accounts, policy
from tui.services.duplicates import clear_cache
from tui.services.policy import Scope
from tui.services.review import ReviewQuery
from tui.store import settings
from tui.store.database import open_db

KINDS = tuple(ReviewKind)

ON = date(2026, 11, 23)
PASSWORD = "matkhau-thu-123"

#: A child with no problem at all on ``ON`` (synthetic ID: Sơn La prefix, male, 2015).
GOOD: dict[str, Any] = {
    "personal_id": "014215001234",
    "full_name": "Lò Văn Páo",
    "sex": "1",
    "birth_date": "2015-03-15",
    "ethnicity": "03",
    "nationality": "VN",
    "schooling": "04",
    "father_name": "Lò Văn Tòng",
    "mother_name": "Quàng Thị Ín",
}


def make_register(tmp_path: Path, role: str = "administrator",
                  username: str = "canbo.xa") -> Services:
    """A fresh register of Xã Mường La with one logged-in user of ``role``."""
    db = open_db(tmp_path / "treem.db", create=True)
    settings.initialize(db, commune_code="03808", commune_name="Xã Mường La",
                        province_code="14")
    accounts.create_account(db, username, "Cán Bộ Thử", Role(role), PASSWORD,
                            must_change_password=False)
    return Services(db, accounts.login(db, username, PASSWORD))


def add_child(register: Services, **changes: Any) -> int:
    """Save a child (``GOOD`` with ``changes``) through the services; return its id."""
    data = {**GOOD, **changes}
    return register.children.save(data).child_id


def review_list(register: Services, kind: str, *, on: date) -> ReviewQuery:
    """One review list of the person, as the screen reads it."""
    return ReviewQuery(register.review, ReviewKind(kind), on=on)


def review_counts(register: Services, *, on: date) -> dict[ReviewKind, int]:
    return register.review.counts(on=on)


def ids_of(review: ReviewQuery) -> list[int]:
    return [item.child_id for item in review.page(0, 1000)]


@pytest.fixture
def register(tmp_path: Path) -> Services:
    clear_cache()
    return make_register(tmp_path)


def test_every_kind_has_codes_or_a_live_rule() -> None:
    assert kind_codes("no_id") == ("personal_id.missing",)
    assert "personal_id.format" in kind_codes("bad_id")
    assert "personal_id.missing" not in kind_codes("bad_id")
    assert "full_name.digits" in kind_codes("basic_info")
    assert "parents.missing" in kind_codes("basic_info")
    assert "rule.db14_needs_poor" in kind_codes("category_rules")
    assert "rule.db_not_supported" not in kind_codes("category_rules")
    with pytest.raises(ValueError):
        kind_codes("nonsense")


def test_no_id_list_pages_and_fixed_child_leaves(register: Services) -> None:
    good = add_child(register)
    missing = [add_child(register, personal_id=None, full_name=f"Lò Thị {n}")
               for n in ("Ánh", "Bích", "Chi")]
    review = review_list(register, "no_id", on=ON)
    assert review.count() == 3
    assert ids_of(review) == missing
    assert good not in ids_of(review)
    assert [i.child_id for i in review.page(1, 1)] == [missing[1]]
    assert review.page(0, 1)[0].codes == ("personal_id.missing",)
    child = register.children.get(missing[0], audit_view=False)
    register.children.save({"id": child.id, "personal_id": "014315004321"}, child.version)
    assert review.count() == 2
    assert ids_of(review) == missing[1:]


def test_bad_id_list_shows_structure_warning(register: Services) -> None:
    # Digit 4 says "female, 2000s" but the child is recorded as male.
    wrong = add_child(register, personal_id="014315009999")
    add_child(register, personal_id="014215008888", full_name="Lò Văn Pọm")
    review = review_list(register, "bad_id", on=ON)
    assert ids_of(review) == [wrong]
    assert "personal_id.sex_mismatch" in review.page(0, 5)[0].codes


def test_basic_info_list(register: Services) -> None:
    add_child(register)
    single = add_child(register, full_name="Páo", personal_id="014215007777")
    review = review_list(register, "basic_info", on=ON)
    assert ids_of(review) == [single]
    assert review.page(0, 5)[0].codes == ("full_name.single_word",)


def test_category_rule_and_unsupported_lists(register: Services) -> None:
    db14 = add_child(register, circumstances=["DB14"], personal_id="014215006666")
    review = review_list(register, "category_rules", on=ON)
    assert ids_of(review) == [db14]
    unsupported = review_list(register, "unsupported", on=ON)
    assert ids_of(unsupported) == [db14]
    assert unsupported.page(0, 1)[0].extra == "DB14"
    register.children.add_support(db14, "TG01", "2026-01-10")
    assert unsupported.count() == 0


def test_aged_out_list_is_computed_on_the_day(register: Services) -> None:
    old = add_child(register, birth_date="2010-11-23", personal_id="014210005555",
                    schooling="05")
    add_child(register, birth_date="2010-11-24", personal_id="014210005556",
              full_name="Lò Văn Sáng", schooling="05")
    assert ids_of(review_list(register, "aged_out", on=ON)) == [old]
    assert review_list(register, "aged_out", on=date(2026, 11, 22)).count() == 0


def test_counts_cover_every_kind(register: Services) -> None:
    add_child(register, personal_id=None)
    counts = review_counts(register, on=ON)
    assert set(counts) == set(KINDS)
    assert counts["no_id"] == 1


def test_review_lists_need_the_review_lists_permission(tmp_path: Path) -> None:
    register = make_register(tmp_path, role="police", username="ca.xa")
    with pytest.raises(PermissionDenied):
        review_list(register, "no_id", on=ON).count()


def test_lists_found_from_circumstances_need_sensitive_data(tmp_path: Path) -> None:
    """A collaborator reads the step 3 lists, not those that disclose circumstances."""
    register = make_register(tmp_path, role="collaborator", username="ctv.ban")
    assert review_list(register, "no_id", on=ON).count() == 0
    assert register.review.kinds() == (ReviewKind.NO_ID, ReviewKind.BAD_ID,
                                       ReviewKind.BASIC_INFO, ReviewKind.AGED_OUT)
    assert set(register.review.counts(on=ON)) == set(register.review.kinds())
    for kind in ("category_rules", "unsupported"):
        with pytest.raises(PermissionDenied):
            review_list(register, kind, on=ON).count()
        with pytest.raises(PermissionDenied):
            review_list(register, kind, on=ON).page(0, 10)


def test_collaborator_scope_applies_when_allowed(tmp_path: Path, monkeypatch) -> None:
    admin = make_register(tmp_path)
    village = admin.commune.add_village("Bản Nà Lo")
    other = admin.commune.add_village("Bản Pá Hốc")
    inside = admin.children.save({**GOOD, "personal_id": None,
                                  "village_id": village}).child_id
    admin.children.save({**GOOD, "personal_id": None, "full_name": "Lò Văn Ọt",
                         "village_id": other})
    assert review_list(admin, "no_id", on=ON).count() == 2
    monkeypatch.setitem(policy.MATRIX, Role.COLLABORATOR,
                        policy.MATRIX[Role.COLLABORATOR] | {Permission.REVIEW})
    admin.session.role = Role.COLLABORATOR
    admin.session.scope = Scope(frozenset({village}))
    scoped = review_list(admin, "no_id", on=ON)
    assert scoped.count() == 1
    assert [i.child_id for i in scoped.page(0, 10)] == [inside]


def test_duplicates_found_cached_and_decisions_remembered(register: Services) -> None:
    first = add_child(register, personal_id=None)
    second = add_child(register, personal_id=None, full_name="Lò Văn Pao")
    add_child(register, personal_id="014213003333", full_name="Quàng Văn Khặm",
              birth_date="2013-06-01", father_name="Quàng Văn Ơn")
    pairs = register.duplicates.candidates()
    assert [(p.left_id, p.right_id) for p in pairs] == [(first, second)]
    assert 0 < pairs[0].score <= 1 and pairs[0].reasons
    assert register.duplicates.candidates() == pairs  # served from the cache
    register.duplicates.decide(first, second, Decision.DIFFERENT)
    assert register.duplicates.candidates() == []
    third = add_child(register, personal_id=None, full_name="Lò Văn Páo")
    found = {(p.left_id, p.right_id) for p in register.duplicates.candidates()}
    assert (first, third) in found and (first, second) not in found
    register.duplicates.merge(first, third)
    assert all(third not in (p.left_id, p.right_id) for p in register.duplicates.candidates())


def test_siblings_with_different_id_numbers_are_not_proposed(register: Services) -> None:
    add_child(register, personal_id="014215001111", full_name="Lò Văn Páo")
    add_child(register, personal_id="014215002222", full_name="Lò Văn Pán",
              birth_date="2015-03-15")
    assert register.duplicates.candidates() == []
    # Without ID numbers the same two names are worth a look.
    add_child(register, personal_id=None, full_name="Lò Văn Pám")
    assert register.duplicates.candidates()


def test_treem_check_lists_are_the_screen_lists(register: Services) -> None:
    add_child(register, personal_id="")
    add_child(register, personal_id="014215001235", father_name="", mother_name="")
    add_child(register, personal_id="014215001236", ethnicity="")
    # 16 and over is its own list, not "missing or wrong basic information"
    add_child(register, personal_id="014208001237", birth_date="2008-01-15")
    screen = review_counts(register, on=ON)
    for kind in ("no_id", "bad_id", "basic_info"):
        check = list(register.review.all_of(kind, on=ON))  # what `treem check` reports
        assert len(check) == screen[kind]
        assert [row.child_id for row in check] == ids_of(review_list(register, kind, on=ON))
    assert screen["no_id"] == 1 and screen["basic_info"] == 2
