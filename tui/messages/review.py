"""Texts of the review, search, detail, step-5 editor, duplicate and administration screens.

Every string a user sees on those screens lives here, in Vietnamese (NFC).
"""

from __future__ import annotations

from libchild.messages import duplicate_reason_label
from tui.domain import ReviewKind
from tui.formatting import number
from tui.messages.labels import field_label

__all__ = ["REVIEW_KINDS", "table_status"]


# -- paged table ---------------------------------------------------------------------

TABLE_EMPTY = "Không có dòng nào."
KEY_OPEN = "Mở"


def table_status(position: int, total: int) -> str:
    """Status line of a paged table: ``"Dòng 3/1.234"``."""
    if total == 0:
        return "0 dòng"
    return f"Dòng {number(position)}/{number(total)}"


def table_status_counting(position: int) -> str:
    """Status line while the total is still being counted."""
    return f"Dòng {number(position)}/… (đang đếm)"


# -- review lists --------------------------------------------------------------------

# kind -> (title, explanation shown under the title)
REVIEW_KINDS: dict[ReviewKind, tuple[str, str]] = {
    ReviewKind.NO_ID: (
        "Chưa có số định danh",
        "Trẻ chưa có số định danh cá nhân: gửi công an xã xác minh (bước 4).",
    ),
    ReviewKind.BAD_ID: (
        "Số định danh sai định dạng",
        "Số định danh phải gồm đúng 12 chữ số. Sửa theo sổ hoặc hỏi công an xã.",
    ),
    ReviewKind.BASIC_INFO: (
        "Thiếu hoặc sai thông tin cơ bản",
        "Họ tên, ngày sinh, giới tính, dân tộc, cha/mẹ/người chăm sóc thiếu hoặc sai.",
    ),
    ReviewKind.CATEGORY_RULES: (
        "Cảnh báo về nhóm hoàn cảnh",
        "Nhóm hoàn cảnh không khớp với các thông tin khác của trẻ.",
    ),
    ReviewKind.UNSUPPORTED: (
        "Hoàn cảnh đặc biệt chưa được trợ giúp",
        "Trẻ có hoàn cảnh đặc biệt nhưng chưa ghi nhận hình thức trợ giúp nào.",
    ),
    ReviewKind.AGED_OUT: (
        "Trẻ từ 16 tuổi trở lên",
        "Trẻ đủ 16 tuổi ra khỏi danh sách quản lý nhưng vẫn được lưu.",
    ),
}

COL_ID = field_label("personal_id")
COL_NAME = field_label("full_name")
COL_BIRTH = field_label("birth_date")
COL_VILLAGE = field_label("village")
COL_BOOK = "Sổ"
COL_PROBLEM = "Vấn đề"
COL_AGE = "Tuổi"
COL_SCORE = "Điểm"
COL_REASONS = "Lý do"
COL_PAIR = "Hai bản ghi"

REVIEW_EMPTY = "Danh sách trống: không còn hồ sơ nào cần xem lại."
KEY_BACK = "Quay lại"
KEY_REFRESH = "Làm mới"
NO_ID = "(chưa có)"
MISSING = "—"
REVIEW_TITLE = "Rà soát {number}/6: {title}   (phím {keys}: đổi danh sách)"
KEY_DETAIL = "Chi tiết"
KEY_FIX = "Sửa"
NOT_ALLOWED = "Vai trò của bạn không được mở danh sách này."

# Short labels of issue codes for one-line list rows (the full libchild message and
# hint are on the detail screen and in the entry form).
SHORT_CODES: dict[str, str] = {
    "personal_id.missing": "Chưa có số định danh",
    "personal_id.format": "Có ký tự không phải số",
    "personal_id.length": "Không đủ 12 chữ số",
    "personal_id.unknown_prefix": "Mã tỉnh (3 số đầu) lạ",
    "personal_id.sex_mismatch": "Số thứ 4 lệch giới tính",
    "personal_id.century_mismatch": "Số thứ 4 lệch thế kỷ sinh",
    "personal_id.year_mismatch": "Số 5–6 lệch năm sinh",
    "personal_id.same_as_caregiver": "Trùng số người chăm sóc",
    "sex.missing": "Thiếu giới tính",
    "sex.unknown": "Giới tính sai mã",
    "birth_date.missing": "Thiếu ngày sinh",
    "birth_date.invalid": "Ngày sinh sai",
    "birth_date.future": "Ngày sinh ở tương lai",
    "ethnicity.missing": "Thiếu dân tộc",
    "ethnicity.unknown": "Dân tộc sai mã",
    "parents.missing": "Thiếu cha/mẹ/người chăm sóc",
    "rule.db07_needs_dropout": "DB07 nhưng không bỏ học",
    "rule.db14_needs_poor": "DB14 thiếu NC02",
    "rule.nc01_with_db": "NC01 cùng nhóm DB",
    "rule.orphan_no_caregiver": "Thiếu người chăm sóc",
    "rule.support_without_db": "Trợ giúp nhưng không có DB",
    "rule.kh02_needs_death_date": "KH02 thiếu ngày mất",
}
NAME_PROBLEMS = {
    "full_name": "Họ tên trẻ",
    "father_name": "Tên cha",
    "mother_name": "Tên mẹ",
    "caregiver_name": "Tên người chăm sóc",
}
NAME_REASONS = {
    "missing": "thiếu",
    "digits": "có chữ số",
    "symbols": "có ký hiệu",
    "too_long": "quá dài",
    "single_word": "chỉ một từ",
    "legacy_encoding": "lỗi phông",
    "invalid": "sai",
}


def short_problem(code: str) -> str:
    """A few words for issue ``code`` (falls back to the code itself)."""
    if code in SHORT_CODES:
        return SHORT_CODES[code]
    field, _, reason = code.partition(".")
    if field in NAME_PROBLEMS and reason in NAME_REASONS:
        return f"{NAME_PROBLEMS[field]} {NAME_REASONS[reason]}"
    return code

# -- search --------------------------------------------------------------------------

SEARCH_TITLE = "Tìm trẻ em"
SEARCH_LABEL = "Tìm:"
SEARCH_PLACEHOLDER = "tên không dấu, số định danh, số sổ hoặc tên thôn"
SEARCH_PROMPT = "Gõ vài chữ đầu của tên (không cần dấu), số định danh, số sổ hoặc thôn."
SEARCH_EMPTY = "Không tìm thấy trẻ nào."
COL_STATE = field_label("state")
KEY_EDIT = "Sửa hồ sơ"
KEY_TO_LIST = "Xuống danh sách"


def search_count(total: int) -> str:
    """``"Tìm thấy 1.234 trẻ"``."""
    return f"Tìm thấy {number(total)} trẻ."

# -- child detail ----------------------------------------------------------------------

DETAIL_TITLE = "Hồ sơ trẻ: {name}"
DETAIL_TABS = "1 Thông tin   2 Hoàn cảnh, trợ giúp   3 Lịch sử"
KEY_STEP5 = "Hoàn cảnh"
HIDDEN = "(ẩn: dữ liệu nhạy cảm)"
#: A parent or caregiver on the child detail: the name, then their ID number.
DETAIL_PERSON = "{name}, số ĐD {pid}"
#: The caregiver ID the record holds when it is a parent's: whose it is.
DETAIL_ID_OF = "{pid} (của {whom})"
DETAIL_NO_BOOK = "— (không thuộc sổ hộ nào)"
DETAIL_UPDATED = "Sửa lần cuối: {at} bởi {user}"
DETAIL_ISSUES = "Vấn đề còn lại"
DETAIL_NO_ISSUES = "Không có vấn đề nào."
DETAIL_MERGED = "Hồ sơ này đã được gộp vào hồ sơ số {child_id}."
SEVERITY_NAMES = {"error": "Lỗi", "warning": "Cảnh báo", "info": "Lưu ý"}
CIRCUMSTANCES_HEADING = "Hoàn cảnh (từ ngày – đến ngày)"
NO_CIRCUMSTANCES = "Chưa ghi hoàn cảnh nào."
SUPPORTS_HEADING = "Trợ giúp đã nhận"
NO_SUPPORTS = "Chưa ghi trợ giúp nào."
OPEN_END = "nay"
GROUP_NAMES = {"special": "Đặc biệt", "at_risk": "Nguy cơ", "other": "Khác"}
HISTORY_EMPTY = "Chưa có lịch sử."
COL_AT = "Lúc"
COL_WHO = "Người"
COL_WHAT = "Việc"
COL_CHANGE = "Thay đổi"
ACTION_NAMES = {
    "create": "tạo",
    "update": "sửa",
    "delete": "xoá",
    "view": "xem",
    "merge": "gộp",
    "decide": "quyết định",
    "state": "chuyển bước",
    "workflow": "chuyển bước",
    "review": "rà soát",
    "recheck": "phúc tra",
    "unmerge": "hoàn tác gộp",
}
#: History entries about more than a field (fields are named by ``tui.messages.labels``).
FIELD_NAMES = {
    "circumstance": "Hoàn cảnh",
    "support": "Trợ giúp",
    "merged_into": "Gộp vào hồ sơ",
    "merged_from": "Gộp từ hồ sơ",
    "circumstances_reviewed_on": "Ngày rà soát bước 5",
}

# -- step-5 editor -----------------------------------------------------------------------

STEP5_TITLE = "Bước 5 – hoàn cảnh và trợ giúp: {name}"
STEP5_CIRCUMSTANCES = "Hoàn cảnh"
STEP5_SUPPORTS = "Trợ giúp đã nhận"
COL_CODE = "Mã"
COL_CIRC_NAME = "Nhóm hoàn cảnh"
COL_SUPPORT_NAME = "Hình thức trợ giúp"
COL_FROM = "Từ ngày"
COL_TO = "Đến ngày"
COL_DATE = "Ngày"
COL_NOTE = "Ghi chú"
STEP5_MODES = {
    "add_circumstance": "Thêm hoàn cảnh: mã (hoặc vài chữ của tên), ngày bắt đầu, ghi chú",
    "end_circumstance": "Kết thúc hoàn cảnh {code}: ngày kết thúc",
    "add_support": "Thêm trợ giúp: hình thức (TG01–TG05), ngày nhận, ghi chú",
}
STEP5_NO_MATCH = "Không có mã nào ứng với “{text}”."
STEP5_MORE = " (↑↓ xem {count} mã khác)"
STEP5_IDLE = "F2 thêm HC · F3 kết thúc HC đang chọn · F4 thêm trợ giúp · F8 xoá dòng ghi nhầm"
LABEL_CODE = "Mã"
LABEL_DATE = "Ngày"
LABEL_NOTE = "Ghi chú"
KEY_ADD_CIRCUMSTANCE = "Thêm HC"
KEY_END_CIRCUMSTANCE = "Kết thúc HC"
KEY_ADD_SUPPORT = "Thêm trợ giúp"
KEY_DELETE_ROW = "Xoá dòng"
STEP5_DELETE_PICK = "Chọn dòng ghi nhầm (Tab sang bảng, mũi tên lên/xuống) rồi nhấn F8."
#: Asked before a row is deleted; a circumstance that has ended is closed with F3 instead.
STEP5_DELETE_CONFIRM = {
    "circumstance": "Xoá hẳn hoàn cảnh {code} ({period})? F8 lần nữa: xoá · Esc: thôi",
    "support": "Xoá hẳn trợ giúp {code} ngày {period}? F8 lần nữa: xoá · Esc: thôi",
}
STEP5_DELETED = {"circumstance": "Đã xoá hoàn cảnh {code} (ghi vào nhật ký).",
                 "support": "Đã xoá trợ giúp {code} (ghi vào nhật ký)."}
STEP5_DELETE_CANCELLED = "Không xoá."
KEY_CANCEL = "Huỷ"
STEP5_PICK_ROW = "Chọn một hoàn cảnh đang mở trong bảng (mũi tên lên/xuống) rồi nhấn F3."
STEP5_ALREADY_ENDED = "Hoàn cảnh này đã kết thúc ngày {end}."
STEP5_UNKNOWN_CIRCUMSTANCE = "Không có nhóm hoàn cảnh mã “{code}”. Gõ mã (DB01–DB15, " \
    "NC01–NC02, KH01–KH03) hoặc vài chữ của tên."
STEP5_UNKNOWN_SUPPORT = "Không có hình thức trợ giúp mã “{code}”. Gõ TG01–TG05 hoặc vài chữ " \
    "của tên."
STEP5_BAD_DATE = "Ngày “{value}” không hợp lệ: gõ ngày dạng ddmmyyyy, ví dụ 15032024."
STEP5_DATE_REQUIRED = "Cần ghi ngày."
STEP5_END_BEFORE_START = "Ngày kết thúc không được trước ngày bắt đầu ({start})."
STEP5_SAVED = {
    "add_circumstance": "Đã thêm hoàn cảnh {code}.",
    "end_circumstance": "Đã kết thúc hoàn cảnh {code}.",
    "add_support": "Đã ghi trợ giúp {code}.",
}
STEP5_NOT_SAVED = "Chưa lưu: {message}"
STEP5_HIDDEN = (
    "Vai trò của bạn không được xem hoàn cảnh và trợ giúp của trẻ (dữ liệu nhạy cảm)."
)

# -- duplicate review ---------------------------------------------------------------------

DUP_TITLE = "Rà soát hồ sơ nghi trùng"
DUP_SEARCHING = "Đang so sánh các hồ sơ trong xã, xin chờ…"
DUP_COUNT = "{count} cặp nghi trùng chưa quyết định. F7: cùng một trẻ (gộp), F3: hai trẻ khác nhau."
DUP_NONE = "Không còn cặp hồ sơ nghi trùng nào."
DUP_EMPTY = "Không có cặp nghi trùng."
COL_LEFT = "Hồ sơ giữ lại"
COL_RIGHT = "Hồ sơ gộp vào"
COL_FIELD = "Thông tin"
KEY_SAME = "Cùng một trẻ"
KEY_DIFFERENT = "Khác nhau"
KEY_SWAP = "Đổi bên giữ"
DUP_MERGED = "Đã gộp số {drop} vào số {keep}; F6 hoàn tác."
DUP_DIFFERENT = "Đã ghi nhận: hồ sơ số {left} và số {right} là hai trẻ khác nhau."
DUP_FAILED = "Chưa thực hiện được: {message}"
DUP_RECORD = "Số {child_id}"
KEY_UNDO_MERGE = "Hoàn tác gộp"
MERGE_TITLE = "Gộp hai hồ sơ: kiểm tra lại từng dòng trước khi gộp"
MERGE_EXPLAIN = (
    "Hồ sơ số {drop} sẽ được gộp vào hồ sơ số {keep}: ô trống của hồ sơ giữ lại lấy từ "
    "hồ sơ kia, hồ sơ số {drop} được giữ lại nhưng ẩn đi. Gõ {drop} rồi Enter để gộp, "
    "Esc để thôi."
)
MERGE_PLACEHOLDER = "gõ {drop}"
MERGE_WRONG_NUMBER = "Chưa gộp: hãy gõ đúng số {drop} của hồ sơ sẽ gộp đi."
MERGE_CANCELLED = "Đã thôi, chưa gộp hồ sơ nào."
UNDO_NOTHING = "Chưa có lần gộp nào trên màn hình này để hoàn tác."
UNDO_DONE = "Đã hoàn tác gộp số {drop} vào số {keep}."
def dup_reasons(reasons: tuple[str, ...] | list[str]) -> str:
    """The reasons of a candidate pair in Vietnamese, from libchild's one list of labels.

    Separated by "; " because a label may itself contain a comma."""
    return "; ".join(duplicate_reason_label(r) for r in reasons)

# -- administration -----------------------------------------------------------------------

ADMIN_TITLE = "Quản trị"
ADMIN_PAGES = "1 Người dùng   2 Thôn/xóm   3 Cài đặt xã"
ADMIN_USERS_ONLY = "Chỉ quản trị viên được quản lý tài khoản người dùng."
COL_USERNAME = "Tên đăng nhập"
COL_FULL_NAME = "Họ tên"
COL_ROLE = "Vai trò"
COL_STATUS = "Tình trạng"
COL_VILLAGES = "Thôn phụ trách"
COL_CHILDREN = "Số trẻ"
USER_ACTIVE = "đang dùng"
USER_DISABLED = "đã khoá"
USER_LOCKED = "khoá tạm"
USER_MUST_CHANGE = "chờ đổi mật khẩu"
VILLAGE_ACTIVE = "đang dùng"
VILLAGE_RETIRED = "đã bỏ"
ALL_VILLAGES = "tất cả"
KEY_ADD = "Thêm"
KEY_LOCK_TOGGLE = "Khoá"
KEY_RESET_PASSWORD = "Mật khẩu"
KEY_ROLE = "Vai trò"
KEY_VILLAGES = "Thôn"
KEY_RENAME = "Đổi tên"
KEY_RETIRE = "Bỏ/dùng lại"
KEY_SAVE = "Lưu"
ADMIN_FORM_LABELS = {
    "username": "Tên đăng nhập",
    "full_name": "Họ tên",
    "role": "Vai trò",
    "password": "Mật khẩu tạm",
    "villages": "Thôn (cách nhau dấu phẩy)",
    "village_name": "Tên thôn",
    "idle": "Khoá phiên sau (phút)",
    "recheck": "Phúc tra (% hồ sơ)",
}
ADMIN_MODES = {
    "add_user": "Thêm người dùng: tên đăng nhập, họ tên, vai trò, mật khẩu tạm, thôn",
    "reset_password": "Đặt mật khẩu tạm cho {username} (phải đổi khi đăng nhập)",
    "set_role": "Đổi vai trò của {username}",
    "set_villages": "Thôn phụ trách của {username}",
    "add_village": "Thêm thôn/xóm mới",
    "rename_village": "Đổi tên thôn {name}",
}
ADMIN_IDLE_USERS = "F2 thêm · F3 khoá/mở · F4 mật khẩu · F6 vai trò · F7 thôn phụ trách"
ADMIN_IDLE_VILLAGES = "F2 thêm thôn · F6 đổi tên · F3 bỏ/dùng lại thôn đang chọn"
ADMIN_SETTINGS_HINT = "Xã: {name} ({code}). Sửa rồi nhấn F2 để lưu."
ADMIN_DONE = {
    "add_user": "Đã thêm người dùng {username}.",
    "reset_password": "Đã đặt mật khẩu tạm cho {username}.",
    "set_role": "Đã đổi vai trò của {username}.",
    "set_villages": "Đã cập nhật thôn phụ trách của {username}.",
    "lock": "Đã khoá tài khoản {username}.",
    "unlock": "Đã mở khoá tài khoản {username}.",
    "add_village": "Đã thêm thôn {name}.",
    "rename_village": "Đã đổi tên thôn thành {name}.",
    "retire_village": "Đã bỏ thôn {name} (trẻ đã nhập vẫn giữ thôn này).",
    "restore_village": "Đã dùng lại thôn {name}.",
    "settings": "Đã lưu cài đặt xã.",
}
ADMIN_NOT_SAVED = "Chưa lưu: {message}"
ADMIN_NOT_SELF = "Không thể tự khoá tài khoản đang dùng."
ADMIN_PICK_USER = "Chọn một người dùng trong bảng trước."
ADMIN_PICK_VILLAGE = "Chọn một thôn trong bảng trước."
UNKNOWN_ROLE_CODE = "Vai trò “{role}” không có. Gõ: {choices}."
UNKNOWN_VILLAGE = "Không có thôn “{name}” trong danh sách của xã."
SETTING_NUMBER = "{label} phải là số nguyên từ {low} đến {high}."
