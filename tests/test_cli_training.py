"""``treem training list | print`` run as a real process: what a trainer types."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

from openpyxl import load_workbook

from tui.training.loader import load_shipped
from tui.training.print import sheet_names

ROOT = Path(__file__).resolve().parents[1]


def treem(*args: str, tmp: Path) -> subprocess.CompletedProcess[str]:
    """Run ``python -m tui.cli ARGS`` with a private HOME and no TREEM_* variables."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TREEM_")}
    env.update(HOME=str(tmp / "home"), PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "tui.cli", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL)


def test_list_names_every_shipped_scenario_by_level(tmp_path):
    done = treem("training", "list", "--json", tmp=tmp_path)
    assert done.returncode == 0, done.stderr
    listed = json.loads(done.stdout)
    shipped = load_shipped()
    assert [row["id"] for row in listed] == [s.id for s in shipped]
    assert [row["level"] for row in listed] == sorted(row["level"] for row in listed)
    assert len(listed) >= 5
    assert all(row["reference_date"] == "2025-09-01" for row in listed)
    text = treem("training", "list", tmp=tmp_path)
    assert text.returncode == 0
    assert f"Mức 1  {shipped[0].id}: {shipped[0].title}" in text.stdout


def test_print_writes_one_owner_only_sheet_per_book_page(tmp_path):
    scenario = next(s for s in load_shipped() if len(s.pages) > 1)
    out = tmp_path / "trang.xlsx"
    done = treem("training", "print", scenario.id, "--out", str(out), tmp=tmp_path)
    assert done.returncode == 0, done.stderr
    assert f"Đã in {len(scenario.pages)} trang sổ của kịch bản {scenario.id}" in done.stdout
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    book = load_workbook(out, read_only=True)
    assert book.sheetnames == sheet_names([p.book_number for p in scenario.pages])


def test_print_key_for_the_trainer(tmp_path):
    scenario = load_shipped()[0]
    out = tmp_path / "dap-an.xlsx"
    done = treem("training", "print", scenario.id, "--key", "--out", str(out), tmp=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Đã in đáp án" in done.stdout
    assert load_workbook(out, read_only=True).sheetnames


def test_refusals_say_why_in_vietnamese_and_write_nothing(tmp_path):
    unknown = treem("training", "print", "khong-co", "--out", str(tmp_path / "a.xlsx"),
                    tmp=tmp_path)
    assert unknown.returncode == 2
    assert "Không tìm thấy kịch bản «khong-co»" in unknown.stderr
    assert load_shipped()[0].id in unknown.stderr
    key_pdf = treem("training", "print", load_shipped()[0].id, "--key", "--out",
                    str(tmp_path / "a.pdf"), tmp=tmp_path)
    assert key_pdf.returncode == 2
    assert "Đáp án chỉ in ra tệp .xlsx" in key_pdf.stderr
    kind = treem("training", "print", load_shipped()[0].id, "--out", str(tmp_path / "a.txt"),
                 tmp=tmp_path)
    assert kind.returncode == 2
    assert "phải là .xlsx hoặc .pdf" in kind.stderr
    missing = treem("training", "print", load_shipped()[0].id, "--out",
                    str(tmp_path / "khong" / "a.xlsx"), tmp=tmp_path)
    assert missing.returncode == 3
    assert "không tồn tại" in missing.stderr
    assert "Traceback" not in missing.stderr
    assert not [p for p in tmp_path.rglob("*") if p.suffix in (".xlsx", ".pdf", ".txt")]
