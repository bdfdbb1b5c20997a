"""Properties of the rule engine: it never raises, and clean() never adds errors."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from libchild.issues import Issue
from libchild.messages import MESSAGES
from libchild.model import CANONICAL_FIELDS, Child
from libchild.rules import clean, validate

ON = date(2025, 9, 1)


class Hostile:
    """A value whose every conversion and comparison raises."""

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("eq")

    def __hash__(self) -> int:
        raise RuntimeError("hash")

    def __str__(self) -> str:
        raise RuntimeError("str")

    def __len__(self) -> int:
        raise RuntimeError("len")

    def __bool__(self) -> bool:
        raise RuntimeError("bool")


scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(), st.binary(),
    st.dates(), st.datetimes(), st.builds(Hostile), st.builds(object),
    st.sampled_from(["Nguyễn Văn " * 20_000, "1" * 100_000, "\u0301" * 50_000]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.tuples(inner, inner),
        st.dictionaries(st.text(max_size=8), inner, max_size=4),
    ),
    max_leaves=8,
)
keys = st.one_of(st.sampled_from(CANONICAL_FIELDS), st.text(max_size=10), st.integers())
records = st.dictionaries(keys, values, max_size=20)
# Child instances hold whatever they are given (attrs does not check types).
children = st.builds(Child, **{f: values for f in CANONICAL_FIELDS})
anything = st.one_of(values, records, children, st.builds(Hostile))


def well_formed(issues: object) -> bool:
    return isinstance(issues, list) and all(
        isinstance(i, Issue) and i.code in MESSAGES
        and (i.field in CANONICAL_FIELDS or (i.field is None and i.code == "record.invalid"))
        for i in issues
    )


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records)
def test_validate_never_raises_on_dicts_of_anything(record: dict) -> None:
    assert well_formed(validate(record, on=ON))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(anything, st.one_of(st.none(), st.dates(), st.text(max_size=12), st.integers()))
def test_validate_and_clean_never_raise_on_anything(record: object, on: object) -> None:
    assert well_formed(validate(record, on=on))  # type: ignore[arg-type]
    result = clean(record, on=on)  # type: ignore[arg-type]
    assert well_formed(result.issues)
    assert list(result.record) == list(CANONICAL_FIELDS)


# Values as an officer types them: mostly plausible, some wrong.
typed_values = {
    "personal_id": st.one_of(
        st.none(), st.sampled_from(["014218001234", "014 218 001 234", "01421800123",
                                    "0142180012AB", "999318001234"]),
        st.text(alphabet="0123456789 .-", max_size=14), st.integers(0, 10**13),
    ),
    "full_name": st.one_of(
        st.none(), st.sampled_from(["Lò Văn Páo", "NGUYỄN  văn AN", "Páo", "An 2",
                                    "Giàng A Sử", "h'hen niê", "Lß V¨n P¸o"]),
        st.text(max_size=30),
    ),
    "sex": st.one_of(st.none(), st.sampled_from(["1", "2", "Nam", "nữ", "M", "x", 1, 3])),
    "birth_date": st.one_of(
        st.none(), st.dates(date(1990, 1, 1), date(2030, 1, 1)),
        st.sampled_from(["05/09/2018", "31/02/2018", "2018-09-05", "abc", 43348, "29/02/2016"]),
        st.text(max_size=12),
    ),
    "ethnicity": st.one_of(st.none(), st.sampled_from(["08", "8", "Mèo", "kinh", "99", "X"])),
    "nationality": st.one_of(st.none(), st.sampled_from(["VN", "vn", "Lào", "LA", "ZZ"])),
    "schooling": st.one_of(st.none(), st.sampled_from(["01", "4", "THCS", "08", "77"])),
    "commune_code": st.one_of(st.none(), st.sampled_from(["03808", "3808", "00004", "99999",
                                                          "Xã Mường La", "Tân Phú"])),
    "province_code": st.one_of(st.none(), st.sampled_from(["14", "01", "02", "Sơn La", "99"])),
    "caregiver_id": st.one_of(st.none(), st.sampled_from(["014085004321", "014218001234",
                                                          "050123456", "12ab"])),
    "father_name": st.one_of(st.none(), st.text(max_size=20), st.just("Lò Văn Minh")),
    "mother_name": st.one_of(st.none(), st.just("Quàng Thị Lan")),
    "caregiver_name": st.one_of(st.none(), st.just("Lò Thị Xuân")),
    "circumstances": st.one_of(
        st.none(), st.lists(st.sampled_from(["DB01", "DB04", "DB07", "DB14", "NC01", "NC02",
                                             "KH02", "db4", "ZZ"]), max_size=4),
        st.just("DB04; NC02"),
    ),
    "supports": st.one_of(
        st.none(),
        st.lists(st.fixed_dictionaries({
            "form": st.sampled_from(["TG01", "TG04", "y tế", "TG99"]),
            "date": st.one_of(st.none(), st.sampled_from(["15/03/2025", "2030-01-01", "x"])),
        }), max_size=3),
    ),
    "death_date": st.one_of(st.none(), st.sampled_from(["2024-01-01", "x", "2030-01-01"])),
    "village": st.one_of(st.none(), st.text(max_size=15)),
}
typed_records = st.fixed_dictionaries({}, optional=typed_values)


def errors(record: object) -> set[str]:
    return {i.code for i in validate(record, on=ON) if i.severity == "error"}


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(typed_records)
def test_clean_output_revalidates_without_new_errors(record: dict) -> None:
    result = clean(record, on=ON)
    assert errors(result.record) <= errors(record)
    assert {i.code for i in result.issues} == {i.code for i in validate(record, on=ON)}


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(typed_records)
def test_clean_is_idempotent(record: dict) -> None:
    once = clean(record, on=ON).record
    assert clean(once, on=ON).record == once
