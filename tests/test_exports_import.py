"""Bulk import: header mapping, legacy text, dates, ethnic names, validation, duplicates."""

from __future__ import annotations

from datetime import date, datetime

import openpyxl
import pytest
from fixtures.exports_books import HEADERS, ROWS, write_book

from exports.columns import field_for_header, load_mapping, match_columns, save_mapping
from exports.errors import SpreadsheetError
from exports.import_children import ImportOptions, plan_import, write_error_workbook
from exports.legacy_cells import repair_cell
from libchild.text import encode_legacy

ON = date(2026, 6, 30)


def plan(path, **kw):
    options = kw.pop("options", None) or ImportOptions(on=ON)
    return plan_import(path, options=options, **kw)


@pytest.mark.parametrize(
    ("header", "field"),
    [("Họ và tên", "full_name"), ("ho ten", "full_name"), ("HO VA TEN", "full_name"),
     ("Ngày sinh", "birth_date"), ("Ngày, tháng, năm sinh", "birth_date"),
     ("Giới tính", "sex"), ("GIOI TINH (Nam/Nữ)", "sex"), ("Dân tộc", "ethnicity"),
     ("Số định danh", "personal_id"), ("CCCD", "personal_id"), ("Thôn/xóm", "village"),
     ("Họ tên mẹ", "mother_name"), ("Ghi chú", None)],
)
def test_headers_with_or_without_diacritics(header, field):
    assert field_for_header(header) == field


def test_tcvn3_header_is_recognised():
    assert field_for_header(encode_legacy("Họ và tên", "tcvn3")) == "full_name"


def test_rows_become_canonical_records(tmp_path):
    result = plan(write_book(tmp_path / "a.xlsx"))
    assert result.rows_in == 3 and len(result.accepted) == 3 and not result.rejected
    first = result.accepted[0].record
    assert first["full_name"] == "Lò Văn Ánh"
    assert first["sex"] == "1" and first["ethnicity"] == "03"
    assert str(first["birth_date"]) == "2016-03-12"
    assert first["personal_id"] == "014216000101"
    assert first["father_name"] == "Lò Văn Bình"


def test_tcvn3_cells_are_repaired_using_the_cell_font(tmp_path):
    rows = [[encode_legacy(v, "tcvn3") if isinstance(v, str) else v for v in r] for r in ROWS]
    headers = [encode_legacy(h, "tcvn3") for h in HEADERS]
    result = plan(write_book(tmp_path / "old.xlsx", rows=rows, headers=headers, font=".VnTime"))
    assert [r.record["full_name"] for r in result.accepted] == [r[1] for r in ROWS]
    assert result.accepted[2].record["father_name"] == "Nguyễn Văn Tâm"
    assert result.repaired_cells > 0
    assert any("TCVN3" in n for n in result.notices)


def test_vni_without_font_follows_the_users_choice(tmp_path):
    rows = [[encode_legacy(v, "vni") if isinstance(v, str) else v for v in r] for r in ROWS]
    path = write_book(tmp_path / "vni.xlsx", rows=rows)
    result = plan(path, options=ImportOptions(on=ON, legacy="vni"))
    assert result.accepted[0].record["full_name"] == "Lò Văn Ánh"


def test_repair_never_touches_good_unicode():
    assert repair_cell("Nguyễn Thị Hường", ".VnTime", "tcvn3") == ("Nguyễn Thị Hường", None)
    assert repair_cell("Nguyễn Văn An", None, "none") == ("Nguyễn Văn An", None)


def test_excel_dates_and_serials_and_number_ids(tmp_path):
    rows = [
        (1, "Lò Văn Ánh", datetime(2016, 3, 12), "Nam", "Thái", 14216000101, "Bản Nà Sản",
         None, None),
        (2, "Quàng Thị Mai", 43409, "Nữ", "Thái", None, "Bản Nà Sản", None, None),
    ]
    result = plan(write_book(tmp_path / "d.xlsx", rows=rows))
    records = [r.record for r in result.accepted + result.rejected]
    assert str(records[0]["birth_date"]) == "2016-03-12"
    assert records[0]["personal_id"] == "014216000101"  # leading zero restored
    assert str(records[1]["birth_date"]) == "2018-11-05"  # Excel serial 43409


def test_numeric_ethnic_code_is_not_trusted(tmp_path):
    rows = [list(ROWS[0])]
    rows[0][4] = "04"  # 1979: Hoa; 2008: Mường
    result = plan(write_book(tmp_path / "e.xlsx", rows=rows))
    assert result.rejected and not result.accepted
    assert "2008" in " ".join(result.rejected[0].problems["ethnicity"])
    trusted = plan(write_book(tmp_path / "e2.xlsx", rows=rows),
                   options=ImportOptions(on=ON, ethnicity_numbering="1979"))
    assert trusted.accepted[0].record["ethnicity"] == "04"


def test_ethnic_names_are_matched_by_name(tmp_path):
    rows = [list(ROWS[0])]
    rows[0][4] = "HMÔNG"
    result = plan(write_book(tmp_path / "e.xlsx", rows=rows))
    assert result.accepted[0].record["ethnicity"] == "08"


def test_invalid_rows_are_rejected_and_every_row_is_accounted_for(tmp_path):
    rows = [list(r) for r in ROWS]
    rows[1][2] = "31/02/2018"  # no such day
    rows[2][3] = "Khác"  # not a sex
    result = plan(write_book(tmp_path / "bad.xlsx", rows=rows))
    assert result.rows_in == len(result.accepted) + len(result.rejected) == 3
    assert [r.number for r in result.rejected] == [3, 4]
    assert "birth_date" in result.rejected[0].problems
    preview = result.preview()
    assert preview["rejected"] == 2 and preview["rows"][0]["row"] == 3


def test_duplicates_within_file_and_against_existing(tmp_path):
    rows = [list(r) for r in ROWS] + [list(ROWS[0])]
    rows[3][0] = 4
    existing = [{"full_name": "Nguyễn Minh Đức", "birth_date": "2020-01-20", "sex": "1",
                 "personal_id": "001220000202"}]
    result = plan(write_book(tmp_path / "dup.xlsx", rows=rows), existing=existing,
                  existing_labels=["Nguyễn Minh Đức (số hồ sơ 17)"])
    rejected = {r.number: " ".join(r.reasons()) for r in result.rejected}
    assert set(rejected) == {4, 5}
    assert "số hồ sơ 17" in rejected[4]
    assert "dòng 2" in rejected[5]
    assert result.rows_in == 4


def test_error_workbook_has_the_reason_beside_each_cell(tmp_path):
    rows = [list(r) for r in ROWS]
    rows[1][2] = "31/02/2018"
    result = plan(write_book(tmp_path / "bad.xlsx", rows=rows))
    out = tmp_path / "loi.xlsx"
    assert write_error_workbook(result, out) == 1
    ws = openpyxl.load_workbook(out).active
    values = [list(r) for r in ws.iter_rows(values_only=True)]
    header = values[0]
    assert header[0] == "Dòng gốc" and header[-1] == "Lý do từ chối"
    beside = header.index("Ngày sinh") + 1
    assert header[beside] == "Lỗi: Ngày sinh"
    assert values[1][0] == 3 and values[1][header.index("Ngày sinh")] == "31/02/2018"
    assert values[1][beside]  # the libchild message, next to the bad date
    assert values[1][header.index("Họ và tên")] == "Quàng Thị Mai"
    # the error workbook can be fixed and imported again: its columns map the same way
    assert match_columns(header).fields["birth_date"] == header.index("Ngày sinh")


def test_missing_required_column_is_named(tmp_path):
    headers = [h for h in HEADERS if h != "Ngày sinh"]
    rows = [[v for i, v in enumerate(r) if i != 2] for r in ROWS]
    with pytest.raises(SpreadsheetError) as err:
        plan(write_book(tmp_path / "m.xlsx", rows=rows, headers=headers))
    assert "Ngày sinh" in str(err.value)


def test_saved_mapping_is_reused(tmp_path):
    headers = list(HEADERS)
    headers[1] = "Tên bé"  # unknown spelling: the user maps it once
    rows = [list(r) for r in ROWS]
    path = write_book(tmp_path / "m.xlsx", rows=rows, headers=headers)
    mapping = {"Tên bé": "full_name"}
    first = plan(path, mapping=mapping)
    saved = tmp_path / "map.json"
    save_mapping(saved, first.columns, {"legacy": "tcvn3"})
    columns, options = load_mapping(saved)
    assert options == {"legacy": "tcvn3"}
    again = plan(path, mapping=columns)
    assert [r.record["full_name"] for r in again.accepted] == [r[1] for r in ROWS]


def test_bad_mapping_file_is_explained(tmp_path):
    bad = tmp_path / "map.json"
    bad.write_text("{not json", "utf-8")
    with pytest.raises(SpreadsheetError) as err:
        load_mapping(bad)
    assert "ánh xạ" in str(err.value)


def _duplicate_plan(tmp_path):
    """Row 5 repeats row 2 (same ID); row 4 repeats a child already in the register."""
    rows = [list(r) for r in ROWS] + [list(ROWS[0])]
    rows[3][0] = 4
    existing = [{"full_name": "Nguyễn Minh Đức", "birth_date": "2020-01-20", "sex": "1",
                 "personal_id": "001220000202"}]
    return plan(write_book(tmp_path / "dup.xlsx", rows=rows), existing=existing,
                existing_labels=["Nguyễn Minh Đức (số hồ sơ 17)"])


def test_duplicate_reasons_are_shown_in_vietnamese_in_the_preview(tmp_path):
    from libchild.duplicates import REASONS

    preview = _duplicate_plan(tmp_path).preview()
    shown = {row["row"]: " ".join(row["messages"]) for row in preview["rows"]
             if row["rejected"]}
    assert set(shown) == {4, 5}
    for text in shown.values():
        assert "cùng số định danh" in text
        assert not any(code in text for code in REASONS)
    # a label with a comma stays readable: labels are separated by "; "
    assert "(cùng số định danh; cùng tên, ngày sinh gần nhau" in shown[5]


def test_duplicate_reasons_are_in_vietnamese_in_the_error_workbook(tmp_path):
    from libchild.duplicates import REASONS

    result = _duplicate_plan(tmp_path)
    out = tmp_path / "loi.xlsx"
    assert write_error_workbook(result, out) == 2
    values = [list(r) for r in openpyxl.load_workbook(out).active.iter_rows(values_only=True)]
    reasons = {line[0]: line[-1] for line in values[1:]}
    assert set(reasons) == {4, 5}
    assert "số hồ sơ 17" in reasons[4] and "cùng số định danh" in reasons[4]
    assert "dòng 2" in reasons[5] and "cùng số định danh" in reasons[5]
    assert not any(code in text for text in reasons.values() for code in REASONS)
