"""Reading xlsx files: every bad file gets a clear Vietnamese message."""

from __future__ import annotations

import zipfile

import openpyxl
import pytest
import xlsxwriter
from fixtures.exports_books import HEADERS, ROWS, encrypted_ole, write_book

from exports.errors import SpreadsheetError
from exports.workbook_reader import check_file, read_table


def score(values):
    """Header score for these tests: cells that are one of the test headers."""
    return sum(1 for v in values if v in HEADERS)


def read(path, **kw):
    return read_table(path, score, **kw)


def test_reads_header_and_rows(tmp_path):
    table = read(write_book(tmp_path / "a.xlsx"))
    assert table.headers == HEADERS
    assert table.header_row == 1
    assert [r.number for r in table.rows] == [2, 3, 4]
    assert table.rows[0].values[1] == "Lò Văn Ánh"


def test_header_below_title_rows_is_found(tmp_path):
    titles = [["UBND XÃ MƯỜNG LA"], ["DANH SÁCH TRẺ EM NĂM 2008"], [], ["(kèm theo công văn)"]]
    table = read(write_book(tmp_path / "a.xlsx", title_rows=titles))
    assert table.header_row == 5
    assert [r.values[1] for r in table.rows] == [r[1] for r in ROWS]


def test_font_name_is_read_only_for_text_that_may_be_legacy(tmp_path):
    from libchild.text import encode_legacy

    rows = [(1, encode_legacy("Lò Văn Ánh", "tcvn3"), "12/03/2016", "Nam", "Thái")]
    rows.append((2, "Quàng Thị Mai", "05/11/2018", "Nữ", "Thái"))
    table = read(write_book(tmp_path / "a.xlsx", rows=rows, font=".VnTime"))
    assert table.rows[0].fonts[1] == ".VnTime"  # TCVN3 bytes shown as Unicode
    assert table.rows[0].fonts[0] is None  # a number: no font needed
    assert table.rows[0].fonts[3] is None  # ASCII text cannot be mis-encoded
    assert table.rows[1].fonts[1] is None  # real Unicode Vietnamese: never repaired


def test_csv_renamed_is_refused(tmp_path):
    path = tmp_path / "tre.xlsx"
    path.write_text("Họ và tên,Ngày sinh\nLò Văn Ánh,12/03/2016\n", "utf-8")
    with pytest.raises(SpreadsheetError) as err:
        check_file(path)
    assert err.value.code == "file.csv"
    assert "CSV" in str(err.value) and "tre.xlsx" in str(err.value)


def test_old_xls_is_refused_with_advice(tmp_path):
    path = tmp_path / "cu.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000))
    with pytest.raises(SpreadsheetError) as err:
        check_file(path)
    assert err.value.code == "file.xls"
    assert "lưu lại dạng .xlsx" in str(err.value)


def test_encrypted_workbook_is_refused(tmp_path):
    with pytest.raises(SpreadsheetError) as err:
        read(encrypted_ole(tmp_path / "matkhau.xlsx"))
    assert err.value.code == "file.encrypted"
    assert "mật khẩu" in str(err.value)


def test_truncated_file_is_refused(tmp_path):
    good = write_book(tmp_path / "a.xlsx").read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(good[: len(good) // 2])
    with pytest.raises(SpreadsheetError) as err:
        read(path)
    assert err.value.code == "file.corrupt"
    assert "không đầy đủ" in str(err.value)


def test_zip_that_is_not_a_workbook_is_refused(tmp_path):
    path = tmp_path / "x.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    with pytest.raises(SpreadsheetError) as err:
        read(path)
    assert err.value.code == "file.not_xlsx_zip"


def test_empty_sheet_is_named(tmp_path):
    path = tmp_path / "trong.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Trẻ em"
    book.save(path)
    with pytest.raises(SpreadsheetError) as err:
        read(path)
    assert err.value.code == "sheet.empty"
    assert "Trẻ em" in str(err.value)


def test_header_only_sheet_says_no_data(tmp_path):
    with pytest.raises(SpreadsheetError) as err:
        read(write_book(tmp_path / "a.xlsx", rows=[]))
    assert err.value.code == "sheet.no_data"


def test_sheet_without_header_says_which_columns_are_expected(tmp_path):
    with pytest.raises(SpreadsheetError) as err:
        read(write_book(tmp_path / "a.xlsx", headers=["a", "b", "c"]))
    assert err.value.code == "header.not_found"
    assert "Họ và tên" in str(err.value)


def test_too_many_rows_refused_from_dimension_before_reading(tmp_path):
    path = tmp_path / "big.xlsx"
    book = xlsxwriter.Workbook(path, {"constant_memory": True})
    ws = book.add_worksheet()
    ws.write_row(0, 0, HEADERS)
    ws.write_row(1, 0, ROWS[0])
    ws.write(1_000_000, 0, "x")  # the dimension record says a million rows
    book.close()
    with pytest.raises(SpreadsheetError) as err:
        read(path, max_rows=1000)
    assert err.value.code == "file.too_many_rows"
    assert "1000" in str(err.value)


def test_too_many_rows_refused_while_streaming_when_dimension_lies(tmp_path):
    path = write_book(tmp_path / "a.xlsx", rows=[ROWS[0]] * 30)
    # rewrite the dimension record to claim one cell only
    patched = tmp_path / "lie.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(patched, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = data.replace(b'<dimension ref="A1:I31"/>', b'<dimension ref="A1"/>')
            dst.writestr(item, data)
    assert len(read(patched).rows) == 30  # a wrong dimension never cuts rows
    with pytest.raises(SpreadsheetError) as err:
        read(patched, max_rows=10)
    assert err.value.code == "file.too_many_rows"


def test_formula_without_cached_value_names_the_cell(tmp_path):
    path = write_book(tmp_path / "f.xlsx")
    book = openpyxl.load_workbook(path)
    book.active["C3"] = "=DATE(2018,11,5)"  # openpyxl stores no cached value
    book.save(path)
    with pytest.raises(SpreadsheetError) as err:
        read(path)
    assert err.value.code == "cell.formula_no_value"
    assert "C3" in str(err.value)


def test_formula_with_cached_value_gives_the_value(tmp_path):
    path = tmp_path / "f.xlsx"
    book = xlsxwriter.Workbook(path)
    ws = book.add_worksheet()
    ws.write_row(0, 0, HEADERS)
    ws.write_row(1, 0, ROWS[0])
    ws.write_formula(1, 6, '="Bản "&"Nà Sản"', None, "Bản Nà Sản")
    book.close()
    assert read(path).rows[0].values[6] == "Bản Nà Sản"


def test_merged_cells_are_filled_and_named(tmp_path):
    rows = [list(r) for r in ROWS]
    rows[1][6] = None  # village merged down over the household's two rows
    path = write_book(tmp_path / "m.xlsx", rows=rows, merges=["G2:G3"])
    table = read(path)
    assert [r.values[6] for r in table.rows[:2]] == ["Bản Nà Sản", "Bản Nà Sản"]
    assert any("G2:G3" in n for n in table.notices)


def test_hidden_sheet_is_ignored_with_a_notice(tmp_path):
    table = read(write_book(tmp_path / "h.xlsx", hidden_first=True))
    assert table.sheet == "Danh sách"
    assert any("Cũ" in n and "ẩn" in n for n in table.notices)


def test_named_sheet_that_does_not_exist_lists_the_sheets(tmp_path):
    with pytest.raises(SpreadsheetError) as err:
        read(write_book(tmp_path / "a.xlsx"), sheet="Khác")
    assert "Danh sách" in str(err.value)


def test_a_table_that_starts_in_column_c_keeps_its_columns(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["C3"], sheet["D3"], sheet["E3"] = "Họ và tên", "Ngày sinh", "Giới tính"
    sheet["C4"], sheet["D4"], sheet["E4"] = "Lò Văn Ánh", "12/03/2016", "Nam"
    book.save(tmp_path / "c.xlsx")
    table = read(tmp_path / "c.xlsx", min_score=1)
    assert table.header_row == 3
    assert table.headers[2:5] == ("Họ và tên", "Ngày sinh", "Giới tính")
    assert table.rows[0].number == 4 and table.rows[0].values[2] == "Lò Văn Ánh"


def test_dates_and_numbers_come_back_as_values(tmp_path):
    from datetime import date, datetime

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Họ và tên", "Ngày sinh", "STT"])
    sheet.append(["Lò Văn Ánh", datetime(2016, 3, 12), 7])
    sheet["B2"].number_format = "dd/mm/yyyy"
    book.save(tmp_path / "d.xlsx")
    values = read(tmp_path / "d.xlsx", min_score=1).rows[0].values
    assert values[1] in (date(2016, 3, 12), datetime(2016, 3, 12))
    assert values[2] == 7


def test_legacy_font_cells_in_any_attribute_order_and_beside_row_styles():
    """The fonts of TCVN3 cells are found whatever order a writer puts the attributes in,
    and a row's own style attribute is not taken for a cell."""
    from exports.limits import DEFAULT_LIMITS
    from exports.sheet_scan import legacy_font_cells

    usual = (b'<worksheet><sheetData><row r="2"><c r="A2" s="3" t="s"><v>0</v></c>'
             b'<c r="B2" s="1"><v>1</v></c><c r="C2" t="s" s="3"><v>2</v></c></row>')
    other = (b'<row r="3" s="3" customFormat="1"><c s="3" r="B3" t="s"><v>3</v></c>'
             b'<c r="C3"><v>4</v></c></row></sheetData></worksheet>')
    found = list(legacy_font_cells([usual + other], DEFAULT_LIMITS, {3: ".VnTime"}))
    assert found == [(2, 0, ".VnTime"), (2, 2, ".VnTime"), (3, 1, ".VnTime")]
    assert list(legacy_font_cells([usual], DEFAULT_LIMITS, {3: ".VnTime"})) == found[:2]
