"""Report workbook and province merge: figures, charts, print setup, digest, refusals."""

from __future__ import annotations

import json
import re
import zipfile
from datetime import date

import attrs
import openpyxl
import pytest

from exports.errors import SpreadsheetError
from exports.report import Signature, rank_areas, write_evaluation
from exports.report_data import digest, from_document, to_document
from exports.report_merge import ReportMergeError, merge_reports, read_report, run_merge
from libchild.indicators import (
    Area,
    ChildFacts,
    Count,
    Episode,
    ListSource,
    SupportGiven,
    evaluate_last,
    load_plans,
    parse_plan,
)

PLAN = load_plans()["son-la-2026"]
ON = date(2026, 6, 30)


def commune(code: str, special: int, total: int, *, villages=("Bản Nà", "Bản Mòng"),
            province: str = "14"):
    """A register of ``total`` children, ``special`` of them disabled (DB04) since 2025."""
    facts = []
    for k in range(total):
        episodes = (Episode("DB04", date(2025, 3, 1)),) if k < special else ()
        supports = (SupportGiven("TG01", date(2026, 2, 1)),) if k < special // 2 else ()
        facts.append(ChildFacts(date(2015 + k % 10, 1 + k % 12, 1), sex="12"[k % 2],
                                village=villages[k % len(villages)],
                                has_personal_id=k % 5 != 0, episodes=episodes,
                                supports=supports))
    area = Area(code, f"Xã {code}", province, tuple(villages))
    return evaluate_last(PLAN, ListSource(area, tuple(facts)), ON, 4)


def sheet(path, name):
    return [list(r) for r in openpyxl.load_workbook(path)[name].iter_rows(values_only=True)]


@pytest.fixture
def three(tmp_path):
    paths = []
    for code, special, total in (("03808", 3, 100), ("03811", 30, 1000), ("03814", 1, 50)):
        path = tmp_path / f"{code}.xlsx"
        write_evaluation(path, commune(code, special, total), signature=Signature("Mường La"))
        paths.append(path)
    return paths


def test_commune_workbook_has_figures_charts_print_setup_and_no_personal_data(tmp_path):
    out = tmp_path / "bao-cao.xlsx"
    ev = commune("03808", 3, 100)
    assert write_evaluation(out, ev, signature=Signature("Mường La", maker="Lò Thị Mai")) == 8
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Báo cáo", "Theo thôn", "Nhóm tuổi, hoàn cảnh", "Qua các kỳ",
                               "_so_lieu"]
    assert book["_so_lieu"].sheet_state == "hidden"
    rows = sheet(out, "Báo cáo")
    text = "\n".join(str(c) for r in rows for c in r if c is not None)
    assert "6 tháng đầu năm 2026" in text and "30/06/2026" in text
    assert "TM. ỦY BAN NHÂN DÂN" in text and "Mường La, ngày" in text
    assert "thẻ bảo hiểm y tế" in text  # what the register cannot compute is said
    row = next(r for r in rows if r[1] == "Tỷ lệ trẻ em có hoàn cảnh đặc biệt trên tổng số trẻ em")
    assert row[3:9] == [3, 100, 3.0, "%", "< 6,4%", "Đạt"]
    assert row[9] == 3.0 and row[10] == 0  # previous period: DB04 since March 2025
    supported = next(r for r in rows if str(r[1]).startswith("Tỷ lệ trẻ em có hoàn cảnh đặc "
                                                              "biệt được chăm sóc"))
    assert supported[3:5] == [1, 3] and supported[8] == "Chưa đạt"
    assert supported[9] == 0 and supported[10] == pytest.approx(33.333333)
    with zipfile.ZipFile(out) as package:
        names = package.namelist()
        charts = [n for n in names if re.fullmatch(r"xl/charts/chart\d+\.xml", n)]
        assert len(charts) == 3 + 3 + 8  # per village, groups, one trend per indicator
        main = package.read("xl/worksheets/sheet1.xml").decode()
        assert 'paperSize="9"' in main and 'orientation="landscape"' in main
        everything = "".join(package.read(n).decode("utf-8", "replace") for n in names
                             if n.endswith(".xml"))
    assert "Lò Thị Mai" in everything  # the signer, given on purpose
    assert oct(out.stat().st_mode & 0o777) == "0o600"


def test_the_hidden_figures_read_back_to_the_same_evaluation(tmp_path, three):
    report = read_report(three[1])
    original = commune("03811", 30, 1000)
    assert report.evaluation.current.counts == original.current.counts
    assert report.evaluation.periods == original.periods
    assert report.evaluation.plan == PLAN
    document = to_document(original)
    assert from_document(json.loads(json.dumps(document))).periods == original.periods
    assert digest(document) == digest(json.loads(json.dumps(document)))


def test_merge_adds_numerators_and_denominators_and_never_averages_rates(tmp_path, three):
    out = tmp_path / "tinh.xlsx"
    summary = run_merge([str(p) for p in three], str(out))
    assert "3 xã, phường" in summary and "Tỉnh Sơn La" in summary
    province = read_report(out)
    assert province.document["kind"] == "province"
    counts = province.evaluation.current.counts["ty_le_dac_biet"]
    assert counts == Count(3 + 30 + 1, 100 + 1000 + 50)
    rows = sheet(out, "Báo cáo")
    row = next(r for r in rows if r[1] == "Tỷ lệ trẻ em có hoàn cảnh đặc biệt trên tổng số trẻ em")
    assert row[5] == pytest.approx(34 / 1150 * 100, abs=1e-6)  # not (3% + 3% + 2%) / 3
    assert row[5] != pytest.approx((3.0 + 3.0 + 2.0) / 3)
    by_commune = sheet(out, "Theo xã")
    assert [r[0] for r in by_commune if r[0] and r[0].startswith("Xã 0")] == [
        "Xã 03808", "Xã 03811", "Xã 03814"]
    assert [r[1] for r in by_commune if r[0] and r[0].startswith("Xã 0")] == [100, 1000, 50]
    ranking = sheet(out, "Xếp hạng các xã")
    first = next(k for k, r in enumerate(ranking) if r[0] and str(r[0]).startswith(
        "Tỷ lệ trẻ em có hoàn cảnh đặc biệt trên"))
    # lower is better for "< 6,4%": 03814 (2%) first, then 03808 (3%) and 03811 (3%)
    assert [ranking[first + k][1] for k in (2, 3, 4)] == ["03814", "03808", "03811"]
    assert rank_areas(province.evaluation, PLAN.indicator("duoi_5_co_so_dinh_danh"))


def refusal(paths, out) -> list[str]:
    with pytest.raises(ReportMergeError) as err:
        merge_reports(paths, out)
    assert not out.exists()
    assert str(err.value).startswith("Không tổng hợp được")
    return err.value.problems


def test_merge_refuses_a_different_period(tmp_path, three):
    other = tmp_path / "cu.xlsx"
    ev = commune("03817", 2, 40)
    write_evaluation(other, evaluate_last(PLAN, ListSource(ev.area, ()), date(2025, 12, 31), 4))
    problems = refusal([*three, other], tmp_path / "tinh.xlsx")
    assert any("khác kỳ" in p and "cu.xlsx" in p and "6 tháng cuối năm 2025" in p
               for p in problems)


def test_merge_refuses_a_commune_counted_twice(tmp_path, three):
    copy = tmp_path / "03808-ban-sao.xlsx"
    copy.write_bytes(three[0].read_bytes())
    problems = refusal([*three, copy], tmp_path / "tinh.xlsx")
    assert problems == ["Xã 03808 (03808) có hai báo cáo: 03808.xlsx và 03808-ban-sao.xlsx; "
                        "mỗi xã chỉ được tính một lần."]


def test_merge_refuses_a_figure_edited_by_hand(tmp_path, three):
    book = openpyxl.load_workbook(three[1])
    main = book["Báo cáo"]
    cell = next(c for row in main.iter_rows() for c in row
                if c.value == "Tỷ lệ trẻ em có hoàn cảnh đặc biệt trên tổng số trẻ em")
    main.cell(row=cell.row, column=4).value = 10  # numerator 30 -> 10
    book.save(three[1])
    problems = refusal(three, tmp_path / "tinh.xlsx")
    assert len(problems) == 1
    assert "03811.xlsx đã bị sửa tay: ô D" in problems[0] and "ghi 10" in problems[0]
    assert "là 30" in problems[0]


def test_merge_refuses_edited_hidden_figures(tmp_path, three):
    book = openpyxl.load_workbook(three[2])
    data = book["_so_lieu"]
    data["B4"].value = data["B4"].value.replace('"ty_le_dac_biet":[1,50]',
                                                '"ty_le_dac_biet":[0,50]')
    book.save(three[2])
    problems = refusal(three, tmp_path / "tinh.xlsx")
    assert problems == [
        "Tệp 03814.xlsx đã bị sửa sau khi lập: số liệu không khớp mã kiểm tra. "
        "Hãy đề nghị xã gửi lại tệp do phần mềm lập."]


def test_merge_refuses_other_plans_other_provinces_and_foreign_files(tmp_path, three):
    edited_plan = attrs.evolve(PLAN, indicators=PLAN.indicators[:-1])
    other_version = tmp_path / "ban-khac.xlsx"
    ev = commune("03820", 1, 30)
    write_evaluation(other_version, attrs.evolve(ev, plan=edited_plan))
    other_plan = tmp_path / "ke-hoach-khac.xlsx"
    plan2 = load_plans()["son-la-muong-la-2026"]
    write_evaluation(other_plan, evaluate_last(plan2, ListSource(
        Area("03823", "Xã B", "14"), ()), ON, 4))
    elsewhere = tmp_path / "tinh-khac.xlsx"
    write_evaluation(elsewhere, commune("00004", 1, 10, province="01"))
    foreign = tmp_path / "danh-sach.xlsx"
    book = openpyxl.Workbook()
    book.active["A1"] = "Họ và tên"
    book.save(foreign)
    not_xlsx = tmp_path / "bao-cao.xlsx"
    not_xlsx.write_text("STT,Họ và tên\n", encoding="utf-8")
    problems = refusal([*three, other_version, other_plan, elsewhere, foreign, not_xlsx],
                       tmp_path / "tinh.xlsx")
    joined = "\n".join(problems)
    assert "ban-khac.xlsx dùng bản chỉ tiêu" in joined
    assert "ke-hoach-khac.xlsx tính theo kế hoạch" in joined
    assert "tinh-khac.xlsx: Xã 00004 thuộc tỉnh mã 01" in joined
    assert "danh-sach.xlsx không phải báo cáo xã" in joined
    assert "bao-cao.xlsx là tệp văn bản/CSV" in joined
    assert len(problems) == 5


def test_a_province_report_is_not_merged_again(tmp_path, three):
    out = tmp_path / "tinh.xlsx"
    merge_reports(three, out)
    problems = refusal([out, three[0]], tmp_path / "lai.xlsx")
    assert any("là báo cáo tổng hợp của tỉnh" in p for p in problems)


def test_nothing_to_merge(tmp_path):
    assert refusal([], tmp_path / "tinh.xlsx") == ["Chưa chọn tệp báo cáo nào để tổng hợp."]


def test_a_damaged_hidden_sheet_is_named(tmp_path, three):
    book = openpyxl.load_workbook(three[0])
    book["_so_lieu"]["B4"].value = "{không phải JSON"
    book.save(three[0])
    with pytest.raises(SpreadsheetError, match="trang số liệu ẩn bị hỏng"):
        read_report(three[0])


def test_count_indicators_and_missing_values_are_written(tmp_path):
    plan = parse_plan("""# source: thử
# date: 2026
[plan]
id = "thu"
name = "thử"
document = "thử"
issuer = "thử"
[[indicator]]
id = "dem"
name = "Số trẻ em bị bỏ rơi"
source = "thử"
unit = "count"
numerator = { circumstance = ["DB02"] }
[[indicator]]
id = "ty_le_khuyet_tat_ho_tro"
name = "Tỷ lệ trẻ khuyết tật được trợ giúp"
source = "thử"
unit = "%"
target = 100
direction = ">="
denominator = { circumstance = ["DB04"] }
numerator = { support = ["any"], support_when = "ever" }
""")
    ev = evaluate_last(plan, ListSource(Area("03808", "Xã Mường La", "14"), (
        ChildFacts(date(2020, 1, 1), episodes=(Episode("DB02", date(2026, 1, 2)),)),)), ON, 2)
    out = tmp_path / "r.xlsx"
    write_evaluation(out, ev)
    rows = sheet(out, "Báo cáo")
    count = next(r for r in rows if r[1] == "Số trẻ em bị bỏ rơi")
    assert count[3:9] == [1, "", 1, "trẻ", "", "Theo dõi"]
    assert count[9] == 0 and count[10] == 1
    rate = next(r for r in rows if r[1] == "Tỷ lệ trẻ khuyết tật được trợ giúp")
    assert rate[3:9] == [0, 0, "—", "%", "≥ 100%", "—"]
    assert read_report(out).evaluation.current.counts["dem"] == Count(1, 0)


def rewrite_document(path, change):
    """Replace the hidden document by ``change(document)`` with a matching digest."""
    book = openpyxl.load_workbook(path)
    data = book["_so_lieu"]
    count = data["B3"].value
    text = "".join(data.cell(row=4 + k, column=2).value for k in range(count))
    document = change(json.loads(text))
    body = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for k in range(count):
        data.cell(row=4 + k, column=2).value = body if k == 0 else ""
    data["B2"].value = digest(document)
    book.save(path)


@pytest.mark.parametrize("change", [
    lambda d: {**d, "area": ["03808"]},
    lambda d: {**d, "plan": {**d["plan"], "indicators": "không"}},
    lambda d: {**d, "periods": [{"key": "2026-H3"}]},
    lambda d: {**d, "layout": {**d["layout"], "rows": {}}},
    lambda d: {**d, "layout": {**d["layout"], "sheet": "Không có"}},
    lambda d: {**d, "layout": {**d["layout"], "numerator_col": "x"}},
    lambda d: {**d, "version": 99},
    lambda d: [1, 2, 3],
])
def test_hostile_figures_with_a_recomputed_digest_are_refused_cleanly(three, change):
    rewrite_document(three[0], change)
    with pytest.raises(SpreadsheetError) as err:
        read_report(three[0])
    assert "03808.xlsx" in str(err.value)
    assert err.value.code in ("merge.unreadable_data", "merge.newer_format",
                              "merge.not_report", "merge.edited_data")
