"""Texts of the report charts, the report screen, its service and ``treem report``."""

from __future__ import annotations

REPORTS: dict[str, str] = {
    "chart.no_value": "—",
    "chart.target": "KH",
    "chart.legend_target": "{mark} chỉ tiêu kế hoạch {target}",
    "chart.met": "đạt",
    "chart.not_met": "chưa đạt",
    "chart.empty": "(chưa có số liệu)",
    "chart.by_area": "Theo thôn/bản",
    "chart.by_age": "Theo nhóm tuổi",
    "chart.by_group": "Theo nhóm hoàn cảnh",
    "chart.trend": "Qua các kỳ",
    "age_group": "{low}-{high} tuổi",
    "group.special": "Hoàn cảnh đặc biệt",
    "group.at_risk": "Có nguy cơ",
    "group.other": "Hoàn cảnh khác",
    # the service and ``treem report``
    "withheld": "Cần quyền xem dữ liệu nhạy cảm (hoàn cảnh, trợ giúp, dân tộc) để xem chỉ tiêu này",
    "unknown_plan": "Không có kế hoạch «{plan}». Các kế hoạch có: {known}.",
    "bad_periods": "Số kỳ báo cáo phải từ 1 đến {most}.",
    "other_communes": "Tài khoản này không được xem báo cáo của xã: {communes}.",
    "several_provinces": (
        "Các xã đã chọn thuộc nhiều tỉnh ({provinces}); báo cáo tổng hợp chỉ cộng các xã "
        "của một tỉnh."),
    "help.report": (
        "Tính các chỉ tiêu của kế hoạch trên sổ trẻ em của xã (so với chỉ tiêu và kỳ "
        "trước), in ra màn hình, ghi bảng tính (--out) hoặc JSON (--json). "
        "Tổng hợp báo cáo các xã cho tỉnh: treem report merge TỆP... --out TỆP."),
    "help.plan": "mã kế hoạch (mặc định {default}; có: {known})",
    "help.as_of": "ngày tính số liệu (ngày/tháng/năm); mặc định hôm nay",
    "help.periods": "số kỳ sáu tháng (kỳ cuối là đến ngày tính; mặc định {default})",
    "help.out": "ghi bảng tính báo cáo ra tệp .xlsx này",
    "help.json": "in số liệu dạng JSON (cho máy đọc) thay cho bảng chữ",
    "help.communes": (
        "báo cáo của các xã này (mã 5 chữ số, cách nhau bằng dấu phẩy), tính thẳng trên "
        "cơ sở dữ liệu; một xã: báo cáo của xã; nhiều xã: cộng lại như báo cáo tỉnh"),
    "help.whole_province": (
        "báo cáo tỉnh: mọi xã tài khoản được xem, tính thẳng trên cơ sở dữ liệu, cộng "
        "theo xã như treem report merge"),
    "bad_communes": "«{value}» không phải danh sách mã xã (5 chữ số, cách nhau bằng dấu phẩy).",
    "help.merge": (
        "Tổng hợp báo cáo của các xã (cùng kế hoạch, cùng kỳ) thành báo cáo của tỉnh; "
        "kiểm tra tệp bị sửa tay và xã bị tính hai lần."),
    "help.files": "các tệp báo cáo của xã (.xlsx)",
    "help.merge_out": "tệp báo cáo của tỉnh sẽ ghi (.xlsx)",
    "help.province": "tên tỉnh in trên báo cáo (mặc định: theo mã tỉnh)",
    "bad_date": "Ngày «{value}» không đọc được: ghi theo ngày/tháng/năm, ví dụ 30/06/2026.",
    "bad_number": "«{value}» không phải là số kỳ (ghi một số từ 1 đến {most}).",
    "cli.title": "{plan}\n{area} — {period}",
    "cli.line": "{name}\n    {value}  (tử số {numerator}/mẫu số {denominator}){target}{previous}",
    "cli.target": "; chỉ tiêu {target}: {met}",
    "cli.previous": "; kỳ trước {previous}",
    "cli.no_birth_date": "{count} trẻ chưa có ngày sinh nên không được tính.",
    "cli.not_computed": "{count} chỉ tiêu của kế hoạch chưa tính được từ sổ (xem bảng tính).",
    "cli.withheld": "{count} chỉ tiêu cần quyền xem dữ liệu nhạy cảm nên không hiển thị.",
    "cli.written": "Đã ghi báo cáo {plan} ({period}) ra {path}.",
    "met": "đạt",
    "not_met": "chưa đạt",
    "no_value": "chưa có số liệu",
    # the report screen (tui.screens.report)
    "screen.title": "BÁO CÁO CHỈ TIÊU KẾ HOẠCH",
    "screen.head": "{area} — {period}{previous}",
    "screen.previous": " (so với {period})",
    "screen.plan": "Kế hoạch: {plan}",
    "screen.working": "Đang tính số liệu…",
    "screen.col.name": "Chỉ tiêu",
    "screen.col.value": "Kết quả",
    "screen.col.status": "Đánh giá",
    "screen.col.change": "Thay đổi",
    "screen.none": "(kế hoạch này không có chỉ tiêu nào tính được từ sổ)",
    "screen.chart.area": "Theo thôn/bản — {name}",
    "screen.chart.trend": "Qua các kỳ — {name}",
    "screen.chart.age": "Trẻ em dưới 16 tuổi theo nhóm tuổi",
    "screen.chart.group": "Trẻ em theo nhóm hoàn cảnh",
    "screen.detail": "Chỉ tiêu {target} · {numerator}/{denominator} trẻ · kỳ trước {previous}",
    "screen.detail_no_target": (
        "Không có chỉ tiêu · {numerator}/{denominator} trẻ · kỳ trước {previous}"),
    "screen.no_birth": "{count} trẻ thiếu ngày sinh. ",
    "screen.withheld": "{count} chỉ tiêu cần quyền xem dữ liệu nhạy cảm. ",
    "screen.export_label": "Ghi ra tệp: ",
    "screen.export_hint": "Enter: ghi · Esc: thôi",
    "screen.exists": "{path} đã có: Enter lần nữa để ghi đè.",
    "screen.written": "Đã ghi {path}",
    "screen.failed": "Không ghi được báo cáo: {message}",
    "screen.no_path": "Chưa nhập tên tệp.",
    "key.back": "Quay lại",
    "key.plan": "Kế hoạch",
    "key.older": "Kỳ trước",
    "key.newer": "Kỳ sau",
    "key.chart": "Biểu đồ",
    "key.export": "Ghi Excel",
    "file_name": "bao-cao-{commune}-{plan}-{period}.xlsx",
    "partial_export": (
        "Tài khoản chỉ được xem một số thôn/bản nên không xuất được báo cáo của cả xã "
        "(báo cáo thiếu thôn không được đưa vào tổng hợp của tỉnh)."),
}


def text(key: str, /, **values: object) -> str:
    """The Vietnamese text ``key`` filled with ``values``."""
    return REPORTS[key].format(**values)
