"""Exports: full list, cleaning lists, report; Vietnamese intact, atomic, role-gated."""

from __future__ import annotations

import os
import stat
from datetime import date, datetime

import openpyxl
import pytest

from exports import Cancelled
from exports.cleaning import write_cleaning
from exports.full import write_full
from exports.report import compute_report, write_report
from libchild.issues import issue

AS_OF = date(2026, 6, 30)


def child(**values):
    base = {
        "personal_id": "014216000101", "full_name": "Lò Văn Ánh", "sex": "1",
        "birth_date": "2016-03-12", "ethnicity": "03", "nationality": "VN",
        "village": "Bản Nà Sản", "commune_code": "03808", "province_code": "14",
        "father_name": "Lò Văn Bình", "mother_name": "Quàng Thị Lả",
        "caregiver_name": None, "caregiver_id": None, "circumstances": [], "supports": [],
        "death_date": None,
    }
    base.update(values)
    return base


CHILDREN = [
    child(),
    child(personal_id=None, full_name="Quàng Thị Mai", sex="2", birth_date="2018-11-05",
          circumstances=["DB04"], supports=[{"form": "TG01", "date": "2024-01-12"}]),
    child(personal_id="12345", full_name="Nguyễn Minh Đức", birth_date="2021-01-20",
          ethnicity="01", village="Tiểu khu 1", circumstances=["DB01", "NC02"]),
    child(full_name="Hà Thị Hương", sex="2", birth_date="2008-01-01"),  # 18: out of scope
]


def sheet_rows(path, index=0):
    book = openpyxl.load_workbook(path)
    return [list(r) for r in book.worksheets[index].iter_rows(values_only=True)]


def test_full_export_has_every_child_with_codes_beside_names(tmp_path):
    out = tmp_path / "full.xlsx"
    assert write_full(out, CHILDREN, sensitive=True) == 4
    rows = sheet_rows(out)
    header = rows[0]
    assert header[:5] == ["Số định danh cá nhân", "Họ và tên", "Mã giới tính", "Giới tính",
                          "Ngày sinh"]
    first = dict(zip(header, rows[1], strict=False))
    assert first["Họ và tên"] == "Lò Văn Ánh"
    assert first["Mã dân tộc (QĐ 121-TCTK 1979)"] == "03" and first["Dân tộc"] == "Thái"
    assert first["Mã xã/phường"] == "03808" and first["Tỉnh/thành phố"] == "Sơn La"
    assert first["Ngày sinh"] == datetime(2016, 3, 12)
    second = dict(zip(header, rows[2], strict=False))
    assert second["Mã hoàn cảnh"] == "DB04"
    assert "khuyết tật" in second["Hoàn cảnh"]
    supports = second["Trợ giúp đã nhận"]
    assert supports.startswith("TG01") and "12/01/2024" in supports
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600


def test_full_export_hides_sensitive_columns_unless_allowed(tmp_path):
    out = tmp_path / "full.xlsx"
    write_full(out, CHILDREN, sensitive=False)
    header = sheet_rows(out)[0]
    assert not {"Dân tộc", "Mã dân tộc", "Hoàn cảnh", "Mã hoàn cảnh", "Trợ giúp đã nhận"} & set(
        header
    )
    assert "Họ và tên" in header


def test_full_export_keeps_leading_zeros_as_text(tmp_path):
    out = tmp_path / "full.xlsx"
    write_full(out, [child(personal_id="001220000202")])
    assert sheet_rows(out)[1][0] == "001220000202"


def test_cancelled_export_leaves_the_old_file_untouched(tmp_path):
    out = tmp_path / "full.xlsx"
    out.write_bytes(b"old")
    calls = []

    def cancel():
        calls.append(1)
        return True

    with pytest.raises(Cancelled):
        write_full(out, (child() for _ in range(5000)), cancel=cancel)
    assert out.read_bytes() == b"old"
    assert calls
    assert [p.name for p in tmp_path.iterdir()] == ["full.xlsx"]  # no temp file left


def test_progress_is_reported(tmp_path):
    seen = []
    write_full(tmp_path / "f.xlsx", [child()] * 4500, total=4500,
               on_progress=lambda done, total: seen.append((done, total)))
    assert seen[0] == (2000, 4500) and seen[-1] == (4500, 4500)


def test_cleaning_lists_one_sheet_per_problem_with_messages(tmp_path):
    out = tmp_path / "clean.xlsx"
    lists = {"no_id": [(CHILDREN[1], [issue("personal_id.missing")])],
             "bad_id": [(CHILDREN[2], [issue("personal_id.length")])],
             "aged_out": [(CHILDREN[3], [issue("age.over_16")])]}
    counts = write_cleaning(out, lists)
    assert counts == {"no_id": 1, "bad_id": 1, "basic_info": 0, "aged_out": 1}
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Chưa có số định danh", "Số định danh sai", "Thiếu thông tin",
                               "Từ 16 tuổi"]
    no_id = [list(r) for r in book["Chưa có số định danh"].iter_rows(values_only=True)]
    header = no_id[2]
    assert "Vấn đề" in header and "Dân tộc" not in header
    row = dict(zip(header, no_id[3], strict=False))
    assert row["Họ và tên"] == "Quàng Thị Mai"
    assert row["Vấn đề"]  # the libchild message, in Vietnamese
    bad = [list(r) for r in book["Số định danh sai"].iter_rows(values_only=True)]
    assert bad[3][1] == "Nguyễn Minh Đức"


def test_report_counts_and_rates(tmp_path):
    report = compute_report(CHILDREN, AS_OF)
    assert report.total == 3  # the 18-year-old is out of scope
    assert report.by_sex["1"] == 2 and report.by_sex["2"] == 1
    assert report.by_age[(6, 10)] == 2 and report.by_age[(3, 5)] == 1
    assert report.special == 2 and report.special_supported == 1
    assert report.rate(report.special) == pytest.approx(2 / 3)
    assert report.at_risk == 1
    assert report.no_id == 1
    out = tmp_path / "report.xlsx"
    write_report(out, report, commune="Xã Mường La")
    rows = sheet_rows(out)
    text = "\n".join(str(c) for r in rows for c in r if c is not None)
    assert "Xã Mường La" in text and "30/06/2026" in text
    assert "Lò Văn Ánh" not in text and "014216000101" not in text  # no personal data
    # the summary of the main sheet: label, count, share of all children
    labels = {r[1].strip(): r[2:4] for r in rows if isinstance(r[1], str)}
    assert labels["Tổng số trẻ em dưới 16 tuổi"][0] == 3
    assert labels["Từ 6 đến 10 tuổi"] == [2, pytest.approx(2 / 3)]


def test_report_excludes_the_deceased_from_living_totals():
    dead = child(full_name="Lò Văn Tài", death_date="2025-02-01", circumstances=["KH02"])
    report = compute_report([child(), dead], AS_OF)
    assert report.total == 1 and report.deceased == 1
    assert report.by_circumstance["KH02"] == 1


def test_writing_into_a_missing_directory_says_so(tmp_path):
    from exports.errors import SpreadsheetError

    with pytest.raises(SpreadsheetError) as err:
        write_full(tmp_path / "no" / "f.xlsx", [child()])
    assert "không tồn tại" in str(err.value)
