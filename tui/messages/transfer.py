"""Texts of the spreadsheet screen (export and import), in Vietnamese (NFC).

The summaries of a finished export or import and the preview of a bulk import are the
command line's own texts (built by ``tui.services.transfer`` from
``tui.messages.spreadsheets``), so that ``treem export`` and the screen say the same
thing; this module holds what only the screen shows.
"""

from __future__ import annotations

TITLE = "Bảng tính: xuất và nhập"

# --- bindings (footer: short) ---------------------------------------------------------
KEY_RUN = "Thực hiện"
KEY_COMMIT = "Ghi vào sổ"
KEY_CANCEL = "Huỷ"
KEY_BACK = "Quay lại"
KEY_SENSITIVE = "Cột nhạy cảm"

# --- the choice of work: key, label ---------------------------------------------------
#: Operation id -> label shown in the list (the digit key is its position, from 1).
OPERATIONS: dict[str, str] = {
    "police": "Xuất danh sách gửi công an xác minh số định danh",
    "cleaning": "Xuất danh sách rà soát, làm sạch dữ liệu",
    "full": "Xuất toàn bộ hồ sơ trẻ em",
    "report": "Xuất báo cáo thống kê (tính đến ngày)",
    "import_police": "Nhập danh sách công an trả về",
    "import_children": "Nhập danh sách trẻ em từ bảng tính (xem trước rồi ghi)",
}

#: A digit of a work the person's role may not run (the list does not show it).
NOT_YOURS = "Vai trò của bạn không làm được việc này."

#: Start of the file name offered for each export (ASCII: it travels to Windows PCs).
DEFAULT_FILE_STEMS: dict[str, str] = {
    "police": "treem-cong-an",
    "cleaning": "treem-lam-sach",
    "full": "treem-toan-bo",
    "report": "treem-bao-cao",
}
CHOSEN = "Việc đã chọn: {number} {label}"
FETCH_HINT = (
    "Tệp nằm trên máy chủ. Làm việc qua SSH thì nhờ quản trị viên tải tệp về máy "
    "mình bằng WinSCP hoặc pscp."
)
PATH_LABEL = "Tệp"
PATH_PLACEHOLDER = "đường dẫn tệp .xlsx (→ để nhận gợi ý)"
DATE_LABEL = "Đến ngày"
SENSITIVE_LABEL = "Kèm cột nhạy cảm (dân tộc, hoàn cảnh)"
MAPPING_LABEL = "Ánh xạ"
MAPPING_PLACEHOLDER = "tệp ánh xạ cột .json đã lưu (không bắt buộc)"
LEGACY_LABEL = "Mã cũ"
KEY_LEGACY = "Bảng mã"
#: What to do with old-font text whose cell font does not say (``exports`` choices).
LEGACY_CHOICES: dict[str, str] = {
    "auto": "tự nhận biết (theo phông chữ của ô)  [F4 đổi]",
    "tcvn3": "TCVN3 (.VnTime, ABC)  [F4 đổi]",
    "vni": "VNI (VNI-Times)  [F4 đổi]",
    "none": "không chuyển mã  [F4 đổi]",
}
#: ``{keys}`` is "1-6", or the digits of the works the person may run ("5").
HINT = "{keys} hoặc ↑↓ chọn việc, Enter: ô tệp, ↑↓ đổi ô, F2 thực hiện, Esc quay lại."

# --- checks before the work starts ----------------------------------------------------
NO_PATH = "Hãy nhập đường dẫn tệp."
NOT_XLSX = "Tệp phải có đuôi .xlsx: {path}"
NO_FILE = "Không tìm thấy tệp: {path}"
NO_MAPPING = "Không tìm thấy tệp ánh xạ cột: {path}"
IS_DIRECTORY = "Đây là một thư mục, không phải tệp: {path}"
NO_DIRECTORY = "Thư mục không tồn tại: {path}"
BAD_DATE = "Ngày không đúng dạng (ví dụ 30/06/2026): {value}"
OVERWRITE = "Tệp {path} đã có. Nhấn F2 lần nữa để ghi đè, hoặc sửa tên tệp."
BUSY = "Đang làm việc khác: chờ xong hoặc nhấn Esc/F10 để huỷ."

# --- while working --------------------------------------------------------------------
WORKING = {
    "police": "Đang lập danh sách gửi công an…",
    "cleaning": "Đang kiểm tra hồ sơ và ghi danh sách rà soát…",
    "full": "Đang xuất toàn bộ hồ sơ…",
    "report": "Đang tính báo cáo…",
    "import_police": "Đang đọc danh sách công an trả về…",
    "import_children": "Đang đọc và kiểm tra danh sách trẻ em…",
    "commit": "Đang ghi trẻ em vào sổ…",
}
CANCEL_HINT = "Esc hoặc F10 để huỷ."
CANCELLING = "Đang huỷ…"
CANCELLED = "Đã huỷ: không ghi tệp nào, sổ không thay đổi."

# --- results --------------------------------------------------------------------------
PREVIEW_CONFIRM = "Nhấn F2 để ghi {rows} trẻ em vào sổ, Esc để bỏ (chưa ghi gì)."
PREVIEW_NOTHING = "Tệp không có dòng dữ liệu nào: chưa ghi gì vào sổ."
PREVIEW_ONLY_ERRORS = (
    "Không có dòng nào nhập được. Nhấn F2 để ghi các dòng bị từ chối vào tệp lỗi, "
    "Esc để bỏ."
)
PREVIEW_DROPPED = "Đã bỏ bản xem trước: chưa ghi gì vào sổ."
PREVIEW_MORE = "… và {count} dòng khác có vấn đề (xem tệp lỗi sau khi ghi)."
ERRORS_PATH = "Các dòng bị từ chối sẽ được ghi, kèm lý do, vào tệp {path}."
POLICE_MESSAGES_MORE = "… và {count} thông báo khác."
FAILED = "Không làm được: {message}"
UNEXPECTED = "Lỗi không lường trước ({kind}): {message}. Hãy báo người quản trị."
