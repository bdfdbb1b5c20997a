"""Merged and two-row headers: a split name is joined, never stored as half a name."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest

from exports.errors import SpreadsheetError
from exports.import_children import ImportOptions, plan_import

ON = date(2026, 6, 30)


def book(path, rows, merges=()):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    for ref in merges:
        sheet.merge_cells(ref)
    workbook.save(path)
    return path


def names(plan):
    return [r.record["full_name"] for r in plan.accepted + plan.rejected]


def test_merged_name_over_ho_and_ten_is_joined(tmp_path):
    path = book(tmp_path / "a.xlsx", [
        ("STT", "Họ và tên", None, "Ngày sinh", "Giới tính", "Dân tộc"),
        (None, "Họ", "Tên", None, None, None),
        (1, "Nguyễn Văn", "Hùng", "12/03/2016", "Nam", "Kinh"),
        (2, "Lò Thị", "Mai", "05/11/2018", "Nữ", "Thái"),
    ], merges=["B1:C1", "A1:A2", "D1:D2", "E1:E2", "F1:F2"])
    plan = plan_import(path, options=ImportOptions(on=ON))
    assert plan.rows_in == 2  # the sub-header row is not a child
    assert names(plan) == ["Nguyễn Văn Hùng", "Lò Thị Mai"]
    assert not plan.rejected
    assert any("Họ và tên" in n and "ghép" in n for n in plan.notices)


def test_two_row_header_without_merge(tmp_path):
    path = book(tmp_path / "a.xlsx", [
        ("Họ và tên", None, None, "Ngày sinh", "Giới tính"),
        ("Họ", "Tên đệm", "Tên", None, None),
        ("Nguyễn", "Văn", "Hùng", "12/03/2016", "Nam"),
    ])
    assert names(plan_import(path, options=ImportOptions(on=ON))) == ["Nguyễn Văn Hùng"]


def test_merged_name_over_two_columns_without_sub_headers(tmp_path):
    path = book(tmp_path / "a.xlsx", [
        ("Họ và tên", None, "Ngày sinh", "Giới tính"),
        ("Nguyễn Văn", "Hùng", "12/03/2016", "Nam"),
        ("Lò Thị", "Mai", "05/11/2018", "Nữ"),
    ], merges=["A1:B1"])
    assert names(plan_import(path, options=ImportOptions(on=ON))) == \
        ["Nguyễn Văn Hùng", "Lò Thị Mai"]


def test_name_header_centred_over_an_unlabelled_column(tmp_path):
    path = book(tmp_path / "a.xlsx", [
        ("Họ và tên", None, "Ngày sinh", "Giới tính"),
        ("Nguyễn Văn", "Hùng", "12/03/2016", "Nam"),
    ])
    assert names(plan_import(path, options=ImportOptions(on=ON))) == ["Nguyễn Văn Hùng"]


def test_date_split_into_day_month_year(tmp_path):
    path = book(tmp_path / "a.xlsx", [
        ("Họ và tên", "Ngày sinh", None, None, "Giới tính"),
        (None, "Ngày", "Tháng", "Năm", None),
        ("Nguyễn Văn Hùng", 12, 3, 2016, "Nam"),
    ], merges=["B1:D1"])
    plan = plan_import(path, options=ImportOptions(on=ON))
    assert str(plan.accepted[0].record["birth_date"]) == "2016-03-12"


def test_sex_split_into_nam_and_nu_marks(tmp_path):
    path = book(tmp_path / "a.xlsx", [
        ("Họ và tên", "Ngày sinh", "Giới tính", None),
        (None, None, "Nam", "Nữ"),
        ("Nguyễn Văn Hùng", "12/03/2016", "x", None),
        ("Lò Thị Mai", "05/11/2018", None, "x"),
    ], merges=["C1:D1"])
    plan = plan_import(path, options=ImportOptions(on=ON))
    assert [r.record["sex"] for r in plan.accepted] == ["1", "2"]


def test_unknown_split_is_refused_with_a_message(tmp_path):
    path = book(tmp_path / "a.xlsx", [
        ("Họ và tên", "Ngày sinh", None, "Giới tính"),
        (None, "Dương lịch", "Âm lịch", None),
        ("Nguyễn Văn Hùng", "12/03/2016", "14/02/2016", "Nam"),
    ], merges=["B1:C1"])
    with pytest.raises(SpreadsheetError) as err:
        plan_import(path, options=ImportOptions(on=ON))
    assert err.value.code == "header.split_unknown"
    assert "Ngày sinh" in str(err.value) and "Âm lịch" in str(err.value)


def test_error_workbook_keeps_both_parts_of_a_split_name(tmp_path):
    from exports.import_children import write_error_workbook

    path = book(tmp_path / "a.xlsx", [
        ("Họ và tên", None, "Ngày sinh", "Giới tính"),
        ("Họ", "Tên", None, None),
        ("Nguyễn Văn", "Hùng", "32/13/2016", "Nam"),
    ], merges=["A1:B1"])
    plan = plan_import(path, options=ImportOptions(on=ON))
    write_error_workbook(plan, tmp_path / "loi.xlsx", scratch=tmp_path / "s")
    sheet = openpyxl.load_workbook(tmp_path / "loi.xlsx").active
    values = [c.value for c in sheet[2]]
    assert "Nguyễn Văn" in values and "Hùng" in values
    headers = [c.value for c in sheet[1]]
    assert "Họ và tên: Họ" in headers and "Họ và tên: Tên" in headers
