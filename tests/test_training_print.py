"""Printed pages (issue 12 item 2): the household book as a workbook, the answer key,
and PDF through LibreOffice when it is installed."""

from __future__ import annotations

import os
import shutil
import stat
import sys
import textwrap

import openpyxl
import pytest

from tui.training.loader import find_scenario, load_scenario
from tui.training.print import (
    PrintError,
    convert_to_pdf,
    print_pages,
    sheet_names,
    write_answer_key,
    write_pages,
)

MESSY = load_scenario(find_scenario("05-danh-sach-thon-lon-xon"))
OLD_FONT = load_scenario(find_scenario("04-danh-sach-cu"))


def rows(sheet):
    return [[v for v in row if v not in (None, "")] for row in sheet.iter_rows(values_only=True)
            if any(v not in (None, "") for v in row)]


def test_one_printable_sheet_per_page_with_values_exactly_as_written(tmp_path):
    out = write_pages(OLD_FONT, tmp_path / "trang.xlsx")
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["ML-007", "ML-008"]
    sheet = book["ML-007"]
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    # one page wide (width 1 is the default, not written), as many pages tall as needed
    assert sheet.page_setup.fitToHeight == 0 and sheet.sheet_properties.pageSetUpPr.fitToPage
    assert "Danh sách cũ in phông TCVN3" in sheet.oddHeader.left.text
    assert "dữ liệu giả lập" in sheet.oddFooter.center.text
    lines = rows(sheet)
    assert lines[0] == ["SỔ THEO DÕI TRẺ EM TRONG GIA ĐÌNH"]
    assert ["Số sổ: ML-007", "Địa chỉ: Bản Nà Tòng, xã Mường La",
            "Hộ nghèo, cận nghèo: không"] in lines
    assert [1, "Lường Văn Ban", "014084002290", "bố"] in lines
    # the child as the old list writes it: TCVN3 bytes, "gái", d/m/yyyy, parents by name
    assert [1, "L\u00adêng ThÞ Hoa", "gái", "5/3/2016", "014316004019", "thái", "cấp 1",
            "Lường Văn Ban", "Lò Thị Phăn"] in lines
    assert sheet["E13"].data_type == "s"  # ID numbers are text, leading zero kept
    assert any("Chép từ danh sách năm 2019" in str(line[0]) for line in lines)


def test_circumstances_and_supports_are_listed_with_their_dates(tmp_path):
    book = openpyxl.load_workbook(write_pages(MESSY, tmp_path / "p.xlsx"))
    lines = rows(book["ML-104"])
    assert [1, "Điêu Văn Nam", "Mồ côi", "20/07/2019"] in lines
    assert [1, "Điêu Văn Nam", "Hình thức trợ giúp: Trợ giúp xã hội", "01/02/2025"] in lines
    assert ["(không có)"] in rows(book["ML-101"])
    # the second listing of the duplicate is printed like any other child
    assert any("Quàng Thi Thanh Thao" in line for line in rows(book["ML-106"]))


def test_sheet_names_are_valid_and_unique():
    assert sheet_names(["TK3/12", "tk3/12", "A" * 40, "[x]"]) == [
        "TK3-12", "tk3-12 (2)", "A" * 31, "-x-"]


def test_answer_key_for_the_trainer(tmp_path):
    out = write_answer_key(MESSY, tmp_path / "dap-an.xlsx")
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Đáp án trẻ em", "Đáp án hộ", "Bài học"]
    children = rows(book["Đáp án trẻ em"])
    assert len(children) == 2 + len(MESSY.key.children)
    anh = next(line for line in children if "Hà Thị Ngọc Ánh" in line)
    assert anh[:3] == ["ML-102", 1, "014315007036"] and "2 Nữ" in anh and "03 Thái" in anh
    lessons = rows(book["Bài học"])
    assert lessons[-1][:5] == ["ghi-trung-hai-so", "ML-106", "2",
                               "chỉ giữ một hồ sơ cho trẻ ghi trùng",
                               "name_diacritics_only_same_birth"]


FAKE_SOFFICE = """\
#!{python}
import pathlib, sys
args = sys.argv[1:]
if "{mode}" == "fail":
    sys.stderr.write("source file could not be loaded\\n")
    sys.exit(1)
outdir = pathlib.Path(args[args.index("--outdir") + 1])
source = pathlib.Path(args[-1])
assert args[0] == "--headless" and "pdf" in args and args[1].startswith("-env:")
(outdir / (source.stem + ".pdf")).write_bytes(b"%PDF-1.4 " + source.read_bytes()[:2])
"""


def fake_soffice(tmp_path, mode="ok"):
    path = tmp_path / f"soffice-{mode}"
    path.write_text(FAKE_SOFFICE.format(python=sys.executable, mode=mode))
    path.chmod(0o700)
    return str(path)


def test_pdf_through_soffice_is_written_atomically(tmp_path):
    out = print_pages(MESSY, tmp_path / "trang.pdf", soffice=fake_soffice(tmp_path))
    assert out.read_bytes() == b"%PDF-1.4 PK"  # made from the workbook (a zip)
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["soffice-ok", "trang.pdf"]


def test_pdf_failures_say_why_in_vietnamese_and_leave_nothing(tmp_path):
    xlsx = write_pages(MESSY, tmp_path / "p.xlsx")
    with pytest.raises(PrintError, match=r"LibreOffice không chuyển được .*source file could"):
        convert_to_pdf(xlsx, tmp_path / "p.pdf", soffice=fake_soffice(tmp_path, "fail"))
    assert not (tmp_path / "p.pdf").exists()
    with pytest.raises(PrintError, match="Không tìm thấy LibreOffice"):
        old = os.environ["PATH"]
        try:
            os.environ["PATH"] = str(tmp_path)
            convert_to_pdf(xlsx, tmp_path / "p.pdf")
        finally:
            os.environ["PATH"] = old
    slow = tmp_path / "soffice-slow"
    slow.write_text(textwrap.dedent(f"""\
        #!{sys.executable}
        import time
        time.sleep(5)
        """))
    slow.chmod(0o700)
    with pytest.raises(PrintError, match=r"quá 0\.5 giây"):
        convert_to_pdf(xlsx, tmp_path / "p.pdf", soffice=str(slow), timeout=0.5)
    assert not (tmp_path / "p.pdf").exists()


@pytest.mark.skipif(not (shutil.which("soffice") or shutil.which("libreoffice")),
                    reason="LibreOffice (soffice) is not installed on this machine")
def test_real_libreoffice_makes_a_pdf(tmp_path):  # pragma: no cover - needs LibreOffice
    out = print_pages(MESSY, tmp_path / "trang.pdf")
    assert out.read_bytes().startswith(b"%PDF")
