"""Report figures counted in SQL (``tui.store.report_sql``) equal the reference
evaluator's (``libchild.indicators.evaluate`` over the streamed facts) on the same
register, on both backends: every indicator, village, breakdown and period, with the
edge cases of the rules (period boundaries, a 16th birthday inside a period, deaths from
KH02 with and without a date, undated supports, merged records, missing birth dates,
police verification)."""

from __future__ import annotations

import random
from datetime import date, timedelta

import attrs
import kit
import pytest
from kit import new_register, person

from exports.report_merge import add_up, merge_reports, read_report
from libchild.catalog import load as load_catalogs
from libchild.indicators import Area, Count, evaluate, last_periods, load_plans
from tui.domain import Role
from tui.errors import PermissionDenied
from tui.services import accounts
from tui.services.reports import RegisterFacts, without_sensitive
from tui.store import report_sql, tenancy
from tui.store.bulk import insert_children_bulk, insert_villages
from tui.store.database import run, run_many, write_tx

pytestmark = pytest.mark.backend

ON = date(2026, 8, 20)
PLAN = "son-la-2026"
VILLAGES = ["Bản Nà Lốc", "Bản Pá Ban", "Bản Hua Trai"]
CODES = ["DB01", "DB02", "DB04", "DB08", "DB11", "DB14", "NC01", "NC02", "KH02", "KH03"]
FORMS = ["TG01", "TG02", "TG03", "TG04", "TG05"]


def _groups() -> dict[str, str]:
    return {e.code: e.group for e in load_catalogs().circumstances}


def _maybe_day(rng: random.Random, low: date, high: date, none: float) -> str | None:
    if rng.random() < none:
        return None
    return (low + timedelta(days=rng.randrange((high - low).days + 1))).isoformat()


def fill(db, n: int = 400, seed: int = 5) -> None:
    """``n`` invented children with every kind of fact the rules look at."""
    rng = random.Random(seed)
    insert_villages(db, VILLAGES)
    rows = []
    for k in range(n):
        roll = rng.random()
        if roll < 0.03:
            born = None
        elif roll < 0.06:  # a 16th birthday inside one of the periods
            born = date(2010, 1, 1) + timedelta(days=rng.randrange(0, 600))
        else:
            born = ON - timedelta(days=rng.randrange(-200, 17 * 365))
        rows.append({
            "full_name": f"Lò Văn Thử {k}", "sex": rng.choice(["1", "2", "2", None]),
            "birth_date": born, "ethnicity": rng.choice(["01", "03", "08", None]),
            "village": rng.choice([*VILLAGES, ""]),
            "personal_id": f"0142{k:08d}" if rng.random() < 0.8 else None,
            "death_date": _maybe_day(rng, date(2024, 1, 1), ON, 0.97),
        })
    ids = [i for i in insert_children_bulk(db, rows, allow_errors=True, on=ON).ids if i]
    start, end = date(2024, 1, 1), ON + timedelta(days=30)
    episodes, supports, police = [], [], []
    for child_id in ids:
        for _ in range(rng.choice([0, 0, 0, 1, 1, 2])):
            first = _maybe_day(rng, start, end, 0.15)
            last = _maybe_day(rng, date.fromisoformat(first) if first else start, end, 0.6)
            episodes.append((child_id, rng.choice(CODES), first, last, ""))
        for _ in range(rng.choice([0, 0, 1, 2])):
            supports.append((child_id, rng.choice(FORMS), _maybe_day(rng, start, end, 0.1), ""))
        if rng.random() < 0.3:
            police.append(child_id)
    commune = tenancy.stamp(db)
    episodes = [(*e, commune) for e in episodes]
    supports = [(*s, commune) for s in supports]
    with write_tx(db):
        run_many(db, "INSERT INTO child_circumstance (child_id, code, start_date, end_date, "
                 "note, commune) VALUES (?, ?, ?, ?, ?, ?)", episodes)
        run_many(db, "INSERT INTO support (child_id, form, date, note, commune) "
                 "VALUES (?, ?, ?, ?, ?)", supports)
        batch = run(db, "INSERT INTO police_batch (created_at, status, note, commune) "
                    "VALUES ('2026-01-01T00:00:00', 'returned', '', ?) RETURNING id",
                    (commune,)).fetchone()[0]
        for row_no, child_id in enumerate(police, 1):
            current = run(db, "SELECT personal_id FROM child WHERE id = ?",
                          (child_id,)).fetchone()[0]
            status = rng.choice(["verified", "corrected", "pending", "not_found"])
            verified = current if rng.random() < 0.8 else "014299999999"
            run(db, "INSERT INTO police_batch_row (batch_id, row_no, child_id, id_before, "
                "id_verified, status, commune) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (batch, row_no, child_id, current, verified, status, commune))
        for left, right in zip(ids[:8:2], ids[1:8:2], strict=True):  # merged records
            run(db, "UPDATE child SET merged_into = ? WHERE id = ?", (left, right))


@pytest.fixture
def register(tmp_path):
    db = new_register(tmp_path / "reg.db")
    fill(db)
    yield db
    db.close()


def _reference(db, plan, periods, sensitive=True):
    source = RegisterFacts(db, Area("03808", "Xã Mường La", "14"), None, sensitive)
    return evaluate(plan, source, periods)


def _assert_same(got: report_sql.CommuneFigures, ref) -> None:
    assert got.no_birth_date == ref.no_birth_date
    assert len(got.periods) == len(ref.periods)
    for mine, theirs in zip(got.periods, ref.periods, strict=True):
        assert mine.period == theirs.period
        assert mine.counts == theirs.counts
        assert mine.by_area == theirs.by_area
        for field in attrs.fields(type(mine.breakdown)):
            assert (getattr(mine.breakdown, field.name)
                    == getattr(theirs.breakdown, field.name)), field.name


@pytest.mark.parametrize("plan_id", sorted(load_plans()))
def test_sql_figures_equal_the_reference_evaluator(register, plan_id):
    plan = load_plans()[plan_id]
    periods = last_periods(ON, 5)
    got = report_sql.commune_figures(register, plan, periods, communes=["03808"],
                                     groups=_groups(), sensitive=True)
    assert set(got) == {"03808"}
    ref = _reference(register, plan, periods)
    assert ref.current.breakdown.total > 300  # the register is not trivially empty
    assert sum(ref.current.breakdown.by_circumstance.values()) > 20
    _assert_same(got["03808"], ref)


def test_without_villages_the_commune_figures_are_the_same(register):
    plan = load_plans()["son-la-2026"]
    periods = last_periods(ON, 4)
    ref = _reference(register, plan, periods)
    got = report_sql.commune_figures(register, plan, periods, communes=None,
                                     groups=_groups(), sensitive=True, by_village=False)
    for mine, theirs in zip(got["03808"].periods, ref.periods, strict=True):
        assert mine.counts == theirs.counts and mine.by_area == {}
        assert attrs.evolve(mine.breakdown, by_area=theirs.breakdown.by_area) == theirs.breakdown


def test_boundaries_of_a_period_and_of_a_half_year(register):
    plan = load_plans()["son-la-2026"]
    for day in (date(2026, 6, 30), date(2026, 7, 1), date(2025, 12, 31), date(2026, 1, 1)):
        periods = last_periods(day, 2)
        got = report_sql.commune_figures(register, plan, periods, communes=None,
                                         groups=_groups(), sensitive=True)
        _assert_same(got["03808"], _reference(register, plan, periods))


def test_without_sensitive_facts_the_figures_still_agree(register):
    plan = without_sensitive(load_plans()["son-la-2026"])
    periods = last_periods(ON, 3)
    got = report_sql.commune_figures(register, plan, periods, communes=["03808"],
                                     groups=_groups(), sensitive=False)
    ref = _reference(register, plan, periods, sensitive=False)
    _assert_same(got["03808"], ref)
    assert set(got["03808"].periods[-1].breakdown.by_ethnicity) <= {""}


def test_other_communes_are_left_out(register):
    plan = load_plans()["son-la-2026"]
    got = report_sql.commune_figures(register, plan, last_periods(ON, 1),
                                     communes=["03670"], groups=_groups(), sensitive=True)
    assert set(got) == {"03670"}
    assert got["03670"].periods[0].breakdown.total == 0
    assert got["03670"].periods[0].by_area == {}
    assert all(c == Count(0, 0) for c in got["03670"].periods[0].counts.values())


def test_the_service_report_equals_the_screen_report(register):
    officer = person(register, "lan.officer", "officer")
    screen = officer.reports.evaluate(PLAN, ON, periods=4)
    assert officer.reports.communes_report(PLAN, ON, periods=4, communes=["03808"]) == screen
    province = officer.reports.communes_report(PLAN, ON, periods=4)  # every commune seen
    assert province.area_kind == "commune" and province.area_names == {"03808": "Xã Mường La"}
    assert [p.counts for p in province.periods] == [p.counts for p in screen.periods]


def test_a_commune_outside_the_scope_is_refused(register):
    officer = person(register, "lan.officer", "officer")
    with pytest.raises(PermissionDenied):
        officer.reports.communes_report(PLAN, ON, communes=["03808", "03670"])
    village = run(register, "SELECT id FROM village ORDER BY id").fetchone()[0]
    helper = person(register, "an.helper", "collaborator", villages=[village])
    with pytest.raises(PermissionDenied):
        helper.reports.communes_report(PLAN, ON)


def test_the_database_report_equals_the_merge_of_the_commune_workbooks(register, tmp_path):
    officer = person(register, "lan.officer", "officer")
    officer.reports.export(tmp_path / "03808.xlsx", PLAN, ON, periods=4)
    merge_reports([tmp_path / "03808.xlsx"], tmp_path / "province.xlsx")
    merged = read_report(tmp_path / "province.xlsx").evaluation
    counted = officer.reports.communes_report(PLAN, ON, periods=4)
    assert counted == add_up([officer.reports.communes_report(PLAN, ON, periods=4,
                                                              communes=["03808"])])
    assert counted.periods == merged.periods
    assert counted.area_names == merged.area_names
    assert counted.no_birth_date == merged.no_birth_date
    assert counted.area == merged.area


def _two_communes(tmp_path):
    """Communes A (03808) and B (03670) of Sơn La in one database, each with children
    entered by its own officer; on PostgreSQL owned by the app's role (row-level security
    binds every statement)."""
    from libchild import catalog
    from tui.services.registers import add_commune
    from tui.store.database import open_db
    from tui.store.settings import create_register

    if kit.on_postgres():
        from pg_cluster import owned_by_app

        db = create_register(owned_by_app(kit._fresh_postgres()), commune_code="03808",
                             commune_name="Xã Mường La", province_code="14")
    else:
        db = kit.new_register(tmp_path / "reg.db")
    where = kit.where(db)
    fill(db, n=150, seed=8)
    kit.person(db, "xem.a", "viewer")
    db.close()
    add_commune(where, catalog.load().communes.get("03670"), admin="quan.tri.b",
                admin_name="Quản trị B", password=kit.PASSWORD)
    db = open_db(where)
    admin_b = kit.Services(db, accounts.change_password(db, "quan.tri.b", kit.PASSWORD,
                                                         "mat-khau-moi-456"))
    admin_b.users.create("xem.b", "Xem B", "viewer", kit.PASSWORD)
    tenancy.bind(db, tenancy.Tenancy.of("03670"))
    fill(db, n=120, seed=9)
    db.close()
    return where


def test_a_province_report_from_the_database_equals_the_merge_of_its_communes(tmp_path):
    """issue 14 item 5: on a shared database the province report comes straight from the
    database and equals ``treem report merge`` of the communes' own workbooks."""
    from tui.store.database import open_db

    where = _two_communes(tmp_path)
    db = open_db(where)
    try:
        for name in ("xem.a", "xem.b"):  # each commune's viewer writes its workbook
            viewer = kit.Services(db, accounts.change_password(db, name, kit.PASSWORD,
                                                               "mat-khau-moi-456"))
            viewer.reports.export(tmp_path / f"{name}.xlsx", PLAN, ON, periods=4)
        tenancy.bind(db, tenancy.Tenancy(None, frozenset({"03808", "03670"})))
        accounts.create_account(db, "tinh.can.bo", "Cán bộ tỉnh", Role.PROVINCE_OFFICER,
                                kit.PASSWORD, commune=None, must_change_password=False)
        province = kit.login(db, "tinh.can.bo")
        counted = province.reports.communes_report(PLAN, ON, periods=4)
        with pytest.raises(PermissionDenied):
            province.reports.communes_report(PLAN, ON, communes=["03808", "03814"])
        one = province.reports.communes_report(PLAN, ON, periods=4, communes=["03670"])
    finally:
        db.close()
    merge_reports([tmp_path / "xem.a.xlsx", tmp_path / "xem.b.xlsx"],
                  tmp_path / "tinh.xlsx")
    merged = read_report(tmp_path / "tinh.xlsx").evaluation
    assert counted.area_names == merged.area_names == {"03808": "Xã Mường La",
                                                      "03670": "Phường Chiềng Cơi"}
    assert counted.periods == merged.periods
    assert counted.no_birth_date == merged.no_birth_date
    assert counted.plan == merged.plan and counted.area == merged.area
    assert merged.current.breakdown.total > 200
    assert one.area.code == "03670" and one.area_kind == "village"
