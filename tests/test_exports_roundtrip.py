"""The register's own full export imports unchanged, every row, every field; numeric
ethnicity codes are trusted only with a stated table or an agreeing name; each row is
validated once."""

from __future__ import annotations

import random
from datetime import date

import openpyxl
import pytest

import libchild
from exports.full import write_full
from exports.import_children import ImportOptions, plan_import
from libchild.model import CANONICAL_FIELDS

ON = date(2026, 6, 30)
FAMILY = ["Lò", "Quàng", "Cầm", "Nguyễn", "Hà", "Vì", "Điêu", "Mùa", "Giàng", "Thào"]
GIVEN = ["Ánh", "Bình", "Hương", "Mai", "Xuân", "Tâm", "Đức", "Hùng", "Lả", "Sơn", "Hoa"]


def register(count: int, seed: int = 4) -> list[dict]:
    """Clean synthetic records, as the register stores them (libchild's canonical form)."""
    rnd = random.Random(seed)
    out = []
    for i in range(count):
        sex = rnd.choice("12")
        year = rnd.randint(2012, 2025)
        middle = "Văn" if sex == "1" else "Thị"
        circumstances = rnd.choice([[], [], ["DB01"], ["DB04", "NC02"], ["DB13"]])
        record = {
            "personal_id": None if i % 7 == 0 else
            f"014{int(sex) + 1}{year % 100:02d}{i:06d}",
            "full_name": f"{rnd.choice(FAMILY)} {middle} {rnd.choice(GIVEN)} "
                         f"{GIVEN[i % len(GIVEN)]}",
            "sex": sex,
            "birth_date": f"{year}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}",
            "ethnicity": rnd.choice(["01", "03", "06", "08", "04", "12"]),
            "nationality": "VN",
            "current_address": "Xã Mường La, Sơn La",
            "address_detail": f"Nhà số {i}, ngõ 3",
            "schooling": None,
            "village": rnd.choice(["Bản Nà Sản", "Tiểu khu 1"]),
            "commune_code": "03808",
            "province_code": "14",
            "caregiver_id": f"0141{rnd.randint(70, 99)}{i:06d}",
            "father_name": f"{rnd.choice(FAMILY)} Văn {rnd.choice(GIVEN)}",
            "mother_name": f"{rnd.choice(FAMILY)} Thị {rnd.choice(GIVEN)}",
            "caregiver_name": None,
            "circumstances": circumstances,
            "supports": [{"form": "TG01", "date": f"{year}-12-31"}]
            if "DB04" in circumstances else [],
            "death_date": None,
        }
        out.append(libchild.clean(record, on=ON).record)
    return out


def test_full_export_imports_unchanged_every_row_every_field(tmp_path):
    children = register(300)
    path = tmp_path / "toan-bo.xlsx"
    write_full(path, children, sensitive=True, scratch=tmp_path / "s")
    plan = plan_import(path, options=ImportOptions(on=ON))
    assert plan.rows_in == 300
    assert not plan.rejected, plan.preview()["rows"][:3]
    for before, result in zip(children, plan.accepted, strict=True):
        after = result.record
        for name in CANONICAL_FIELDS:
            assert after[name] == before[name], (name, before[name], after[name])
    # circumstance names with commas ("Trẻ em ... , ...") were not split into codes
    assert any(r.record["circumstances"] == ["DB13"] for r in plan.accepted)


def _code_and_name_book(path, rows, code_header="Mã dân tộc"):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Họ và tên", "Ngày sinh", "Giới tính", code_header, "Dân tộc"])
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def test_numeric_code_trusted_when_the_name_agrees_under_1979_or_2008(tmp_path):
    rows = [("Lò Văn Ánh", "12/03/2016", "Nam", "06", "Mường"),  # 1979: 06 Mường
            ("Hà Thị Mai", "05/11/2018", "Nữ", "04", "Mường"),  # 2008: 04 Mường -> 06
            ("Cầm Văn Hùng", "20/01/2020", "Nam", "4", "Thái")]  # neither: refused
    plan = plan_import(_code_and_name_book(tmp_path / "a.xlsx", rows),
                       options=ImportOptions(on=ON))
    assert [r.record["ethnicity"] for r in plan.accepted] == ["06", "06"]
    assert len(plan.rejected) == 1
    assert "không khớp" in plan.rejected[0].reasons()[0]
    assert any("2008" in notice for notice in plan.notices)


@pytest.mark.parametrize(("header", "expected"), [
    ("Mã dân tộc (QĐ 121-TCTK 1979)", "04"), ("Mã dân tộc (bảng 2008)", "06"),
])
def test_numeric_code_trusted_when_the_header_states_its_table(tmp_path, header, expected):
    book = openpyxl.Workbook()
    book.active.append(["Họ và tên", "Ngày sinh", "Giới tính", header])
    book.active.append(["Lò Văn Ánh", "12/03/2016", "Nam", "04"])
    book.save(tmp_path / "a.xlsx")
    plan = plan_import(tmp_path / "a.xlsx", options=ImportOptions(on=ON))
    assert plan.accepted[0].record["ethnicity"] == expected


def test_numeric_code_alone_is_not_trusted(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["Họ và tên", "Ngày sinh", "Giới tính", "Mã dân tộc"])
    book.active.append(["Lò Văn Ánh", "12/03/2016", "Nam", "04"])
    book.save(tmp_path / "a.xlsx")
    plan = plan_import(tmp_path / "a.xlsx", options=ImportOptions(on=ON))
    assert len(plan.rejected) == 1
    assert "không đáng tin" in plan.rejected[0].reasons()[0]


def test_each_row_is_cleaned_once_and_carries_its_issues(tmp_path, monkeypatch):
    children = register(30)
    children[3]["personal_id"] = None
    path = tmp_path / "a.xlsx"
    write_full(path, children, sensitive=True, scratch=tmp_path / "s")
    calls = []
    real = libchild.clean
    monkeypatch.setattr(libchild, "clean", lambda *a, **k: calls.append(1) or real(*a, **k))
    plan = plan_import(path, options=ImportOptions(on=ON))
    assert len(calls) == 30
    result = plan.accepted[3]
    assert "personal_id.missing" in {i.code for i in result.issues}
    cleaned = result.cleaned
    # the plan keeps the record compactly; what it gives back is clean's record itself
    assert cleaned.record == result.record and list(result.issues) == cleaned.issues
    again = real(dict(result.record), on=ON)
    assert again.record == result.record
    assert [i.code for i in again.issues] == [i.code for i in result.issues]
