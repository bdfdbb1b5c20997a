"""Texts of the report charts and (later) the report screen and ``treem report``."""

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
}


def text(key: str, /, **values: object) -> str:
    """The Vietnamese text ``key`` filled with ``values``."""
    return REPORTS[key].format(**values)
