"""The session results workbook (issue 12 item 4): accuracy, per-field errors, keys per
child, pass or fail and certificate lines."""

from __future__ import annotations

import os
import stat
from datetime import date

import attrs
import openpyxl
import pytest
from fixtures.training_records import FIRST, hand_scored_trainee, perfect

from exports.errors import SpreadsheetError
from tui.training.export import SessionInfo, write_session_results
from tui.training.keystrokes import KeystrokeMeasure
from tui.training.scoring import score_trainee

SESSION = SessionInfo("Lớp nhập liệu xã Mường La", date(2025, 9, 10), "Nguyễn Thị Giảng", 0.9)


def results():
    records, measures = hand_scored_trainee()
    good = score_trainee(FIRST, perfect(FIRST, "An"),
                         [KeystrokeMeasure(1, 1, measures[0].started_at, 50.0, 30, 0)])
    return [good, score_trainee(FIRST, records, measures)]


def values(sheet):
    return [[v for v in row if v is not None] for row in sheet.iter_rows(values_only=True)
            if any(v is not None for v in row)]


def test_session_results_workbook(tmp_path):
    out = write_session_results(tmp_path / "ket-qua.xlsx", SESSION, results())
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Kết quả", "Lỗi theo trường", "Cần sửa", "Chứng nhận"]
    rows = values(book["Kết quả"])
    assert rows[0] == ["KẾT QUẢ BUỔI TẬP HUẤN NHẬP LIỆU: Lớp nhập liệu xã Mường La"]
    assert rows[1] == ["Ngày 10/09/2025; giảng viên: Nguyễn Thị Giảng; điểm đạt: độ chính xác "
                       "từ 90,0%"]
    an, binh = rows[3], rows[4]
    # An: all 27 values right, 30 keys and 50 s over 2 children; Bình: 23/28 (by hand)
    assert an == [1, "An", "Hộ đầu tiên", 1.0, "27/27", "2/2", 0, 0, "1/1", 0, 15.0, 25.0, "Đạt"]
    assert binh[:10] == [2, "Bình", "Hộ đầu tiên", pytest.approx(23 / 28), "23/28", "2/2", 0, 0,
                         "0/1", 5]
    assert binh[10:] == [32.0, 47.5, "Chưa đạt"]
    assert book["Kết quả"]["D5"].number_format == "0.0%"

    fields = values(book["Lỗi theo trường"])
    header = fields[2]
    assert header[0] == "Học viên" and "Ngày sinh" in header and "Thôn, bản" in header
    birth = header.index("Ngày sinh")
    assert fields[3][birth] == 0 and fields[4][birth] == 1 and fields[5][birth] == 1
    assert fields[5][0] == "Cả lớp" and fields[6][0] == "Lỗi hay gặp nhất"
    assert fields[6][header.index("Họ và tên")] == "sai dấu, chữ hoa hoặc khoảng trắng " \
        "(1 lần, 1 học viên)"

    fixes = values(book["Cần sửa"])
    assert fixes[2] == ["Học viên", "Số sổ", "Trẻ số", "Họ tên trẻ", "Trường", "Đã nhập",
                        "Đúng là", "Loại lỗi"]
    assert ["Bình", "ML-001", 1, "Lò Thị Mai", "Ngày sinh", "04/02/2017", "02/04/2017",
            "sai"] in fixes
    assert len(fixes) == 3 + 5 and all(line[0] == "Bình" for line in fixes[3:])

    certificates = values(book["Chứng nhận"])
    assert certificates[1:] == [[
        "Chứng nhận học viên An đã hoàn thành buổi tập huấn nhập liệu «Hộ đầu tiên» ngày "
        "10/09/2025, độ chính xác 100,0% (điểm đạt 90,0%)."]]


def test_nobody_passing_and_missed_or_extra_records(tmp_path):
    records = perfect(FIRST, "Cường")
    half = attrs.evolve(records, children=records.children[1:])
    result = score_trainee(FIRST, half)
    strict = attrs.evolve(SESSION, pass_mark=1.0)
    book = openpyxl.load_workbook(write_session_results(tmp_path / "r.xlsx", strict, [result]))
    assert values(book["Chứng nhận"])[1:] == [["Chưa có học viên nào đạt điểm đạt 100,0%."]]
    assert ["Cường", "ML-001", 1, "Lò Thị Mai", "Chưa nhập hồ sơ trẻ", "", "", "bỏ trống"] in \
        values(book["Cần sửa"])
    assert values(book["Kết quả"])[3][10:] == ["Chưa đạt"]  # no keystrokes: blank columns


@pytest.mark.parametrize("mark", [-0.1, 1.5, float("nan"), "90%"])
def test_a_pass_mark_outside_0_to_100_percent_is_refused_in_vietnamese(mark):
    with pytest.raises(ValueError, match="Điểm đạt phải từ 0% đến 100%"):
        SessionInfo("Lớp", date(2025, 9, 10), "GV", mark)


def test_nothing_is_left_when_the_folder_is_missing(tmp_path):
    with pytest.raises(SpreadsheetError):
        write_session_results(tmp_path / "none" / "r.xlsx", SESSION, results())
    assert list(tmp_path.iterdir()) == []
