"""The police round trip: list out, numbers back, matched by batch and row key."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest

from exports.errors import SpreadsheetError
from exports.police import read_police_return, write_police_list

ON = date(2026, 7, 1)

CHILDREN = {
    "11": {"full_name": "Lò Văn Ánh", "sex": "1", "birth_date": "2016-03-12",
           "ethnicity": "03", "village": "Bản Nà Sản", "father_name": "Lò Văn Bình",
           "mother_name": "Quàng Thị Lả", "personal_id": None},
    "12": {"full_name": "Quàng Thị Mai", "sex": "2", "birth_date": "2018-11-05",
           "ethnicity": "03", "village": "Bản Nà Sản", "personal_id": "12345"},
    "13": {"full_name": "Nguyễn Minh Đức", "sex": "1", "birth_date": "2020-01-20",
           "ethnicity": "01", "village": "Tiểu khu 1", "personal_id": None},
    "14": {"full_name": "Hà Thị Hương", "sex": "2", "birth_date": "2015-06-01",
           "ethnicity": "02", "village": "Bản Cang", "personal_id": None},
}


def write_list(path, sensitive=False, batch="7"):
    rows = [dict(child, row_key=key) for key, child in CHILDREN.items()]
    return write_police_list(path, rows, batch_id=batch, commune="Xã Mường La", on=ON,
                             sensitive=sensitive)


def columns(ws, header_row=5):
    return {c.value: c.column for c in ws[header_row] if c.value}


def test_police_list_layout(tmp_path):
    out = tmp_path / "ca.xlsx"
    assert write_list(out) == 4
    book = openpyxl.load_workbook(out)
    ws = book.active
    assert "XÁC MINH SỐ ĐỊNH DANH" in ws["A1"].value
    assert "Xã Mường La" in ws["A2"].value and "01/07/2026" in ws["A2"].value
    cols = columns(ws)
    assert "Số định danh đã xác minh (Công an ghi)" in cols and "Ghi chú" in cols
    assert "Dân tộc" not in cols  # sensitive, not allowed here
    assert ws.cell(6, cols["Họ và tên"]).value == "Lò Văn Ánh"
    assert ws.cell(6, cols["STT"]).value == 1
    hidden = {i for d in ws.column_dimensions.values() if d.hidden
              for i in range(d.min, d.max + 1)}
    assert hidden == {cols["Mã dòng"], cols["Mã đợt"]}
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.print_title_rows == "$5:$5"
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "CÔNG AN XÃ XÁC NHẬN" in texts and "NGƯỜI LẬP DANH SÁCH" in texts


def test_police_list_shows_ethnicity_only_when_allowed(tmp_path):
    out = tmp_path / "ca.xlsx"
    write_list(out, sensitive=True)
    ws = openpyxl.load_workbook(out).active
    cols = columns(ws)
    assert ws.cell(6, cols["Dân tộc"]).value == "Thái"


def police_fill(path, numbers, *, reverse=False, extra=None):
    """Do what the police do: type numbers in, maybe sort the rows, save."""
    book = openpyxl.load_workbook(path)
    ws = book.active
    cols = columns(ws)
    for row in range(6, 10):
        key = ws.cell(row, cols["Mã dòng"]).value
        if key in numbers:
            ws.cell(row, cols["Số định danh đã xác minh (Công an ghi)"]).value = numbers[key]
    if reverse:  # the police re-sorted the list by name: rows move, keys go with them
        values = [[ws.cell(r, c).value for c in range(1, ws.max_column + 1)] for r in range(6, 10)]
        for offset, line in enumerate(reversed(values)):
            for c, v in enumerate(line, start=1):
                ws.cell(6 + offset, c).value = v
    if extra:
        ws.cell(10, cols["Mã đợt"]).value = "7"
        ws.cell(10, cols["Mã dòng"]).value = extra
        ws.cell(10, cols["Số định danh đã xác minh (Công an ghi)"]).value = "014216000999"
    book.save(path)


def test_return_matches_by_key_and_flags_every_disagreement(tmp_path):
    out = tmp_path / "ca.xlsx"
    write_list(out)
    police_fill(out, {
        "11": 14216000101,      # typed as a number: leading zero restored
        "12": "014218000102",   # sex digit 2 = male, child is a girl; year fine
        "13": "0012200A0202",   # not digits
        "14": "001215000303",   # already held by another child
    }, reverse=True, extra="99")
    owners = {"001215000303": "Lò Thị Xuân (05/02/2014)"}
    batch, rows = read_police_return(out, batch_id=None, children=CHILDREN,
                                     owner_of=lambda n, k: owners.get(n))
    assert batch == "7"
    by_key = {r.row_key: r for r in rows}
    assert by_key["11"].status == "verified" and by_key["11"].number == "014216000101"
    assert not by_key["11"].warnings
    assert by_key["12"].status == "verified" and by_key["12"].warnings
    assert "giới tính" in by_key["12"].warnings[0].lower()
    assert by_key["13"].status == "invalid" and "0012200A0202" in by_key["13"].message
    assert by_key["14"].status == "taken" and "Lò Thị Xuân" in by_key["14"].message
    assert by_key["99"].status == "unmatched" and "99" in by_key["99"].message
    assert by_key["11"].row == 9  # the row it sits on after the police re-sorted


def test_importing_the_same_return_twice_changes_nothing(tmp_path):
    out = tmp_path / "ca.xlsx"
    write_list(out)
    police_fill(out, {"11": "014216000101"})
    _batch, first = read_police_return(out, batch_id="7", children=CHILDREN,
                                       owner_of=lambda n, k: None)
    assert [r.status for r in first if r.row_key == "11"] == ["verified"]
    # the glue stored it: the child now holds the verified number
    stored = dict(CHILDREN, **{"11": dict(CHILDREN["11"], personal_id="014216000101",
                                          id_verified=True)})
    _batch, again = read_police_return(out, batch_id="7", children=stored,
                               owner_of=lambda n, k: None)  # held by "11" itself
    assert [r.status for r in again if r.row_key == "11"] == ["unchanged"]
    assert not any(r.stores for r in again)


def test_blank_rows_store_nothing(tmp_path):
    out = tmp_path / "ca.xlsx"
    write_list(out)
    _batch, rows = read_police_return(out, batch_id="7", children=CHILDREN,
                                      owner_of=lambda n, k: None)
    assert {r.status for r in rows} == {"blank"}


def test_a_return_of_another_batch_is_refused(tmp_path):
    out = tmp_path / "ca.xlsx"
    write_list(out, batch="6")
    with pytest.raises(SpreadsheetError) as err:
        read_police_return(out, batch_id="7", children=CHILDREN, owner_of=lambda n, k: None)
    assert err.value.code == "police.other_batch" and "6" in str(err.value)


def test_a_file_that_is_not_a_police_list_is_refused(tmp_path):
    from fixtures.exports_books import write_book

    with pytest.raises(SpreadsheetError) as err:
        read_police_return(write_book(tmp_path / "x.xlsx"), batch_id="7", children=CHILDREN,
                           owner_of=lambda n, k: None)
    assert err.value.code == "police.not_our_file"  # never "give the children's columns"
    assert "không phải danh sách công an trả về" in str(err.value)
