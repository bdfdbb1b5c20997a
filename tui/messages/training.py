"""Texts of the training package (issue 12): scenario files, printed pages, results.

Every string a trainer or a trainee reads about training lives here, in Vietnamese (NFC).
Placeholders in braces are filled with ``str.format``.
"""

from __future__ import annotations

from libchild.messages import FIELD_LABELS as CHILD_LABELS
from tui.formatting import decimal, percent  # numbers are written in one place

__all__ = [
    "ACTION_NAMES",
    "ERROR_KINDS",
    "HOUSEHOLD_FIELD_LABELS",
    "POVERTY_LABELS",
    "RELATION_LABELS",
    "decimal",
    "duration",
    "field_label",
    "percent",
    "scenario_error",
]




# --- scenario files -----------------------------------------------------------------
SCENARIO_ERROR = "Không dùng được tệp kịch bản {source} ({count} lỗi):"
SCENARIO_NOT_FOUND = "Không tìm thấy kịch bản «{name}». Các kịch bản có sẵn: {known}."
FILE_MISSING = "Không tìm thấy tệp {path}."
FILE_UNREADABLE = "Không đọc được tệp {path}: {reason}."
FILE_NOT_UTF8 = "Tệp không phải văn bản UTF-8 (byte thứ {position}); hãy lưu lại với mã UTF-8."
TOML_SYNTAX = (
    "Sai cú pháp TOML ở dòng {line}, cột {column}: thường do thiếu dấu ngoặc vuông, "
    "dấu ngoặc kép hoặc dấu = (chi tiết của bộ đọc: {detail})."
)
TOML_SYNTAX_NO_PLACE = "Sai cú pháp TOML (chi tiết của bộ đọc: {detail})."

# where a problem is: the part of the file
AT_FILE = "tệp"
AT_SCENARIO = "[scenario]"
AT_PAGE = "trang {book}"
AT_PAGE_NUMBER = "trang thứ {number}"
AT_ADULT = "{page}, người lớn {number}"
AT_CHILD = "{page}, trẻ {number}"
AT_CIRCUMSTANCE = "{child}, hoàn cảnh {number}"
AT_SUPPORT = "{child}, trợ giúp {number}"
AT_LESSON = "bài học {id}"
AT_LESSON_NUMBER = "bài học thứ {number}"
PROBLEM = "{where}: {what}"

KEY_MISSING = "thiếu khóa «{key}»"
KEY_UNKNOWN = "khóa «{key}» không có trong mẫu (các khóa dùng được: {known})"
TYPE_WRONG = "«{key}» phải là {expected}"
TYPE_NAMES = {
    "str": "chuỗi trong dấu ngoặc kép",
    "int": "số nguyên",
    "date": "ngày dạng yyyy-mm-dd (không có ngoặc kép)",
    "table": "một bảng",
    "list": "một danh sách",
    "list_str": "danh sách chuỗi",
}
EMPTY_TEXT = "«{key}» không được để trống"
NO_PAGES = "kịch bản phải có ít nhất một trang [[pages]]"
NO_CHILDREN = "trang phải có ít nhất một trẻ [[pages.children]]"
TOO_MANY_ADULTS = "một sổ chỉ ghi tối đa {limit} người lớn (như màn hình nhập), trang có {count}"
SCENARIO_ID_BAD = (
    "mã kịch bản «{value}» chỉ được gồm chữ thường không dấu, chữ số và dấu gạch ngang"
)
LEVEL_BAD = "mức độ phải từ 1 đến 9, không phải {value}"
COMMUNE_UNKNOWN = "mã xã «{value}» không có trong danh mục xã, phường"
PROVINCE_MISMATCH = "xã {commune} thuộc tỉnh {expected}, không phải tỉnh «{value}»"
BOOK_TAKEN = "số sổ «{book}» đã dùng cho một trang khác"
POVERTY_UNKNOWN = "hộ nghèo ghi «{value}» không hiểu được (dùng: {known})"
ADULT_NUMBER_BAD = "«{key}» = {value}: trang chỉ có {count} người lớn (0 là không có)"
ADULT_RELATION_BAD = "«{key}» chỉ tới người lớn {number} nhưng người đó ghi quan hệ «{relation}»"
ADULT_VALUE_BAD = "{message} («{value}»)"
DUPLICATE_TARGET_UNKNOWN = "«duplicate_of» chỉ tới {target}, không có trẻ đó"
DUPLICATE_TARGET_SELF = "«duplicate_of» không được chỉ tới chính trẻ này"
DUPLICATE_TARGET_DUPLICATE = "«duplicate_of» chỉ tới {target}, trẻ đó cũng là lần ghi trùng"
DUPLICATE_WITHOUT_LESSON = (
    "trẻ được ghi trùng với {target} nhưng không có bài học «merge» nào cho lần ghi này"
)
DATE_BAD = "«{key}» = «{value}»: {reason}"
KEY_ISSUE_UNNAMED = (
    "đáp án vẫn có vấn đề «{message}» ({code}) mà không bài học «flag» nào nêu; "
    "sửa trang hoặc thêm bài học"
)
ID_SHARED = "số định danh {number} trùng với {other}"
LESSON_ID_TAKEN = "mã bài học «{id}» đã dùng"
LESSON_CHILD_UNKNOWN = "không có {child} trong kịch bản"
LESSON_ACTION_BAD = "«action» = «{value}» không hợp lệ (dùng: {known})"
LESSON_CODE_UNKNOWN = "mã «{code}» không phải mã vấn đề của libchild"
LESSON_REASON_UNKNOWN = "mã «{code}» không phải lý do trùng của libchild (dùng: {known})"
LESSON_FIELD_UNKNOWN = "trường «{field}» không phải trường của hồ sơ trẻ"
LESSON_FLAG_ERROR = (
    "mã {code} là lỗi chặn lưu, người học không thể nhập nguyên như trang ghi; "
    "bài học «flag» chỉ dùng cho cảnh báo hoặc thông tin"
)
LESSON_ON_DUPLICATE = "bài học «{action}» phải nói về một trẻ của đáp án, không phải lần ghi trùng"
LESSON_FLAG_ABSENT = "đáp án của trẻ không có vấn đề {code}, bài học «flag» không có gì để bắt"
LESSON_AVOID_PRESENT = "đáp án của trẻ vẫn có vấn đề {code}; bài học «avoid» cần đáp án sạch"
LESSON_AVOID_NO_TRAP = (
    "trang ghi không sinh ra vấn đề {code}, và để trống {fields} cũng không: "
    "bài học «avoid» không có bẫy nào"
)
LESSON_MERGE_NOT_DUPLICATE = "bài học «merge» phải nói về một lần ghi trùng («duplicate_of»)"
LESSON_MERGE_NOT_FOUND = (
    "phần mềm không thấy hai lần ghi là trùng với lý do {code} (thấy: {found})"
)
LESSON_EXPECT_MISMATCH = "«expect» = «{expect}» nhưng đáp án của trường {field} là «{value}»"
LESSON_EXPECT_NOT_TEXT = "«expect» chỉ dùng cho trường văn bản, không dùng cho {field}"
NOTHING = "không có"

#: How each lesson action is called for a trainer or trainee.
ACTION_NAMES = {
    "flag": "nhập đúng như trang để phần mềm cảnh báo",
    "avoid": "nhập đúng để không còn lỗi",
    "merge": "chỉ giữ một hồ sơ cho trẻ ghi trùng",
}

#: Household poverty as the register keeps it -> what a page and a result say.
POVERTY_LABELS = {"none": "Không", "poor": "Hộ nghèo", "near_poor": "Hộ cận nghèo"}
#: An adult's relation as the register keeps it -> what a page and a result say.
RELATION_LABELS = {"father": "Cha", "mother": "Mẹ", "guardian": "Người chăm sóc"}


def scenario_error(source: str, problems: tuple[str, ...]) -> str:
    """The whole message of a scenario file that cannot be used, one problem a line."""
    head = SCENARIO_ERROR.format(source=source, count=len(problems))
    return "\n".join([head, *(f"  - {p}" for p in problems)])


# --- results --------------------------------------------------------------------------
#: Household-level fields of the score -> label.
HOUSEHOLD_FIELD_LABELS = {
    "book_number": "Số sổ",
    "village": "Thôn, bản",
    "address": "Địa chỉ",
    "poverty": "Hộ nghèo, cận nghèo",
    "adult_name": "Họ tên người lớn",
    "adult_id": "Số định danh người lớn",
    "adult_relation": "Quan hệ của người lớn",
}


def field_label(field: str) -> str:
    """What a scored field is called: a household's, an adult's or a child's field."""
    if field in HOUSEHOLD_FIELD_LABELS:
        return HOUSEHOLD_FIELD_LABELS[field]
    return CHILD_LABELS.get(field, (field,))[0]


#: Kinds of field error -> label.
ERROR_KINDS = {
    "missing": "bỏ trống",
    "extra": "nhập thừa",
    "diacritics": "sai dấu, chữ hoa hoặc khoảng trắng",
    "wrong": "sai",
}

# --- a trainee's result as text (tui.training.render) --------------------------------
RESULT_TITLE = "Kết quả của {trainee}: kịch bản «{scenario}» (ngày tính tuổi {day})"
RESULT_ACCURACY = "Độ chính xác: {accuracy} ({correct}/{checked} giá trị đúng)"
RESULT_CHILDREN = "Trẻ đã nhập: {found}/{total} trẻ của đáp án; bỏ sót {missed}; hồ sơ thừa {extra}"
RESULT_LESSONS = "Bài học phát hiện được: {caught}/{total}"
RESULT_TYPING = "Thời gian gõ: {time}; {keys} phím và {seconds} giây mỗi trẻ"
RESULT_NO_TYPING = "Chưa có số liệu gõ phím."
RESULT_TO_FIX = "Cần sửa:"
RESULT_NOTHING_TO_FIX = "Không có trường nào cần sửa."
RESULT_FIX_HOUSEHOLD = "  Sổ {book}: {field}: đã nhập «{entered}», đúng là «{expected}» ({kind})"
RESULT_FIX_CHILD = (
    "  Sổ {book}, trẻ {order} ({name}): {field}: đã nhập «{entered}», đúng là «{expected}» "
    "({kind})"
)
RESULT_MISSED = "Chưa nhập (thiếu hồ sơ):"
RESULT_MISSED_CHILD = "  Sổ {book}, trẻ {order}: {name}"
RESULT_MISSED_BOOKS = "Sổ chưa nhập: {books}"
RESULT_EXTRA = "Hồ sơ thừa (xóa hoặc gộp ở màn hình trùng lặp):"
RESULT_EXTRA_CHILD = "  Hồ sơ số {record}: {name} (sổ {book}, trẻ {order})"
RESULT_EXTRA_BOOKS = "Sổ thừa (không có trong kịch bản): {books}"
RESULT_LESSON_HEAD = "Bài học:"
RESULT_LESSON = "  [{mark}] {title} (sổ {book}, trẻ {order}: {name})"
RESULT_LESSON_EXPLAIN = "      {explain}"
RESULT_FIELDS_HEAD = "Độ chính xác theo trường:"
RESULT_FIELD = "  {label:<30} {correct:>3}/{checked:<3} {accuracy:>6}{kinds}"
RESULT_FIELD_KIND = "{label} {count}"
NO_NAME = "(chưa có tên)"
EMPTY_VALUE = "(để trống)"
NO_BOOK = "(không có sổ)"


def duration(seconds: float) -> str:
    """Seconds as Vietnamese text: ``754`` -> ``"12 phút 34 giây"``."""
    whole = round(seconds)
    minutes, rest = divmod(whole, 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours} giờ {minutes} phút"
    if minutes:
        return f"{minutes} phút {rest} giây"
    return f"{rest} giây"



# --- printed pages and answer key (tui.training.print) ------------------------------
BOOK_TITLE = "SỔ THEO DÕI TRẺ EM TRONG GIA ĐÌNH"
BOOK_SUBTITLE = "Tài liệu tập huấn «{scenario}» — dữ liệu giả lập, không phải người thật"
BOOK_PROVINCE = "Tỉnh, thành phố: {name}"
BOOK_COMMUNE = "Xã, phường: {name}"
BOOK_VILLAGE = "Thôn, bản, tổ dân phố: {name}"
BOOK_NUMBER = "Số sổ: {book}"
BOOK_ADDRESS = "Địa chỉ: {address}"
BOOK_POVERTY = "Hộ nghèo, cận nghèo: {poverty}"
BOOK_ADULTS = "I. NGƯỜI LỚN TRONG HỘ (cha, mẹ, người chăm sóc trẻ)"
BOOK_ADULT_COLUMNS = ("STT", CHILD_LABELS["full_name"][0], "Số định danh cá nhân / CMND",
                      "Quan hệ với trẻ")
BOOK_CHILDREN = "II. TRẺ EM DƯỚI 16 TUỔI TRONG HỘ"
BOOK_CHILD_COLUMNS = (
    "STT", *(CHILD_LABELS[f][0] for f in ("full_name", "sex", "birth_date", "personal_id",
                                          "ethnicity", "nationality")),
    "Tình trạng đi học", "Cha", "Mẹ", "Người chăm sóc", "Ghi chú",
)
BOOK_CIRCUMSTANCES = "III. HOÀN CẢNH CỦA TRẺ VÀ TRỢ GIÚP ĐÃ NHẬN"
BOOK_CIRCUMSTANCE_COLUMNS = (
    "STT trẻ", "Họ và tên trẻ", "Hoàn cảnh hoặc hình thức trợ giúp", "Từ ngày / ngày nhận",
    "Đến ngày",
)
BOOK_NONE = "(không có)"
BOOK_NOTE = "Ghi chú: {note}"
BOOK_SIGNATURE = "Người ghi sổ (ký, ghi rõ họ tên)"
BOOK_HEADER = "&L&\"Times New Roman\"&9{scenario}&R&\"Times New Roman\"&9Trang &P/&N"
BOOK_FOOTER = "&C&\"Times New Roman\"&9Tập huấn treem — dữ liệu giả lập, không phải người thật"
SUPPORT_PREFIX = "Hình thức trợ giúp: {what}"

KEY_SHEET_CHILDREN = "Đáp án trẻ em"
KEY_SHEET_HOUSEHOLDS = "Đáp án hộ"
KEY_SHEET_LESSONS = "Bài học"
KEY_TITLE = "ĐÁP ÁN KỊCH BẢN «{scenario}» (ngày tính tuổi {day}) — DÀNH CHO GIẢNG VIÊN"
KEY_BOOK = "Số sổ"
KEY_ORDER = "Trẻ số"
KEY_LESSON_COLUMNS = ("Mã bài học", "Số sổ", "Trẻ số", "Cách bắt", "Mã vấn đề", "Tên bài học",
                      "Giải thích")
KEY_ADULT = "Người lớn {number}"

PDF_NO_SOFFICE = (
    "Không tìm thấy LibreOffice (lệnh soffice) trên máy này nên không tạo được tệp PDF. "
    "Hãy in tệp bảng tính {xlsx}, hoặc cài LibreOffice."
)
PDF_FAILED = "LibreOffice không chuyển được {xlsx} sang PDF: {reason}"
PDF_TIMEOUT = "LibreOffice chuyển {xlsx} sang PDF quá {seconds} giây nên đã dừng."

# --- session results workbook (tui.training.export) ----------------------------------
SESSION_SHEET_RESULTS = "Kết quả"
SESSION_SHEET_FIELDS = "Lỗi theo trường"
SESSION_SHEET_FIXES = "Cần sửa"
SESSION_SHEET_CERTIFICATES = "Chứng nhận"
SESSION_TITLE = "KẾT QUẢ BUỔI TẬP HUẤN NHẬP LIỆU: {name}"
SESSION_SUBTITLE = "Ngày {day}; giảng viên: {trainer}; điểm đạt: độ chính xác từ {mark}"
SESSION_RESULT_COLUMNS = (
    "STT", "Học viên", "Kịch bản", "Độ chính xác", "Giá trị đúng / so sánh", "Trẻ đã nhập",
    "Bỏ sót", "Hồ sơ thừa", "Bài học bắt được", "Trường cần sửa", "Phím mỗi trẻ",
    "Giây mỗi trẻ", "Kết quả",
)
SESSION_PASSED = "Đạt"
SESSION_FAILED = "Chưa đạt"
SESSION_FIELDS_TRAINEE = "Học viên"
SESSION_FIELDS_ROOM = "Cả lớp"
SESSION_FIELDS_COMMON = "Lỗi hay gặp nhất"
SESSION_FIELDS_COMMON_CELL = "{kind} ({count} lần, {trainees} học viên)"
SESSION_FIX_COLUMNS = ("Học viên", "Số sổ", "Trẻ số", "Họ tên trẻ", "Trường", "Đã nhập",
                       "Đúng là", "Loại lỗi")
SESSION_MISSED_FIELD = "Chưa nhập hồ sơ trẻ"
SESSION_EXTRA_FIELD = "Hồ sơ thừa (hồ sơ số {record})"
SESSION_CERTIFICATE = (
    "Chứng nhận học viên {trainee} đã hoàn thành buổi tập huấn nhập liệu «{scenario}» "
    "ngày {day}, độ chính xác {accuracy} (điểm đạt {mark})."
)
SESSION_NO_CERTIFICATE = "Chưa có học viên nào đạt điểm đạt {mark}."
SESSION_MARK_BAD = "Điểm đạt phải từ 0% đến 100% (nhận được: {value})."
SESSION_COUNT = "{found}/{total}"

# --- sessions (tui.services.training) ---------------------------------------------------
SESSION_TRAINEES_BAD = "Số học viên phải từ 1 đến {maximum} (nhận được: {value})."
SESSION_PREFIX_BAD = (
    "Tiền tố tên đăng nhập chỉ gồm chữ cái không dấu và chữ số (nhận được: «{value}»)."
)
SESSION_FOLDER_EXISTS = (
    "Thư mục {folder} đã có: mỗi buổi tập huấn cần một thư mục mới, không ghi đè buổi cũ."
)
SESSION_NOT_FOUND = "Thư mục {folder} không chứa buổi tập huấn nào (thiếu hoặc hỏng phien.json)."
TRAINEE_NAME = "Học viên {number:02d}"
PASSWORD_LINE = "{username}\t{password}\t{register}\n"
SESSION_NAME = "{title} ({folder})"
TRAINEE_UNKNOWN = (
    "Buổi tập huấn ở {folder} không có học viên «{username}»; các học viên: {known}."
)
SEAT_OUTSIDE = (
    "Tệp dữ liệu của học viên «{username}» phải nằm trong thư mục buổi tập huấn {folder}; "
    "phien.json đã bị sửa, không mở."
)
SEAT_NOT_SANDBOX = (
    "Tệp {register} không phải dữ liệu thử nghiệm: buổi tập huấn không bao giờ mở sổ thật "
    "của xã."
)
SEAT_NO_ACCOUNT = "Dữ liệu thử nghiệm {register} không có tài khoản học viên «{username}»."

# --- trainer's dashboard (tui.screens.training_dashboard) --------------------------------
DASHBOARD_APP_TITLE = "treem: theo dõi buổi tập huấn"
DASHBOARD_TITLE = "Theo dõi buổi tập huấn ({folder})"
DASHBOARD_SANDBOX = "DỮ LIỆU TẬP HUẤN (thử nghiệm): không phải sổ thật của xã"
DASHBOARD_COLUMNS = ("Học viên", "Đã nhập", "Chính xác", "Cần sửa", "Phím/trẻ")
DASHBOARD_PROGRESS = "{entered}/{expected} trẻ"
DASHBOARD_ROOM_ERROR = "Lỗi hay gặp ở «{field}»: {kind} ({count} lần, {trainees} học viên)"
DASHBOARD_NO_ERRORS = "Chưa có lỗi nào trong lớp."
DASHBOARD_KEY_BACK = "Thoát"
DASHBOARD_KEY_REFRESH = "Cập nhật"
