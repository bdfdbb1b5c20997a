"""Texts of the app shell and the entry screens: login, home, household entry, key test, help.

Every string a user sees on these screens lives here, in Vietnamese (NFC). Templates use
``str.format`` fields. Binding descriptions are short: the footer has 80 columns.
"""

from __future__ import annotations

from tui.messages.labels import short_label

APP_TITLE = "treem: Sổ theo dõi trẻ em"
SANDBOX_TAG = "THỬ NGHIỆM"

# --- binding descriptions (footer and command palette) ---------------------------
KEY_HELP = "Chỉ dẫn"
KEY_SAVE = "Lưu"
KEY_DITTO = "Như trên"
KEY_NEXT_CHILD = "Trẻ kế"
KEY_COMPOSE = "Gõ dấu"
KEY_BACK = "Quay lại"
KEY_QUIT = "Thoát"
KEY_REOPEN = "Mở lại"
KEY_PALETTE = "Lệnh"
KEY_LOGIN = "Đăng nhập"
KEY_ENTRY = "Nhập hộ"
KEY_SEARCH = "Tìm"
KEY_REVIEW = "Rà soát"
KEY_DUPLICATES = "Trùng"
KEY_ADMIN = "Quản trị"
KEY_KEYTEST = "Thử phím"
KEY_RECHECK = "Phúc tra"
KEY_ADD_VILLAGES = "Thêm thôn/xóm"
KEY_CLOSE = "Đóng"
KEY_LOCK = "Khoá"
KEY_PREV_CHILD = "Trẻ trước"
KEY_RESUME_DRAFT = "Mở nháp"
KEY_DISCARD_DRAFT = "Bỏ nháp"
KEY_TRANSFER = "Excel"
KEY_REPORT = "Báo cáo"

# --- a terminal window smaller than the screens are laid out for --------------------
TOO_SMALL = (
    "Cửa sổ chỉ có {columns} cột, {rows} dòng: quá nhỏ, một phần màn hình bị che. "
    "Cần ít nhất {min_columns} cột, {min_rows} dòng: hãy phóng to cửa sổ "
    "(PuTTY: Change Settings, Window)."
)

# --- Textual's own texts, said in Vietnamese ---------------------------------------
QUIT_PROMPT_TITLE = "Muốn thoát?"
QUIT_PROMPT = "Bấm [b]{key}[/b] để thoát chương trình"
PALETTE_PLACEHOLDER = "Gõ tên lệnh cần tìm…"
PALETTE_NO_MATCHES = "Không có lệnh nào khớp"

# --- composition modes (status bar) ---------------------------------------------
COMPOSE_MODES = {"off": "Gõ: tắt", "telex": "Gõ: Telex", "vni": "Gõ: VNI"}

# --- login -------------------------------------------------------------------------
LOGIN_TITLE = "Đăng nhập"
LOGIN_USER = "Tên đăng nhập"
LOGIN_PASSWORD = "Mật khẩu"
LOGIN_HINT = "Enter để chuyển ô và đăng nhập. Ctrl+Q để thoát."
LOGIN_EMPTY = "Hãy nhập tên đăng nhập và mật khẩu."
PASSWORD_NEW = "Mật khẩu mới"
PASSWORD_REPEAT = "Nhập lại"
PASSWORD_MISMATCH = "Hai lần nhập mật khẩu mới không giống nhau."
PASSWORD_CHANGED = "Đã đổi mật khẩu."
PASSWORD_TITLE = "Đổi mật khẩu"
UNLOCK_TITLE = "Phiên đã khoá"
UNLOCK_HINT = "Phiên làm việc của {user} đã khoá vì lâu không thao tác. Nhập lại mật khẩu."
UNLOCK_HINT_MANUAL = "Phiên làm việc của {user} đã khoá (Ctrl+L). Nhập lại mật khẩu."
UNLOCK_HINT_SANDBOX = (
    "Màn hình đã khoá (Ctrl+L). Bản thử nghiệm không có mật khẩu: nhấn Enter để mở lại."
)

# --- home --------------------------------------------------------------------------
HOME_TITLE = "Trang chính"
HOME_COMMUNE = "Xã/phường: {name} ({code})"
HOME_USER = "Người dùng: {name} ({role})"
HOME_LISTS = "Danh sách cần rà soát"
HOME_ACTIONS = "Thao tác"
HOME_NO_COUNTS = "(chưa có số liệu)"
HOME_NO_LISTS = "(vai trò này không rà soát hồ sơ)"
HOME_COUNTING = "Đang đếm…"
HOME_NO_VILLAGE = "Chưa có thôn/xóm nào: quản trị viên thêm ở F7 → 2 trước khi nhập hộ."
HOME_NO_VILLAGE_ADMIN = "Chưa có thôn/xóm: nhấn V để thêm ngay (sau này: F7 → 2)."
HOME_DRAFTS = "Có {count} bản nháp chưa lưu: F3 mở lại bản mới nhất, F8 bỏ bản đó."
#: The same in a window narrower than 80 columns (one line of 58).
HOME_DRAFTS_SHORT = "{count} bản nháp chưa lưu: F3 mở lại bản mới nhất, F8 bỏ."
#: Home's line for the duplicate candidates (the six review lists use the review screen's
#: titles, tui.messages.review.REVIEW_KINDS).
HOME_DUPLICATES = "Cặp hồ sơ nghi trùng"
#: Home's action line for the spreadsheet screen (the actions column has 30 cells).
HOME_TRANSFER = "Xuất/nhập Excel"
HOME_REPORT = "Báo cáo chỉ tiêu"
#: A screen the person's role may not use (home and the palette do not offer it).
DOOR_CLOSED = "Vai trò {role} không dùng được mục này."
#: Shown instead of the duplicate count when it is not computed on the home screen.
HOME_NOT_COUNTED = "–"

# --- command palette -----------------------------------------------------------------
CMD_ENTRY = ("Nhập hộ mới", "Nhập một hộ theo sổ theo dõi trẻ em")
CMD_SEARCH = ("Tìm trẻ", "Tìm theo tên không dấu, số định danh, số sổ, thôn")
CMD_REVIEW = ("Rà soát: {name}", "Mở danh sách rà soát")
CMD_DUPLICATES = ("Rà soát trùng lặp", "Các cặp hồ sơ nghi trùng")
CMD_REPORT = ("Báo cáo chỉ tiêu kế hoạch",
              "So với chỉ tiêu và kỳ trước, biểu đồ, ghi Excel")
CMD_TRANSFER = ("Xuất/nhập bảng tính Excel", "Danh sách công an, làm sạch, báo cáo, nhập trẻ")
CMD_ADMIN = ("Quản trị", "Người dùng, danh sách thôn, cài đặt xã")
CMD_KEYTEST = ("Thử phím", "Xem terminal gửi phím nào")
CMD_COMPOSE = ("Đổi kiểu gõ dấu", "Tắt / Telex / VNI")
CMD_LOCK = ("Khoá phiên", "Khoá màn hình, nhập lại mật khẩu để tiếp tục")
CMD_QUIT = ("Thoát", "Thoát chương trình")
CMD_HOME = ("Về trang chính", "Quay lại trang chính")

# --- the person's keymap file (tui.keymap) ------------------------------------------------
KEYMAP_PROBLEMS = ("Tệp phím tắt {path}: {problems}. Phím nào sai thì giữ như mặc định "
                   "(xem hướng dẫn, mục «Phím tắt riêng»).")
KEYMAP_UNREADABLE = "không đọc được tệp ({error})"
KEYMAP_TOO_BIG = "tệp quá lớn, không phải tệp phím tắt"
KEYMAP_NOT_UTF8 = "tệp không lưu bằng mã UTF-8"
KEYMAP_SYNTAX = "sai cú pháp ở dòng {line} (mỗi dòng dạng: save = \"f10\"), cả tệp không được dùng"
KEYMAP_UNKNOWN_ID = "không có chức năng «{id}»"
KEYMAP_NOT_TEXT = "phím của «{id}» phải viết trong ngoặc kép, ví dụ \"f10\""
KEYMAP_BAD_KEY = "phím «{key}» của «{id}» không có trên bàn phím"

# --- entry form ----------------------------------------------------------------------
ENTRY_TITLE = "Nhập hộ theo sổ"
ENTRY_EDIT_TITLE = "Sửa hồ sơ trẻ"
HOUSEHOLD = "Hộ"
CHILD_HEADING = "Trẻ {n}"
CHILD_HEADING_EDIT = "Trẻ (sửa hồ sơ, phiên bản {version})"
CHILDREN_DONE = "Đã nhập trong hộ: {names}"
CAREGIVERS = "Cha mẹ / người chăm sóc (nhập một lần cho cả hộ, tối đa {count} người)"
#: The same in a window narrower than 80 columns.
CAREGIVERS_SHORT = "Cha mẹ / người chăm sóc (một lần cho cả hộ, tối đa {count})"
#: Labels of the entry form's own inputs; the record's fields are labelled by
#: ``tui.messages.labels`` (their short form), see :func:`form_label`.
FORM_LABELS = {
    **{f"adult{n}_name": f"Người {n}" for n in range(1, 10)},
    **{f"adult{n}_id": "Số ĐD" for n in range(1, 10)},
    "father": "Cha",
    "mother": "Mẹ",
    "caregiver": "Người CS",
}


def form_label(name: str) -> str:
    """The label of entry-form input ``name``."""
    return FORM_LABELS.get(name) or short_label(name)


ADULT_NONE = "0"
ADULT_NONE_NAME = "Không có / không rõ"
NO_MATCH = "không thấy mã"
HIDDEN_FIELD = "ẩn"
MORE_MATCHES = "(↓ {count} lựa chọn khác)"
DATE_BAD = "Ngày không hợp lệ: gõ 8 chữ số ngày tháng năm, ví dụ 15032016."
SAVE_BLOCKED = "Chưa lưu được: còn {count} lỗi ở các ô có dấu ✗. Sửa rồi nhấn F2."
SAVED_HOUSEHOLD = "Đã lưu hộ sổ {book} với {count} trẻ."
SAVED_CHILD = "Đã lưu hồ sơ trẻ {name}."
SAVED_WITH_WARNINGS = " Có {count} cảnh báo được lưu kèm."
NOTHING_TO_SAVE = "Chưa có trẻ nào để lưu."
CHILD_ADDED = "Đã ghi trẻ {n} vào hộ. Nhập trẻ tiếp theo hoặc F2 để lưu cả hộ."
CHILD_HAS_ERRORS = "Trẻ {n} còn lỗi: sửa trước khi sang trẻ tiếp theo."
CONFLICT_TITLE = "Hồ sơ đã bị người khác sửa"
CONFLICT_MINE = "Bản của bạn"
CONFLICT_THEIRS = "Bản đang lưu"
DRAFT_RESUMED = "Đã mở lại bản nháp lưu lúc {at}."
DRAFT_OFFER = "Có bản nháp chưa lưu ({what}, lúc {at}). F3 mở lại, F8 bỏ bản nháp."
DRAFT_DISCARDED = "Đã bỏ bản nháp."
NO_DRAFT = "Không có bản nháp."
DITTO_NONE = "Chưa có trẻ trước để sao chép."
VALIDATION_UNAVAILABLE = "Chưa kiểm tra được hồ sơ: {error}"

# --- F1 field help ---------------------------------------------------------------------
HELP_TITLE = "Chỉ dẫn: {field}"
HELP_CLOSE = "Esc hoặc F1 để đóng."
HELP_GENERAL = "Ctrl+P: tìm mọi lệnh."
HELP_FIELD_KEYS = "Enter: sang ô tiếp theo. Shift+Tab: về ô trước."
#: Heading of the keys of the screen F1 was pressed on (built from its own bindings).
HELP_KEYS = "Phím dùng được ở màn hình này: {keys}."
FIELD_HELP = {
    "book_number": "Số của sổ theo dõi trẻ em trong gia đình, ghi ở bìa sổ.",
    "village": (
        "Thôn/xóm/bản/tổ dân phố nơi hộ ở. Gõ vài chữ không dấu của tên thôn "
        "(ví dụ 'na' cho Nà Sản) rồi Enter; ↓ để chọn thôn khác trong danh sách."
    ),
    "address": "Số nhà, đường, xóm: phần địa chỉ chi tiết của hộ.",
    "poverty": "0 không, 1 hộ nghèo, 2 hộ cận nghèo (theo danh sách hộ nghèo của xã).",
    "adult_name": (
        "Họ tên cha, mẹ hoặc người chăm sóc trong hộ (tối đa 6 người). Nhập một lần; mỗi "
        "trẻ chỉ cần chọn số thứ tự 1..6 ở ô Cha, Mẹ, Người CS. Hết người: để trống, Enter "
        "sang trẻ 1."
    ),
    "adult_id": "Số định danh cá nhân 12 chữ số (hoặc CMND 9 chữ số) của người này, nếu có.",
    "full_name": (
        "Họ và tên của trẻ như trong giấy khai sinh. Chữ hoa đầu từ được tự sửa. "
        "Không có Unikey thì nhấn F9 để gõ Telex (aa=â, dd=đ, s=sắc, f=huyền...)."
    ),
    "sex": "1 Nam, 2 Nữ. Có thể gõ 'nam' hoặc 'nu'.",
    "birth_date": "Gõ 8 chữ số ngày tháng năm liền nhau: 15032016 hiện 15/03/2016.",
    "ethnicity": (
        "Mã dân tộc 2 chữ số (01 Kinh ...) hoặc vài chữ không dấu của tên: 'hmo' tìm 08 HMông."
    ),
    "personal_id": (
        "Số định danh cá nhân 12 chữ số, cấp khi đăng ký khai sinh. Để trống nếu chưa có: "
        "trẻ sẽ vào danh sách chưa có số định danh để gửi công an xã."
    ),
    "schooling": "Tình trạng học tập: gõ mã (01..10, 99) hoặc vài chữ của tên, ví dụ 'tieu'.",
    "nationality": (
        "Quốc tịch, mặc định VN: Enter không dừng ở ô này, Shift+Tab từ ô Học tập để sửa. "
        "Gõ mã 2 chữ hoặc tên nước không dấu."
    ),
    "father": "Số thứ tự của cha trong danh sách người lớn của hộ (1..6), 0 nếu không có.",
    "mother": "Số thứ tự của mẹ trong danh sách người lớn của hộ (1..6), 0 nếu không có.",
    "caregiver": (
        "Số thứ tự của người chăm sóc chính (1..6), 0 nếu là cha mẹ hoặc không có. Để trống "
        "thì Enter ở ô Mẹ sang trẻ kế; Tab từ ô Mẹ để tới ô này."
    ),
}

# --- key test ------------------------------------------------------------------------
KEYTEST_TITLE = "Thử phím"
KEYTEST_HINT = (
    "Nhấn các phím để xem terminal gửi gì. F1-F12, Ctrl+chữ, Enter, Tab nên hiện đúng tên. "
    "Nhấn Esc hai lần liền để thoát."
)
KEYTEST_ROW = "{key:<16} {chars}"
KEYTEST_EXPECTED = (
    "Phím cần cho treem: F1 F2 F3 F4 F5 F6 F9 F10 F12 Ctrl+S Enter Tab Shift+Tab "
    "(thiếu F12 thì dùng X)"
)
KEYTEST_SEEN = "Đã nhận: {keys}"
KEYTEST_MISSING = "Chưa nhận: {keys}"
