"""One table per field and per coded value: the Vietnamese names every screen and command
shows for the register's fields, roles, permissions, record states, poverty and batches.

A field has one entry in :data:`FIELDS`: its full label and, where a screen of 80 columns
needs it, a short one (the entry form). Each enumeration of ``tui.domain`` has one table
keyed by its members; a test checks that every member is named.
"""

from __future__ import annotations

from typing import NamedTuple

from tui.domain import (
    BatchStatus,
    Permission,
    Poverty,
    RecordState,
    Relation,
    Role,
    RowStatus,
)

__all__ = [
    "BATCH_STATUS_NAMES",
    "FIELDS",
    "PERMISSION_NAMES",
    "POVERTY_NAMES",
    "RELATION_NAMES",
    "ROLE_NAMES",
    "ROW_STATUS_NAMES",
    "STATE_NAMES",
    "FieldLabel",
    "field_label",
    "name_of",
    "short_label",
]


class FieldLabel(NamedTuple):
    """The label of one field: in full, and short for the 80-column entry form."""

    full: str
    short: str


def _same(text: str) -> FieldLabel:
    return FieldLabel(text, text)


#: Every field a person sees by name: the canonical fields of a child (libchild),
#: the household book's fields, and the record's bookkeeping.
FIELDS: dict[str, FieldLabel] = {
    "full_name": FieldLabel("Họ và tên", "Họ tên"),
    "sex": _same("Giới tính"),
    "birth_date": _same("Ngày sinh"),
    "personal_id": _same("Số định danh"),
    "ethnicity": _same("Dân tộc"),
    "nationality": _same("Quốc tịch"),
    "village": FieldLabel("Thôn/xóm", "Thôn"),
    "address_detail": _same("Địa chỉ"),
    "current_address": _same("Nơi ở hiện tại"),
    "schooling": FieldLabel("Đi học", "Học tập"),
    "father_name": _same("Cha"),
    "mother_name": _same("Mẹ"),
    "caregiver_name": FieldLabel("Người chăm sóc", "Người CS"),
    "caregiver_id": _same("Số ĐD người chăm sóc"),
    "death_date": _same("Ngày mất"),
    "commune_code": _same("Xã"),
    "province_code": _same("Tỉnh"),
    "circumstances": _same("Hoàn cảnh"),
    "supports": _same("Trợ giúp"),
    "state": _same("Trạng thái"),
    "version": _same("Phiên bản"),
    "book_number": _same("Số sổ"),
    "address": _same("Địa chỉ"),
    "poverty": _same("Hộ nghèo"),
    "caregivers": _same("Người chăm sóc trong hộ"),
    "household_id": _same("Hộ"),
    "village_id": _same("Thôn/xóm"),
    "note": _same("Ghi chú"),
    "notes": _same("Ghi chú"),
    "name": _same("Họ và tên"),
    "relation": _same("Quan hệ"),
    "username": _same("Tên đăng nhập"),
    "unix_login": _same("Tài khoản máy chủ"),
}


def field_label(field: str) -> str:
    """The full Vietnamese label of ``field`` (the field's name when it has none)."""
    entry = FIELDS.get(field)
    return entry.full if entry is not None else field


def short_label(field: str) -> str:
    """The short label of ``field`` for tight layouts."""
    entry = FIELDS.get(field)
    return entry.short if entry is not None else field


ROLE_NAMES: dict[Role, str] = {
    Role.ADMINISTRATOR: "quản trị viên",
    Role.OFFICER: "cán bộ",
    Role.COLLABORATOR: "cộng tác viên",
    Role.POLICE: "công an xã",
    Role.VIEWER: "người xem báo cáo",
    Role.TRAINER: "giảng viên tập huấn",
    Role.PROVINCE_OFFICER: "cán bộ cấp tỉnh",
    Role.PROVINCE_ADMINISTRATOR: "quản trị viên cấp tỉnh",
}

#: What each permission lets a person do, as a refusal names it ("không được phép ...").
PERMISSION_NAMES: dict[Permission, str] = {
    Permission.VIEW_PERSONAL: "xem dữ liệu cá nhân",
    Permission.VIEW_SENSITIVE: "xem dữ liệu nhạy cảm (dân tộc, hoàn cảnh, trợ giúp, hộ nghèo)",
    Permission.EDIT_CHILD: "nhập, sửa hồ sơ trẻ em",
    Permission.MERGE_CHILDREN: "gộp hồ sơ trùng",
    Permission.DECIDE_DUPLICATES: "quyết định hồ sơ trùng",
    Permission.POLICE_LISTS: "xem, cập nhật danh sách xác minh của công an",
    Permission.MAKE_POLICE_BATCH: "lập danh sách gửi công an",
    Permission.REVIEW: "rà soát hồ sơ",
    Permission.REVIEW_LISTS: "xem danh sách hồ sơ cần rà soát",
    Permission.RECHECK: "phúc tra",
    Permission.REPORTS: "xem báo cáo thống kê",
    Permission.EXPORT_PERSONAL: "xuất dữ liệu cá nhân",
    Permission.VIEW_AUDIT: "xem nhật ký",
    Permission.MANAGE_USERS: "quản lý tài khoản",
    Permission.MANAGE_VILLAGES: "quản lý danh sách thôn",
    Permission.MANAGE_SETTINGS: "thay đổi cài đặt",
    Permission.VIEW_COMMUNES: "xem danh sách xã của tỉnh",
    Permission.MANAGE_COMMUNES: "thêm xã, quản lý xã của tỉnh",
}

STATE_NAMES: dict[RecordState, str] = {
    RecordState.ENTERED: "đã nhập",
    RecordState.NEEDS_FIXING: "cần sửa",
    RecordState.SENT_TO_POLICE: "đã gửi công an",
    RecordState.ID_VERIFIED: "đã xác minh số định danh",
    RecordState.CIRCUMSTANCES_REVIEWED: "đã rà soát hoàn cảnh",
    RecordState.RECHECKED: "đã phúc tra",
}

#: Whose an ID number is, as the child detail says it ("số ĐD ... (của mẹ)").
RELATION_NAMES: dict[Relation, str] = {
    Relation.FATHER: "cha",
    Relation.MOTHER: "mẹ",
    Relation.GUARDIAN: "người chăm sóc",
}

POVERTY_NAMES: dict[Poverty, str] = {
    Poverty.NONE: "Không",
    Poverty.POOR: "Hộ nghèo",
    Poverty.NEAR_POOR: "Hộ cận nghèo",
}

BATCH_STATUS_NAMES: dict[BatchStatus, str] = {
    BatchStatus.SENT: "đã gửi công an",
    BatchStatus.RETURNED: "công an đã trả kết quả",
}

ROW_STATUS_NAMES: dict[RowStatus, str] = {
    RowStatus.PENDING: "chờ xác minh",
    RowStatus.VERIFIED: "đã xác minh",
    RowStatus.CORRECTED: "đã sửa số",
    RowStatus.NOT_FOUND: "không tìm thấy",
}


def name_of(table: dict, code: object) -> str:
    """The Vietnamese name of ``code`` in ``table``; the code itself when unknown."""
    try:
        return str(table[code])
    except (KeyError, ValueError):
        return "" if code is None else str(code)
