"""The reports service: facts streamed from the register, scope and sensitive data per
role, the workbook written, audited and read back by the province's merge."""

from __future__ import annotations

import os
from datetime import date

import pytest
from kit import new_register, person

from exports.report_merge import read_report
from libchild.indicators import Count
from tui.errors import InvalidInput, PermissionDenied
from tui.services.policy import Scope
from tui.services.reports import indicator_lines, needs_sensitive
from tui.store import audit
from tui.store.bulk import insert_villages
from tui.store.report_facts import stream_facts

PLAN = "son-la-2026"


def _child(name, born, village, **more):
    return {"full_name": name, "sex": "Nữ", "birth_date": born, "ethnicity": "Thái",
            "mother_name": "Quàng Thị Xuân", "village": village, **more}


@pytest.fixture
def db(tmp_path):
    db = new_register(tmp_path / "reg.db")
    insert_villages(db, ["Bản Nà Lốc", "Bản Pá Ban"])
    return db


@pytest.fixture
def officer(db):
    officer = person(db, "lan.officer", "officer")
    a = officer.children.save(_child("Lò Thị An", "02/03/2018", "Bản Nà Lốc")).child_id
    officer.children.add_circumstance(a, "DB04", "10/03/2026")
    officer.children.add_support(a, "TG01", "01/04/2026")
    b = officer.children.save(_child("Cầm Thị Bình", "05/05/2020", "Bản Pá Ban")).child_id
    officer.children.add_circumstance(b, "DB02", "01/02/2025")
    officer.children.save(_child("Lường Thị Chi", "07/07/2022", "Bản Pá Ban",
                                 personal_id="014322000456"))
    return officer


def _village(svc, name):
    return next(v.id for v in svc.commune.villages() if v.name == name)


def test_a_circumstance_counts_from_its_start_date(officer):
    ev = officer.reports.evaluate(PLAN, date(2026, 6, 30), periods=2)
    # 2025-H2: only Bình (DB02 since February 2025); 2026-H1: An joined in March
    assert [f.counts["ty_le_dac_biet"] for f in ev.periods] == [Count(1, 3), Count(2, 3)]
    before_march = officer.reports.evaluate(PLAN, date(2026, 2, 28), periods=1)
    assert before_march.current.counts["ty_le_dac_biet"] == Count(1, 3)
    assert ev.current.by_area["Bản Nà Lốc"]["ty_le_dac_biet"] == Count(1, 1)
    assert ev.current.by_area["Bản Pá Ban"]["ty_le_dac_biet"] == Count(1, 2)


def test_the_stream_reads_episodes_supports_and_id_of_each_child(officer, db):
    facts = list(stream_facts(db))
    assert [f.village for f in facts] == ["Bản Nà Lốc", "Bản Pá Ban", "Bản Pá Ban"]
    an, binh, chi = facts
    assert [(e.code, e.start) for e in an.episodes] == [("DB04", date(2026, 3, 10))]
    assert [(s.form, s.day) for s in an.supports] == [("TG01", date(2026, 4, 1))]
    assert [e.code for e in binh.episodes] == ["DB02"] and binh.supports == ()
    assert chi.episodes == () and chi.has_personal_id and not chi.id_verified
    assert an.ethnicity == "03"


def test_lines_show_value_target_and_change_since_the_previous_period(officer):
    ev = officer.reports.evaluate(PLAN, date(2026, 6, 30), periods=2)
    line = next(x for x in indicator_lines(ev) if x.id == "ty_le_dac_biet")
    assert (line.numerator, line.denominator, line.display) == (2, 3, "66,67%")
    assert line.met is False and line.target == "< 6,4%"
    assert line.previous_display == "33,33%"
    assert round(float(line.change), 2) == 33.33


def test_a_viewer_gets_no_indicator_over_sensitive_data(officer, db):
    viewer = person(db, "hoa.viewer", "viewer")
    ev = viewer.reports.evaluate(PLAN, date(2026, 6, 30))
    assert ev.plan.indicators and not any(needs_sensitive(i) for i in ev.plan.indicators)
    assert "ty_le_dac_biet" not in ev.current.counts
    withheld = [n for n in ev.plan.not_computed if "nhạy cảm" in n.reason]
    assert any(n.name.startswith("Tỷ lệ trẻ em có hoàn cảnh đặc biệt") for n in withheld)
    assert ev.current.breakdown.by_group.get("special", 0) == 0
    assert ev.current.breakdown.by_ethnicity == {"": 3} or not ev.current.breakdown.by_ethnicity
    assert ev.current.breakdown.total == 3
    full = officer.reports.evaluate(PLAN, date(2026, 6, 30))
    assert full.current.breakdown.by_group["special"] == 2


def test_a_person_limited_to_villages_counts_only_those(officer, db, tmp_path):
    pa_ban = _village(officer, "Bản Pá Ban")
    # Only collaborators get a village list at login today (and they have no reports);
    # the rule holds for any session limited to villages (a province deployment's).
    viewer = person(db, "tu.viewer", "viewer")
    viewer.session.scope = Scope(frozenset({pa_ban}))
    ev = viewer.reports.evaluate(PLAN, date(2026, 6, 30))
    assert ev.current.breakdown.total == 2
    assert set(ev.current.by_area) == {"Bản Pá Ban"}
    assert ev.area.villages == ("Bản Pá Ban",)
    with pytest.raises(PermissionDenied, match="cả xã"):
        viewer.reports.export(tmp_path / "x.xlsx", PLAN, date(2026, 6, 30))
    assert not (tmp_path / "x.xlsx").exists()


@pytest.mark.parametrize("role", ["collaborator", "police"])
def test_roles_without_reports_are_refused(db, role):
    someone = person(db, f"x.{role}", role)
    with pytest.raises(PermissionDenied):
        someone.reports.evaluate(PLAN)


def test_unknown_plan_and_bad_periods_are_refused_in_vietnamese(officer):
    with pytest.raises(InvalidInput, match="Không có kế hoạch «khong-co»"):
        officer.reports.evaluate("khong-co")
    with pytest.raises(InvalidInput, match="Số kỳ báo cáo phải từ 1 đến"):
        officer.reports.evaluate(PLAN, periods=0)


def test_the_workbook_is_private_audited_and_merges_with_the_same_figures(officer, db,
                                                                         tmp_path):
    out = tmp_path / "xa.xlsx"
    ev = officer.reports.export(out, PLAN, date(2026, 6, 30))
    assert os.stat(out).st_mode & 0o777 == 0o600
    back = read_report(out).evaluation
    assert back.current.counts == ev.current.counts
    assert back.area.code == "03808"
    entries = [e for e in audit.recent(db) if e["entity"] == "export_report"]
    assert entries and entries[-1]["username"] == "lan.officer"
