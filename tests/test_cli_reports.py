"""``treem report`` and ``treem report merge``: text, JSON and workbook give the same
figures; refusals and mistakes get a Vietnamese message and the right exit code."""

from __future__ import annotations

import json

import pytest
from kit import PASSWORD, new_register, person

from exports.report_merge import read_report
from tui.cli import main
from tui.services import Services, accounts, registers
from tui.store.bulk import insert_villages
from tui.store.settings import create_register


def _fill(services) -> None:
    base = {"sex": "Nữ", "ethnicity": "Thái", "mother_name": "Quàng Thị Xuân"}
    a = services.children.save({**base, "full_name": "Lò Thị An", "birth_date": "02/03/2018",
                                "village": "Bản Nà Lốc"}).child_id
    services.children.add_circumstance(a, "DB04", "10/03/2026")
    services.children.save({**base, "full_name": "Cầm Thị Bình", "birth_date": "05/05/2020",
                            "village": "Bản Pá Ban", "personal_id": "014320000789"})
    services.children.save({**base, "full_name": "Lường Thị Chi", "birth_date": "07/07/2022",
                            "village": "Bản Pá Ban"})


@pytest.fixture
def register(tmp_path):
    """A real register with an officer and a viewer (passwords in a file)."""
    path = tmp_path / "xa.db"
    db = new_register(path)
    insert_villages(db, ["Bản Nà Lốc", "Bản Pá Ban"])
    _fill(person(db, "lan.officer", "officer"))
    person(db, "hoa.viewer", "viewer")
    db.close()
    (tmp_path / "pw").write_text(PASSWORD, encoding="utf-8")
    return path


def _run(argv) -> int:
    """``treem`` with ``argv``: its exit code (argument mistakes exit as argparse does)."""
    try:
        return main(argv)
    except SystemExit as stop:
        return int(stop.code)


def _as(register, user):
    return ["--db", str(register), "--as", user, "--password-file",
            str(register.parent / "pw")]


def test_text_report_shows_value_target_and_status(register, capsys):
    code = main(["report", *_as(register, "lan.officer"), "--as-of", "30/06/2026"])
    out = capsys.readouterr().out
    assert code == 0
    assert "Xã Mường La — 6 tháng đầu năm 2026" in out
    assert ("Tỷ lệ trẻ em có hoàn cảnh đặc biệt trên tổng số trẻ em\n"
            "    33,33%  (tử số 1/mẫu số 3); chỉ tiêu < 6,4%: chưa đạt; kỳ trước 0,00%") in out


def test_json_and_workbook_carry_the_same_figures(register, tmp_path, capsys):
    out = tmp_path / "bc.xlsx"
    code = main(["report", *_as(register, "lan.officer"), "--as-of", "30/06/2026",
                 "--json", "--out", str(out)])
    captured = capsys.readouterr()
    assert code == 0 and "Đã ghi báo cáo son-la-2026" in captured.err
    data = json.loads(captured.out)
    special = next(i for i in data["indicators"] if i["id"] == "ty_le_dac_biet")
    assert (special["numerator"], special["denominator"], special["met"]) == (1, 3, False)
    assert special["value"] == pytest.approx(33.333333)
    book = read_report(out).document
    assert data["periods"] == book["periods"]
    assert data["plan_digest"] == book["plan_digest"]


def test_a_viewer_gets_no_sensitive_indicator(register, capsys):
    assert main(["report", *_as(register, "hoa.viewer"), "--as-of", "30/06/2026",
                 "--json"]) == 0
    ids = {i["id"] for i in json.loads(capsys.readouterr().out)["indicators"]}
    assert "duoi_5_co_so_dinh_danh" in ids and "ty_le_dac_biet" not in ids
    assert main(["report", *_as(register, "hoa.viewer"), "--as-of", "30/06/2026"]) == 0
    assert "cần quyền xem dữ liệu nhạy cảm" in capsys.readouterr().out


def test_refusals_and_mistakes_are_said_in_vietnamese(register, capsys):
    assert main(["report", "--db", str(register)]) == 4
    assert "--as" in capsys.readouterr().err
    assert main(["report", *_as(register, "lan.officer"), "--plan", "khong-co"]) == 2
    assert "Không có kế hoạch «khong-co»" in capsys.readouterr().err
    assert _run(["report", *_as(register, "lan.officer"), "--as-of", "31/02/2026"]) == 2
    assert "Ngày «31/02/2026» không đọc được" in capsys.readouterr().err
    assert _run(["report", *_as(register, "lan.officer"), "--periods", "0"]) == 2
    assert "không phải là số kỳ" in capsys.readouterr().err


def test_merge_adds_communes_and_refuses_one_counted_twice(tmp_path, capsys):
    books = []
    for code, name in (("03808", "Xã Mường La"), ("03646", "Phường Tô Hiệu")):
        path = tmp_path / f"{code}.db"
        db = create_register(path, commune_code=code, commune_name=name,
                             province_code="14", sandbox=True)
        insert_villages(db, ["Bản Nà Lốc", "Bản Pá Ban"])
        db.close()
        reg = registers.open_register(path)
        _fill(Services(reg.db, accounts.sandbox_session(reg.db)))
        reg.close()
        books.append(tmp_path / f"{code}.xlsx")
        assert main(["report", "--db", str(path), "--as-of", "30/06/2026",
                     "--out", str(books[-1])]) == 0
    province = tmp_path / "tinh.xlsx"
    assert main(["report", "merge", *map(str, books), "--out", str(province)]) == 0
    assert "Đã tổng hợp báo cáo của 2 xã" in capsys.readouterr().out
    merged = read_report(province)
    assert merged.document["kind"] == "province"
    assert merged.evaluation.current.counts["ty_le_dac_biet"].denominator == 6
    assert main(["report", "merge", str(books[0]), str(books[0]), "--out",
                 str(tmp_path / "x.xlsx")]) == 2
    assert "mỗi xã chỉ được tính một lần" in capsys.readouterr().err
    assert not (tmp_path / "x.xlsx").exists()


def test_the_older_export_report_follows_the_same_rules(register, tmp_path):
    out = tmp_path / "viewer.xlsx"
    assert main(["export", "report", "--out", str(out), "--as-of", "30/06/2026",
                 *_as(register, "hoa.viewer")]) == 0
    ids = {i.id for i in read_report(out).evaluation.plan.indicators}
    assert "duoi_5_co_so_dinh_danh" in ids and "ty_le_dac_biet" not in ids
    assert read_report(out).evaluation.area.code == "03808"  # mergeable by the province


def test_reports_counted_by_the_database_equal_the_commune_report(register, tmp_path, capsys):
    """``--communes`` and ``--province`` count in SQL; the figures are the commune
    report's, and the province workbook is one the merge reads back."""
    args = [*_as(register, "lan.officer"), "--as-of", "30/06/2026", "--json"]
    assert main(["report", *args]) == 0
    plain = json.loads(capsys.readouterr().out)
    assert main(["report", *args, "--communes", "03808"]) == 0
    one = json.loads(capsys.readouterr().out)
    assert one["periods"] == plain["periods"] and one["kind"] == "commune"
    out = tmp_path / "tinh.xlsx"
    assert main(["report", *args, "--province", "--out", str(out)]) == 0
    province = json.loads(capsys.readouterr().out)
    assert province["kind"] == "province" and province["communes"] == ["03808"]
    assert [p["counts"] for p in province["periods"]] == [p["counts"] for p in plain["periods"]]
    assert read_report(out).document["periods"] == province["periods"]


def test_reports_of_other_communes_are_refused(register, capsys):
    args = [*_as(register, "lan.officer"), "--as-of", "30/06/2026"]
    assert main(["report", *args, "--communes", "03811"]) != 0
    assert "không được xem báo cáo của xã: 03811" in capsys.readouterr().err
    assert _run(["report", *args, "--communes", "38,x"]) == 2
    assert "không phải danh sách mã xã" in capsys.readouterr().err
