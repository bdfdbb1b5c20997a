"""Every exported workbook opens in LibreOffice and shows Vietnamese correctly.

Converts each file with ``soffice --headless --convert-to csv`` (UTF-8) and looks for
Vietnamese text in the CSV. Skipped, with the reason, where LibreOffice is not
installed.
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from datetime import date

import pytest

from exports.cleaning import write_cleaning
from exports.full import write_full
from exports.police import write_police_list
from exports.report import compute_report, write_evaluation, write_report
from exports.report_merge import merge_reports, read_report
from libchild.indicators import Area, ListSource, evaluate_last, facts_from_canonical, load_plans
from libchild.issues import issue

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (soffice) is not installed on this machine"
)

CHILD = {
    "personal_id": None, "full_name": "Quàng Thị Hường", "sex": "2",
    "birth_date": "2018-11-05", "ethnicity": "03", "village": "Bản Nà Sản",
    "commune_code": "03808", "province_code": "14", "father_name": "Quàng Văn Đức",
    "mother_name": "Lò Thị Xuân", "circumstances": ["DB04"], "supports": [],
}


def to_csv(path, tmp_path):
    outdir = tmp_path / "csv"
    subprocess.run(
        [SOFFICE, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile",
         "--convert-to", 'csv:Text - txt - csv (StarCalc):44,34,76', "--outdir", str(outdir),
         str(path)],
        check=True, capture_output=True, timeout=180,
    )
    return (outdir / (path.stem + ".csv")).read_text("utf-8")


@pytest.mark.parametrize("kind", ["full", "police", "cleaning", "report"])
def test_export_opens_in_libreoffice_with_vietnamese(kind, tmp_path):
    out = tmp_path / f"{kind}.xlsx"
    if kind == "full":
        write_full(out, [CHILD], sensitive=True)
        expected = ["Quàng Thị Hường", "Số định danh cá nhân", "Trẻ em khuyết tật"]
    elif kind == "police":
        write_police_list(out, [dict(CHILD, row_key="1")], batch_id="1",
                          commune="Xã Mường La", on=date(2026, 7, 1))
        expected = ["Quàng Thị Hường", "XÁC MINH SỐ ĐỊNH DANH", "Xã Mường La"]
    elif kind == "cleaning":
        write_cleaning(out, {"no_id": [(CHILD, [issue("personal_id.missing")])]})
        expected = ["Quàng Thị Hường", "CHƯA CÓ SỐ ĐỊNH DANH"]
    else:
        write_report(out, compute_report([CHILD], date(2026, 6, 30)), commune="Xã Mường La")
        expected = ["Tổng số trẻ em dưới 16 tuổi", "Xã Mường La"]
    text = to_csv(out, tmp_path)
    for fragment in expected:
        assert fragment in text


def resave_xlsx(path, tmp_path):
    """Open ``path`` in LibreOffice and save it again as xlsx (what an officer may do)."""
    outdir = tmp_path / "resaved"
    subprocess.run(
        [SOFFICE, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile",
         "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(outdir), str(path)],
        check=True, capture_output=True, timeout=180,
    )
    return outdir / path.name


def test_report_charts_survive_libreoffice_and_the_file_still_merges(tmp_path):
    plan = load_plans()["son-la-2026"]
    facts = tuple(facts_from_canonical(dict(CHILD, village=v)) for v in ("Bản Nà", "Bản Mòng"))
    evaluation = evaluate_last(plan, ListSource(Area("03808", "Xã Mường La", "14"), facts),
                               date(2026, 6, 30), 4)
    out = tmp_path / "03808.xlsx"
    write_evaluation(out, evaluation)
    resaved = resave_xlsx(out, tmp_path)
    with zipfile.ZipFile(resaved) as package:
        names = package.namelist()
    charts = [n for n in names if n.startswith("xl/charts/chart") and n.endswith(".xml")]
    assert len(charts) == 14, names  # 3 per village, 3 groups, 8 trends
    assert any(n.startswith("xl/drawings/drawing") for n in names)
    # the hidden figures and the visible table come back intact: the province can merge
    report = read_report(resaved)
    assert report.evaluation.current.counts == evaluation.current.counts
    text = to_csv(resaved, tmp_path)
    assert "Tỷ lệ trẻ em có hoàn cảnh đặc biệt trên tổng số trẻ em" in text
    other = tmp_path / "03811.xlsx"
    write_evaluation(other, evaluate_last(plan, ListSource(
        Area("03811", "Xã Chiềng Lao", "14"), facts), date(2026, 6, 30), 4))
    province = merge_reports([resaved, other], tmp_path / "tinh.xlsx")
    assert province.communes == 2
    again = resave_xlsx(tmp_path / "tinh.xlsx", tmp_path)
    with zipfile.ZipFile(again) as package:
        assert sum(n.startswith("xl/charts/chart") for n in package.namelist()) >= 14
