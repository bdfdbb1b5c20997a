"""The reference evaluator pinned on hand-made registers, and against a naive reading.

Each test builds a small register of facts and checks the figures a commune would
report: period boundaries, a circumstance entered in March, a child turning 16 inside a
period, deaths, supports, personal ID numbers, villages.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from libchild.dates import age
from libchild.indicators import (
    AGE_GROUPS,
    Area,
    ChildFacts,
    Episode,
    Filter,
    ListSource,
    Period,
    SupportGiven,
    When,
    as_of,
    evaluate,
    evaluate_last,
    facts_from_canonical,
    half_year,
    last_periods,
    load_plans,
    parse_plan,
)

AREA = Area("03808", "Xã Mường La", "14", ("Bản Nà", "Bản Mòng"))
PLANS = load_plans()
SON_LA = PLANS["son-la-2026"]
NGOC_HOI = PLANS["ha-noi-ngoc-hoi-2026"]
H2_2025 = half_year(date(2025, 9, 1))
H1_2026 = half_year(date(2026, 3, 1))
H2_2026 = half_year(date(2026, 9, 1))


def kid(birth=date(2020, 1, 1), **kw) -> ChildFacts:
    kw.setdefault("village", "Bản Nà")
    return ChildFacts(birth, **kw)


def run(plan, facts, *periods):
    return evaluate(plan, ListSource(AREA, tuple(facts)), list(periods))


def counts(plan, facts, indicator, *periods):
    ev = run(plan, facts, *periods)
    return [(f.counts[indicator].numerator, f.counts[indicator].denominator)
            for f in ev.periods]


def test_periods_are_the_halves_of_the_year_and_as_of_is_the_half_so_far():
    assert Period(date(2026, 1, 1), date(2026, 6, 30)) == H1_2026
    assert Period(date(2025, 7, 1), date(2025, 12, 31)) == H2_2025
    assert as_of(date(2026, 4, 15)) == Period(date(2026, 1, 1), date(2026, 4, 15))
    assert last_periods(date(2026, 6, 30), 4) == [
        half_year(date(2024, 7, 1)), half_year(date(2025, 1, 1)), H2_2025, H1_2026]
    assert H1_2026.key == "2026-H1" and Period.from_key("2026-H1") == H1_2026
    assert Period.from_key(as_of(date(2026, 4, 15)).key) == as_of(date(2026, 4, 15))


def test_a_child_who_entered_a_circumstance_in_march_counts_from_march():
    facts = [kid(episodes=(Episode("DB04", date(2026, 3, 10)),)), kid(), kid(), kid()]
    got = counts(SON_LA, facts, "ty_le_dac_biet",
                 as_of(date(2026, 3, 9)), as_of(date(2026, 3, 10)), H2_2025, H1_2026)
    # sorted oldest first: H2 2025, as of 9/3, as of 10/3, H1 2026
    assert got == [(0, 4), (0, 4), (1, 4), (1, 4)]


def test_period_boundaries_of_circumstances():
    ends_29_june = kid(episodes=(Episode("DB08", date(2026, 2, 1), date(2026, 6, 29)),))
    ends_30_june = kid(episodes=(Episode("DB01", date(2026, 2, 1), date(2026, 6, 30)),))
    starts_30_june = kid(episodes=(Episode("DB04", date(2026, 6, 30)),))
    starts_1_july = kid(episodes=(Episode("DB04", date(2026, 7, 1)),))
    facts = [ends_29_june, ends_30_june, starts_30_june, starts_1_july]
    # on the reference date (30 June): the episode that ended on 29 June no longer counts,
    # the ones that end or start on 30 June do, the one of 1 July not yet
    assert counts(SON_LA, facts, "ty_le_dac_biet", H1_2026, H2_2026) == [(2, 4), (2, 4)]
    # "in the period" (abuse): the violence episode of February counts in H1 only
    assert counts(SON_LA, facts, "ty_le_bi_xam_hai", H1_2026, H2_2026) == [(1, 4), (0, 4)]


def test_a_child_who_turns_16_inside_a_period():
    # born 15 May 2010: 15 until 14 May 2026, 16 from 15 May 2026 (Luật Trẻ em Điều 1)
    turning = kid(date(2010, 5, 15), episodes=(Episode("DB01", date(2020, 1, 1)),))
    other = kid(date(2015, 1, 1))
    got = counts(SON_LA, [turning, other], "ty_le_dac_biet",
                 H2_2025, as_of(date(2026, 5, 14)), as_of(date(2026, 5, 15)), H1_2026)
    assert got == [(1, 2), (1, 2), (0, 1), (0, 1)]
    # a child born inside the period counts; one born after the reference date does not
    newborn = kid(date(2026, 6, 30))
    unborn = kid(date(2026, 7, 1))
    assert counts(SON_LA, [newborn, unborn], "duoi_5_co_so_dinh_danh", H1_2026) == [(0, 1)]


def test_deaths_leave_the_living_population_but_count_in_the_period():
    injured = kid(episodes=(Episode("KH03", date(2026, 2, 1), date(2026, 2, 20)),))
    died = kid(death_date=date(2026, 4, 1),
               episodes=(Episode("KH02", date(2026, 4, 1)),))
    facts = [injured, died, *[kid() for _ in range(8)]]
    ev = run(SON_LA, facts, H2_2025, H1_2026, H2_2026)
    deaths = [f.counts["ty_suat_tu_vong_tntt"] for f in ev.periods]
    assert [(c.numerator, c.denominator) for c in deaths] == [(0, 10), (1, 10), (0, 9)]
    injuries = [f.counts["ty_suat_tai_nan_thuong_tich"].numerator for f in ev.periods]
    assert injuries == [0, 2, 0]
    assert SON_LA.indicator("ty_suat_tu_vong_tntt").display(1, 10) == "10.000,00/100.000 trẻ"
    # the living population on 30 June no longer has the child who died
    assert ev.periods[1].counts["ty_le_dac_biet"].denominator == 9
    assert ev.periods[1].breakdown.deceased_in_period == 1
    assert ev.periods[1].breakdown.by_circumstance["KH02"] == 1
    # KH02 without a date of death: dead from the episode's start
    only_kh02 = kid(episodes=(Episode("KH02", date(2026, 8, 1)),))
    assert counts(SON_LA, [only_kh02], "ty_le_dac_biet", H1_2026, H2_2026) == [(0, 1), (0, 0)]


def test_supports_in_the_period_and_ever():
    dec = kid(episodes=(Episode("DB12", date(2025, 11, 1)),),
              supports=(SupportGiven("TG03", date(2025, 12, 31)),))
    jan = kid(episodes=(Episode("DB12", date(2025, 11, 1)),),
              supports=(SupportGiven("TG03", date(2026, 1, 1)),))
    never = kid(episodes=(Episode("DB12", date(2025, 11, 1)),))
    undated = kid(episodes=(Episode("DB04"),), supports=(SupportGiven("TG01"),))
    facts = [dec, jan, never, undated]
    # timely help to abused children: support inside the same period
    assert counts(NGOC_HOI, facts, "xam_hai_duoc_tro_giup", H2_2025, H1_2026) == [
        (1, 3), (1, 3)]
    # cared for or supported: any support up to the reference date, undated included
    assert counts(SON_LA, facts, "dac_biet_duoc_tro_giup", H2_2025, H1_2026) == [
        (2, 4), (3, 4)]
    indicator = SON_LA.indicator("dac_biet_duoc_tro_giup")
    assert indicator.met(3, 4) is False and indicator.met(91, 100) is True


def test_personal_id_numbers_under_five_and_their_dates():
    facts = [kid(date(2022, 1, 1), has_personal_id=True),
             kid(date(2023, 1, 1), has_personal_id=True, personal_id_since=date(2026, 5, 1)),
             kid(date(2024, 1, 1)),
             kid(date(2015, 1, 1), has_personal_id=True)]  # 11 years old: not under five
    got = counts(SON_LA, facts, "duoi_5_co_so_dinh_danh", H2_2025, H1_2026)
    assert got == [(1, 3), (2, 3)]
    plan = PLANS["son-la-muong-la-2026"]
    verified = [kid(has_personal_id=True, id_verified=True), kid(has_personal_id=True), kid()]
    assert counts(plan, verified, "so_dinh_danh_da_xac_thuc", H1_2026) == [(1, 3)]
    assert counts(plan, verified, "co_so_dinh_danh", H1_2026) == [(2, 3)]


def test_villages_add_up_to_the_commune_and_counts_have_no_denominator():
    facts = [kid(village="Bản Nà", episodes=(Episode("DB11", date(2025, 1, 1)),)),
             kid(village="Bản Mòng"), kid(village="Bản Mòng",
                                         episodes=(Episode("DB11", date(2025, 1, 1)),)),
             kid(village="")]
    ev = run(PLANS["lang-son-chi-lang-2025"], facts, H1_2026)
    figures = ev.current
    assert figures.counts["tre_lao_dong_trai_quy_dinh"].numerator == 2
    assert figures.counts["tre_lao_dong_trai_quy_dinh"].denominator == 0
    assert PLANS["lang-son-chi-lang-2025"].indicator("tre_lao_dong_trai_quy_dinh").met(2, 0) \
        is False
    for ind in figures.counts:
        assert sum((a[ind] for a in figures.by_area.values()),
                   start=type(figures.counts[ind])(0, 0)) == figures.counts[ind]
    assert ev.sub_areas() == ["Bản Nà", "Bản Mòng", ""]
    assert figures.breakdown.by_area == {"": 1, "Bản Mòng": 2, "Bản Nà": 1}


def test_breakdown_by_age_group_sex_and_circumstance_group():
    on = date(2026, 6, 30)
    facts = [kid(on - timedelta(days=1), sex="1"), kid(date(2023, 6, 30), sex="2"),
             kid(date(2020, 6, 30), sex="2", episodes=(Episode("NC02"),)),
             kid(date(2010, 7, 1), sex="1", episodes=(Episode("DB04"), Episode("NC02"))),
             ChildFacts(None)]
    ev = run(SON_LA, facts, H1_2026)
    b = ev.current.breakdown
    assert b.total == 4 and ev.no_birth_date == 1
    assert dict(zip(AGE_GROUPS, b.by_age, strict=True)) == {
        (0, 2): 1, (3, 5): 1, (6, 10): 1, (11, 15): 1}
    assert b.by_sex == {"1": 2, "2": 2}
    assert b.by_group == {"special": 1, "at_risk": 2, "other": 0}
    assert b.by_circumstance["NC02"] == 2 and b.by_circumstance["DB04"] == 1


def test_facts_from_canonical_dicts_match_the_old_report_conventions():
    child = facts_from_canonical({
        "birth_date": "2018-11-05", "sex": "2", "village": "Bản Nà Sản",
        "personal_id": None, "circumstances": ["DB04"], "supports": [],
        "death_date": "", "id_verified": True})
    assert child.has_personal_id is False and child.id_verified is False
    assert child.episodes == (Episode("DB04"),)
    assert evaluate_last(SON_LA, ListSource(AREA, (child,)), date(2026, 6, 30), 2
                         ).current.counts["ty_le_dac_biet"].numerator == 1


# --- a naive reading of the rules, child by child, against the bit-set evaluator ------
def naive(indicator, facts, period):
    start, day = period.start, period.end

    def dead_by(f, when):
        death = f.death_date
        for e in f.episodes:
            if e.code == "KH02" and (e.start or not f.death_date):
                kh = e.start or date.min
                death = kh if death is None or kh < death else death
        return death is not None and death <= when

    def alive(f, when):
        return not dead_by(f, day if when is When.ON_DATE else start - timedelta(days=1))

    def passes(f, flt: Filter):
        if flt.age and not flt.age[0] <= age(f.birth_date, day)[0] <= flt.age[1]:
            return False
        if flt.sex and f.sex not in flt.sex:
            return False
        if flt.alive is not None and not alive(f, flt.alive):
            return False
        if flt.circumstance:
            low = day if flt.circumstance_when is When.ON_DATE else start
            if not any(e.code in flt.circumstance and (e.start or date.min) <= day
                       and (e.end or date.max) >= low for e in f.episodes):
                return False
        if flt.support:
            if flt.support_when is When.IN_PERIOD:
                ok = any(s.form in flt.support and s.day and start <= s.day <= day
                         for s in f.supports)
            else:
                ok = any(s.form in flt.support and (s.day is None or s.day <= day)
                         for s in f.supports)
            if not ok:
                return False
        has_id = f.has_personal_id and (f.personal_id_since is None
                                         or f.personal_id_since <= day)
        return flt.personal_id is None or flt.personal_id == has_id

    den = num = 0
    for f in facts:
        if f.birth_date is None or f.birth_date > day or age(f.birth_date, day)[0] >= 16:
            continue
        base = indicator.denominator or Filter()
        if not alive(f, base.alive or indicator.numerator.alive or When.ON_DATE
                     if indicator.denominator is None else base.alive or When.ON_DATE):
            continue
        if indicator.denominator is not None and not passes(f, base):
            continue
        den += 1
        num += passes(f, indicator.numerator)
    return num, den if indicator.denominator is not None else 0


# Dates drawn mostly on and beside the period boundaries, where off-by-one rules break.
def boundaries(first: int, last: int) -> list[date]:
    return sorted({date(y, m, 1) + timedelta(days=k) for y in range(first, last + 1)
                   for m in (1, 7) for k in (-1, 0, 1)})


BIRTHS = st.one_of(st.sampled_from(boundaries(2009, 2026)),
                   st.dates(date(2009, 1, 1), date(2027, 3, 1)))
DAYS = st.one_of(st.sampled_from(boundaries(2025, 2026)),
                 st.dates(date(2024, 1, 1), date(2027, 3, 1)))
MAYBE = st.one_of(st.none(), DAYS)
CODES = st.sampled_from(["DB02", "DB04", "DB08", "DB11", "DB12", "KH02", "KH03", "NC01"])
EPISODES = st.builds(Episode, CODES, MAYBE, MAYBE)
SUPPORTS = st.builds(SupportGiven, st.sampled_from(["TG01", "TG02", "TG03"]), MAYBE)
CHILDREN = st.builds(
    ChildFacts, BIRTHS, sex=st.sampled_from(["1", "2", None]),
    village=st.sampled_from(["A", "B"]), has_personal_id=st.booleans(),
    death_date=st.one_of(st.none(), st.none(), DAYS),
    episodes=st.lists(EPISODES, max_size=3).map(tuple),
    supports=st.lists(SUPPORTS, max_size=2).map(tuple),
    personal_id_since=MAYBE)
EXTRA = parse_plan("""# source: thử
# date: 2026
[plan]
id = "thu"
name = "thử"
document = "thử"
issuer = "thử"
[[indicator]]
id = "nam_3_10_khuyet_tat"
name = "Trẻ nam 3-10 tuổi khuyết tật"
source = "thử"
unit = "%"
denominator = { age = [3, 10], sex = ["1"] }
numerator = { circumstance = ["DB04"], circumstance_when = "in_period" }
[[indicator]]
id = "chet_trong_ky_co_so"
name = "Trẻ chết trong kỳ có số định danh"
source = "thử"
unit = "count"
numerator = { alive = "in_period", personal_id = false, support = ["TG02"] }
""")


@settings(max_examples=150, deadline=None)
@given(st.lists(CHILDREN, min_size=1, max_size=25), DAYS)
def test_the_evaluator_agrees_with_a_naive_reading_of_the_rules(facts, day):
    periods = last_periods(day, 3)
    for plan in (SON_LA, NGOC_HOI, EXTRA):
        ev = run(plan, facts, *periods)
        for figures in ev.periods:
            for indicator in plan.indicators:
                got = figures.counts[indicator.id]
                assert (got.numerator, got.denominator) == naive(
                    indicator, facts, figures.period), (indicator.id, figures.period)


@pytest.mark.parametrize("plan_id", sorted(PLANS))
def test_every_shipped_indicator_evaluates_on_an_empty_register(plan_id):
    ev = run(PLANS[plan_id], [], *last_periods(date(2026, 6, 30), 4))
    assert len(ev.periods) == 4
    for figures in ev.periods:
        for indicator in PLANS[plan_id].indicators:
            count = figures.counts[indicator.id]
            assert indicator.display(count.numerator, count.denominator) in ("—", "0 trẻ")
