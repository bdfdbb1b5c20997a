"""``python -m libchild check FILE``: the report, --json, exit statuses, bad files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER = ("personal_id,full_name,sex,birth_date,ethnicity,commune_code,province_code,"
          "father_name,circumstances,supports\n")
GOOD = '014218001234,Lò Văn Páo,Nam,05/09/2018,Thái,03808,14,Lò Văn Minh,,\n'
WARN = ',Lò Thị Mai,Nữ,02/04/2019,Thái,03808,14,Lò Văn Minh,DB04,TG01 15/03/2025\n'
BAD = '01421800123,Lò Văn 2,X,31/02/2018,Thái,03808,14,Lò Văn Minh,,\n'


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "libchild", "check", *args, "--on", "01/09/2025"],
        cwd=ROOT, capture_output=True, text=True, encoding="utf-8",
    )


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_clean_file_exits_0(tmp_path: Path) -> None:
    out = run(str(write(tmp_path, "a.csv", HEADER + GOOD)))
    assert out.returncode == 0, out.stderr
    assert "1 hồ sơ" in out.stdout
    assert "Không có vấn đề nào." in out.stdout


def test_warnings_only_exit_0_and_are_reported(tmp_path: Path) -> None:
    out = run(str(write(tmp_path, "a.csv", HEADER + GOOD + WARN)))
    assert out.returncode == 0, out.stderr
    assert "Dòng 3: Lò Thị Mai" in out.stdout
    assert "personal_id.missing" in out.stdout
    assert "Trẻ chưa có số định danh cá nhân." in out.stdout


def test_errors_exit_1_with_line_name_issues_and_summary(tmp_path: Path) -> None:
    out = run(str(write(tmp_path, "a.csv", HEADER + GOOD + BAD + WARN)))
    assert out.returncode == 1
    text = out.stdout
    assert "Dòng 3: Lò Văn 2" in text
    for code in ("personal_id.length", "full_name.digits", "sex.unknown", "birth_date.invalid"):
        assert code in text
    assert "[lỗi]" in text and "Cách sửa:" in text
    assert "Tổng kết: 3 hồ sơ; 1 hồ sơ có lỗi, 1 hồ sơ chỉ có cảnh báo" in text
    assert "Số lần theo mã:" in text


def test_bom_and_crlf_are_read(tmp_path: Path) -> None:
    content = ("\ufeff" + HEADER + GOOD).replace("\n", "\r\n").encode("utf-8")
    out = run(str(write(tmp_path, "excel.csv", content)))
    assert out.returncode == 0, out.stdout + out.stderr


def test_json_output(tmp_path: Path) -> None:
    out = run(str(write(tmp_path, "a.csv", HEADER + GOOD + BAD)), "--json")
    assert out.returncode == 1
    report = json.loads(out.stdout)
    assert report["on"] == "2025-09-01"
    assert [r["line"] for r in report["records"]] == [2, 3]
    assert report["records"][0]["issues"] == []
    bad = report["records"][1]
    assert bad["full_name"] == "Lò Văn 2"
    first = bad["issues"][0]
    assert set(first) == {"code", "severity", "field", "message", "hint", "message_en",
                          "hint_en"}
    assert report["summary"]["with_errors"] == 1
    assert report["summary"]["by_code"]["sex.unknown"] == {"severity": "error", "count": 1}


def test_json_lines_input(tmp_path: Path) -> None:
    lines = [
        {"personal_id": "014218001234", "full_name": "Lò Văn Páo", "sex": "1",
         "birth_date": "2018-09-05", "ethnicity": "03", "commune_code": "03808",
         "father_name": "Lò Văn Minh", "circumstances": ["DB04"],
         "supports": [{"form": "TG01", "date": "2025-03-15"}]},
        {"full_name": "Lò Thị Mai", "sex": "2", "birth_date": "2030-01-01"},
    ]
    content = "\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n\n"
    out = run(str(write(tmp_path, "a.jsonl", content)), "--json")
    assert out.returncode == 1
    report = json.loads(out.stdout)
    assert report["records"][0]["issues"] == []
    assert "birth_date.future" in [i["code"] for i in report["records"][1]["issues"]]


def test_missing_file_exits_2(tmp_path: Path) -> None:
    out = run(str(tmp_path / "nope.csv"))
    assert out.returncode == 2
    assert "Không tìm thấy tệp" in out.stderr


def test_not_utf8_exits_2(tmp_path: Path) -> None:
    windows = "full_name,sex\nLò Páo,Nam\n".encode("cp1252")  # an old Excel CSV
    out = run(str(write(tmp_path, "a.csv", windows)))
    assert out.returncode == 2
    assert "không phải văn bản UTF-8" in out.stderr


def test_bad_json_line_exits_2_naming_the_line(tmp_path: Path) -> None:
    out = run(str(write(tmp_path, "a.jsonl", '{"full_name": "An"}\n{"full_name": \n')))
    assert out.returncode == 2
    assert "Dòng 2" in out.stderr


def test_csv_without_canonical_columns_exits_2(tmp_path: Path) -> None:
    out = run(str(write(tmp_path, "a.csv", "Họ tên,Ngày sinh\nLò Văn Páo,05/09/2018\n")))
    assert out.returncode == 2
    assert "full_name" in out.stderr


def test_bad_reference_date_exits_2(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", HEADER + GOOD)
    out = subprocess.run(
        [sys.executable, "-m", "libchild", "check", str(path), "--on", "31/02/2025"],
        cwd=ROOT, capture_output=True, text=True, encoding="utf-8",
    )
    assert out.returncode == 2
    assert "Ngày tính tuổi không hợp lệ" in out.stderr


def test_help_is_vietnamese() -> None:
    out = subprocess.run([sys.executable, "-m", "libchild", "check", "--help"], cwd=ROOT,
                         capture_output=True, text=True, encoding="utf-8")
    assert out.returncode == 0
    assert "ngày tính tuổi" in out.stdout


def test_same_id_number_on_two_children_is_an_error(tmp_path: Path) -> None:
    twin = '014218001234,Lò Văn Pằng,Nam,05/09/2018,Thái,03808,14,Lò Văn Minh,,\n'
    path = write(tmp_path, "a.csv", HEADER + GOOD + WARN + twin)
    out = run(str(path))
    assert out.returncode == 1
    assert "Số định danh cá nhân trùng với số của một trẻ khác." in out.stdout
    assert "Trùng với dòng: 4" in out.stdout and "Trùng với dòng: 2" in out.stdout
    report = json.loads(run(str(path), "--json").stdout)
    assert report["records"][0]["same_id_as"] == [4]
    assert report["summary"]["with_errors"] == 2
    assert report["summary"]["by_code"]["personal_id.duplicate"]["count"] == 2
