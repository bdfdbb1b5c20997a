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
    "partial_export": (
        "Tài khoản chỉ được xem một số thôn/bản nên không xuất được báo cáo của cả xã "
        "(báo cáo thiếu thôn không được đưa vào tổng hợp của tỉnh)."),
}


def text(key: str, /, **values: object) -> str:
    """The Vietnamese text ``key`` filled with ``values``."""
    return REPORTS[key].format(**values)
