"""Messages of the application core: storage, accounts, audit, workflow, drafts.

Every text a user can see from ``tui.store`` lives here, in Vietnamese (NFC), so that
wording is reviewed in one place. Templates use ``str.format`` fields.
"""

from __future__ import annotations

# --- database faults -------------------------------------------------------------
DB_MISSING = "Không tìm thấy tệp dữ liệu {path}. Kiểm tra lại đường dẫn hoặc tạo tệp mới."
DB_CORRUPT = (
    "Tệp dữ liệu {path} bị hỏng hoặc không phải tệp cơ sở dữ liệu. Không ghi gì thêm vào tệp; "
    "hãy khôi phục từ bản sao lưu gần nhất và báo cho quản trị viên."
)
DB_NOT_OURS = (
    "Tệp {path} là một cơ sở dữ liệu SQLite nhưng không phải sổ theo dõi trẻ em của treem. "
    "Tệp không bị thay đổi; hãy chọn đúng tệp dữ liệu."
)
DB_TOO_NEW = (
    "Tệp dữ liệu {path} được tạo bởi phiên bản treem mới hơn (lược đồ {found}, phiên bản này "
    "chỉ đọc được đến {supported}). Hãy cập nhật treem."
)
DB_LOCKED = (
    "Cơ sở dữ liệu đang bận vì người khác đang ghi. Dữ liệu của bạn chưa mất; "
    "hãy thử lưu lại sau ít giây."
)
DB_DISK_FULL = (
    "Ổ đĩa đã đầy nên chưa lưu được. Dữ liệu đã lưu trước đó vẫn an toàn; "
    "hãy giải phóng dung lượng rồi lưu lại."
)
DB_DISK_FULL_READ_ONLY = (
    "Ổ đĩa chứa sổ dữ liệu đã đầy: chỉ đăng nhập, xem, sao lưu và xuất ra ổ đĩa khác được; "
    "chưa lưu được thay đổi nào cho đến khi giải phóng dung lượng. Dữ liệu đã lưu vẫn an toàn."
)
AUDIT_HELD_AT_EXIT = (
    "Ổ đĩa vẫn đầy: {count} mục nhật ký của thao tác chỉ đọc (đăng nhập, xem, xuất) "
    "không ghi được vào sổ."
)
DB_READ_ONLY = "Không có quyền ghi vào tệp dữ liệu {path}. Hãy báo cho quản trị viên."
BACKUP_FAILED = "Sao lưu không thành công: {detail}. Tệp dữ liệu gốc không bị thay đổi."
#: A register on PostgreSQL is backed up by the server's own tools, not by treem.
BACKUP_ON_SERVER = ("cơ sở dữ liệu PostgreSQL của tỉnh được sao lưu trên máy chủ "
                    "(pg_dump, sao chép liên tục), không sao lưu từ phiên làm việc")
DB_IO_ERROR = "Lỗi đọc/ghi đĩa khi truy cập dữ liệu. Dữ liệu đã lưu trước đó vẫn an toàn."

# --- accounts --------------------------------------------------------------------
LOGIN_FAILED = "Tên đăng nhập hoặc mật khẩu không đúng."
ACCOUNT_LOCKED = (
    "Tài khoản tạm khoá do nhập sai mật khẩu nhiều lần. Hãy thử lại sau {minutes} phút "
    "hoặc nhờ quản trị viên mở khoá."
)
LOGIN_DELAYED = (
    "Đã nhập sai nhiều lần với tên này từ máy này. Hãy chờ {seconds} giây rồi thử lại."
)
ACCOUNT_DISABLED = "Tài khoản đã bị khoá bởi quản trị viên."
PASSWORD_CHANGE_REQUIRED = "Đây là lần đăng nhập đầu tiên: hãy đặt mật khẩu mới."
PASSWORD_TOO_SHORT = "Mật khẩu mới phải có ít nhất {length} ký tự."
PASSWORD_SAME = "Mật khẩu mới phải khác mật khẩu cũ."
SESSION_EXPIRED = (
    "Phiên làm việc đã khoá sau {minutes} phút không thao tác. Hãy nhập lại mật khẩu; "
    "bản nháp của bạn được giữ nguyên."
)
PERMISSION_DENIED = "Vai trò {role} không được phép {action}."
USERNAME_TAKEN = "Tên đăng nhập {username} đã có."
# Many communes in one database (issue 13)
PROVINCE_ROLE_ONLY = "Chỉ quản trị viên cấp tỉnh mới tạo, đổi được tài khoản cấp tỉnh."
ACCOUNT_COMMUNE_MISSING = "Hãy chọn xã của tài khoản (mã xã 5 chữ số)."
COMMUNE_NOT_HERE = "Xã {commune} không có trong cơ sở dữ liệu này."
COMMUNE_ALREADY_HERE = "Xã {commune} đã có trong cơ sở dữ liệu này."
INIT_TARGET_EXISTS = "Đã có dữ liệu ở {path}: không ghi đè; chọn tệp mới."
MIGRATE_USERNAMES_TAKEN = ("Các tên đăng nhập sau đã có trong cơ sở dữ liệu của tỉnh: {names}. "
                           "Đổi tên các tài khoản này trong sổ của xã trước khi chuyển.")
COMMUNE_OTHER_PROVINCE = ("Xã {commune} thuộc tỉnh {province}, cơ sở dữ liệu này là của "
                          "tỉnh {here}.")
USERNAME_INVALID = "Tên đăng nhập chỉ gồm chữ không dấu, chữ số, dấu chấm, gạch dưới (3–32 ký tự)."
UNIX_LOGIN_INVALID = (
    "Tên tài khoản Unix không hợp lệ: “{login}”. Tên bắt đầu bằng chữ thường không dấu, "
    "sau đó chỉ có chữ thường không dấu, chữ số, “-”, “_” (tối đa 32 ký tự, không có dấu "
    "chấm), ví dụ cblan."
)
UNIX_LOGIN_MISSING = (
    "Máy này không có tài khoản Unix “{login}”. Tạo trước bằng: adduser --ingroup treem {login}"
)
UNIX_LOGIN_ROOT = "Không được gắn tài khoản root với tài khoản treem."
UNIX_LOGIN_TAKEN = "Tài khoản Unix “{login}” đã gắn với tài khoản treem {username}."
UNIX_LOGIN_OTHER = (
    "Phiên SSH này thuộc tài khoản {username}; không đăng nhập được bằng tài khoản khác."
)
UNKNOWN_ROLE = "Vai trò không hợp lệ: {role}."
SANDBOX_NO_POLICE = ("Bản thử nghiệm không được lập danh sách gửi công an: dữ liệu trong "
                     "bản thử nghiệm là dữ liệu giả.")
SANDBOX_ONLY = "Chỉ cơ sở dữ liệu thử nghiệm mới vào được không cần mật khẩu."
USER_NOT_FOUND = "Không có tài khoản “{username}”."
VILLAGE_NOT_FOUND = "Không có thôn “{village}” trong danh sách thôn của xã."
VILLAGE_NAME_EMPTY = "Cần ghi tên thôn."
VILLAGE_NAME_TAKEN = "Thôn “{name}” đã có trong danh sách."
SETTING_OUT_OF_RANGE = "Giá trị {value} phải là số nguyên từ {low} đến {high}."
CANNOT_LOCK_SELF = "Không thể tự khoá tài khoản đang dùng."
TRAINER_REAL_DB = "Tài khoản tập huấn chỉ dùng được trên cơ sở dữ liệu thử nghiệm."

# --- records -----------------------------------------------------------------------
VALIDATION_FAILED = "Chưa lưu được: hồ sơ còn {count} lỗi cần sửa."
CONFLICT = (
    "Hồ sơ này vừa được {user} lưu lúc {at} (phiên bản {theirs}) trong khi bạn đang sửa "
    "(phiên bản {mine}). Hãy so sánh hai phiên bản rồi lưu lại."
)
DRAFT_STALE = (
    "Bản nháp của biểu mẫu này đã được tiếp tục ở một phiên đăng nhập khác, mới hơn; "
    "những gì gõ ở đây không ghi đè lên bản nháp đó."
)
CHILD_NOT_FOUND = "Không tìm thấy hồ sơ trẻ em số {child_id}."
CIRCUMSTANCE_NOT_FOUND = "Trẻ này không có dòng hoàn cảnh số {row_id} (có thể đã xoá)."
SUPPORT_NOT_FOUND = "Trẻ này không có dòng trợ giúp số {row_id} (có thể đã xoá)."
CONTROL_CHARACTER = ("Ô \"{field}\" chứa ký tự điều khiển không được phép ({code}, vị trí "
                     "{position}). Hãy gõ lại nội dung, không dán ký tự lạ.")
VERSION_REQUIRED = (
    "Chưa lưu hồ sơ trẻ em số {child_id}: thiếu phiên bản của hồ sơ lúc bạn mở ra, nên "
    "không biết có ghi đè thay đổi của người khác hay không. Hãy mở lại hồ sơ rồi lưu."
)
HOUSEHOLD_VERSION_REQUIRED = (
    "Chưa lưu hộ gia đình số {household_id}: thiếu phiên bản của hộ lúc bạn mở ra, nên "
    "không biết có ghi đè thay đổi của người khác hay không. Hãy mở lại rồi lưu."
)
TEXT_TOO_LONG = ("Ô \"{field}\" dài {length} ký tự, quá giới hạn {limit} ký tự. Chưa lưu gì; "
                 "hãy rút gọn nội dung (chỉ ghi đúng thông tin của ô này).")
SOMEONE_ELSE = "người khác"
AGE_TEXT = "{years} tuổi {months} tháng"
HOUSEHOLD_NOT_FOUND = "Không tìm thấy hộ gia đình số {household_id}."
VILLAGE_UNKNOWN = "Thôn/xóm “{village}” chưa có trong danh sách thôn của xã."
VILLAGE_UNKNOWN_HINT = "Chọn thôn trong danh sách hoặc nhờ quản trị viên thêm thôn mới."
VILLAGE_NOT_ASSIGNED = "Bạn chỉ được nhập, sửa hồ sơ của các thôn được phân công."
BOOK_NUMBER_TAKEN = "Số sổ {book_number} đã dùng cho hộ khác."
BOOK_NUMBER_MISSING = "Chưa nhập số sổ theo dõi của hộ."
POVERTY_INVALID = "Tình trạng hộ không hợp lệ: {value}."
CIRCUMSTANCE_END_BEFORE_START = "Ngày kết thúc hoàn cảnh trước ngày bắt đầu."
MERGE_SAME = "Không thể gộp một hồ sơ với chính nó."
MERGED_ALREADY = "Hồ sơ số {child_id} đã được gộp vào hồ sơ khác."
NOT_MERGED = "Hồ sơ số {child_id} không phải hồ sơ đã gộp: không có gì để hoàn tác."
UNDO_MERGE_ID_TAKEN = (
    "Không hoàn tác được: số định danh của hồ sơ số {child_id} nay đã thuộc một hồ sơ khác."
)
DUPLICATE_DECISION_INVALID = "Quyết định phải là “cùng một trẻ” hoặc “hai trẻ khác nhau”."


# --- workflow ----------------------------------------------------------------------
TRANSITION_INVALID = "Không thể chuyển hồ sơ từ trạng thái “{current}” sang “{target}”."

# --- audit -------------------------------------------------------------------------
AUDIT_OK = ("Nhật ký và dữ liệu toàn vẹn: {count} mục nhật ký, không phát hiện sửa, thêm hoặc xoá"
            " ngoài phần mềm.")
AUDIT_EDITED = "Mục nhật ký số {entry_id} đã bị sửa sau khi ghi."
AUDIT_DELETED = "Mất mục nhật ký ngay trước mục số {entry_id} (bị xoá)."
AUDIT_REORDERED = "Mục nhật ký số {entry_id} không nối tiếp mục trước (thứ tự bị đổi)."
AUDIT_TAIL_DELETED = "Mất mục nhật ký cuối cùng (số {entry_id}) so với mốc đã lưu."
AUDIT_KEY_MISSING = (
    "Không tìm thấy khoá bí mật của nhật ký ({path}). Sổ này đã được niêm phong bằng khoá"
    " đó: hãy chép lại tệp khoá từ bản sao lưu rồi mở lại; khi chưa có khoá, không ghi"
    " được gì vào sổ.")
AUDIT_KEY_UNREADABLE = (
    "Không đọc được tệp khoá bí mật của nhật ký ({path}): tệp hỏng hoặc không có quyền"
    " đọc.")
AUDIT_KEY_WRONG = (
    "Tệp khoá {path} không phải khoá đã niêm phong sổ này (khoá của sổ khác hoặc đã bị"
    " thay). Hãy chép lại đúng tệp khoá từ bản sao lưu.")
AUDIT_ROW_CHANGED = "Bảng {table}, mã số {record_id}: dữ liệu bị sửa ngoài phần mềm."
AUDIT_ROW_ADDED = "Bảng {table}, mã số {record_id}: dòng được thêm ngoài phần mềm."
AUDIT_ROW_DELETED = "Bảng {table}, mã số {record_id}: dòng bị xoá ngoài phần mềm."
AUDIT_NOT_KEYED = (
    "Sổ này chưa có khoá niêm phong nhật ký (tạo trước phiên bản có khoá): khoá được tạo"
    " ở lần ghi đầu tiên; từ đó các dòng dữ liệu mới được kiểm tra.")
AUDIT_SEAL_KEY_CHANGED = (
    "Dấu khoá trong mốc nhật ký đã bị xoá hoặc sửa ngoài phần mềm (tệp khoá {path} vẫn còn):"
    " nhật ký có thể đã bị viết lại.")
AUDIT_SINCE_NOT_FOUND = (
    "Mã đầu chuỗi {code} không có trong nhật ký: nhật ký đến thời điểm ghi mã này đã bị"
    " viết lại, hoặc mã ghi sai (kiểm tra lại mã trong sổ giấy).")
AUDIT_SINCE_BAD = "Mã đầu chuỗi {code} không đúng dạng (12 ký tự A–Z, 2–7, ví dụ ABCD-EFGH-2345)."
AUDIT_SINCE_OK = (
    "Mã {code} có trong nhật ký (mục số {entry_id}): không có gì đến mục đó bị viết lại.")
AUDIT_IMMUTABLE = "Nhật ký chỉ được ghi thêm, không được sửa hoặc xoá."

# --- moving a register between databases (treem migrate) --------------------------
MIGRATE_TARGET_NOT_EMPTY = (
    "Nơi nhận {target} đã có dữ liệu khác với sổ {source} (bảng {table}: {found} dòng, "
    "sổ nguồn có {expected}). Không ghi gì: chỉ chuyển vào một cơ sở dữ liệu trống "
    "(hoặc đã chuyển đúng sổ này trước đó)."
)
MIGRATE_SAME_PLACE = "Nơi nhận trùng với nơi gửi ({path}): không có gì để chuyển."
MIGRATE_SOURCE_AUDIT_BROKEN = (
    "Nhật ký của sổ {source} không toàn vẹn ({count} vấn đề, xem treem audit --verify): "
    "không chuyển một sổ có nhật ký đã bị sửa hoặc xoá."
)
MIGRATE_SCHEMA_DIFFERS = (
    "Cấu trúc bảng {table} ở nơi nhận khác sổ nguồn (hai bản treem khác phiên bản?). "
    "Không ghi gì."
)
MIGRATE_MISMATCH = (
    "Bản sao khác sổ nguồn ({detail}): đã huỷ toàn bộ, nơi nhận vẫn trống như trước."
)

# --- issues the register adds to libchild's (code: (message, hint, message_en, hint_en))
STORE_ISSUES = {
    "personal_id.taken": (
        "Số định danh này đã có ở hồ sơ trẻ khác (số {other}).",
        "Một số định danh chỉ thuộc một người: kiểm tra lại số hoặc gộp hai hồ sơ nếu trùng.",
        "This ID number is already on another child's record (no. {other}).",
        "One number belongs to one person: check it, or merge the two records if duplicates.",
    ),
    "village.unknown": (
        VILLAGE_UNKNOWN,
        VILLAGE_UNKNOWN_HINT,
        "Village “{village}” is not in the commune's village list.",
        "Choose a village from the list or ask the administrator to add it.",
    ),
    "village.not_assigned": (
        VILLAGE_NOT_ASSIGNED,
        "Nhờ cán bộ xã hoặc quản trị viên phân công thêm thôn.",
        "You may only enter and edit records of your assigned villages.",
        "Ask the commune officer or administrator to assign the village.",
    ),
    "household.book_number_missing": (
        BOOK_NUMBER_MISSING,
        "Số sổ ghi ở bìa sổ theo dõi trẻ em trong gia đình.",
        "The household book number is missing.",
        "The number is on the cover of the household book.",
    ),
    "circumstance.code_missing": (
        "Một dòng hoàn cảnh chưa có mã hoàn cảnh.",
        "Chọn hoàn cảnh trong danh mục hoặc xoá dòng trống.",
        "A circumstance line has no circumstance code.",
        "Choose a circumstance from the list or delete the empty line.",
    ),
    "circumstance.date_invalid": (
        "Ngày bắt đầu hoặc kết thúc hoàn cảnh không đúng (hoàn cảnh {circumstance}: "
        "“{value}”).",
        "Ghi ngày theo dạng ngày/tháng/năm, ví dụ 05/09/2024.",
        "A circumstance's start or end date is not valid ({circumstance}: “{value}”).",
        "Write the date as day/month/year, for example 05/09/2024.",
    ),
}

# --- police verification lists -------------------------------------------------------
POLICE_STATUS_INVALID = "Kết quả xác minh không hợp lệ: {status}."
POLICE_ROW_NOT_FOUND = "Danh sách {batch_id} không có dòng số {row_no}."
POLICE_ID_REQUIRED = "Hãy nhập số định danh công an đã xác minh (12 chữ số)."

# --- workflow: automatic states, step 5, re-check (phúc tra) ----------------------------------
AUTO_NEEDS_FIXING = "Lưu hồ sơ còn vấn đề của bước 3: {codes}."
AUTO_FIXED = "Đã sửa hết các vấn đề của bước 3."
STEP5_REVIEWED_NOTE = "Rà soát hoàn cảnh ngày {date}."
STEP5_REVIEWED_NOTE_WITH = "Rà soát hoàn cảnh ngày {date}: {note}"
STEP5_DATE_FUTURE = "Ngày rà soát {date} ở sau hôm nay."
STEP5_DATE_INVALID = "Ngày rà soát không đúng: “{value}”."
STEP5_KEY = "Đã rà soát bước 5"
STEP5_REVIEW_MODE = "Đã rà soát bước 5: ngày rà soát (để trống là hôm nay), ghi chú"
STEP5_MARKED = "Đã ghi nhận rà soát bước 5 ngày {date}."
STEP5_NOT_MARKED = "Chưa ghi nhận được rà soát bước 5: {message}"
RECHECK_OWN_RECORD = (
    "Người phúc tra phải khác người đã nhập hoặc sửa hồ sơ: bạn không được phúc tra hồ sơ "
    "số {child_id}."
)
RECHECK_NOTE_REQUIRED = "Hãy ghi rõ sai lệch tìm thấy khi phúc tra."
RECHECK_OK_WITH_CORRECTIONS = "Hồ sơ khớp thì không có gì để sửa: bỏ phần sửa hoặc ghi sai lệch."
RECHECK_PERCENT_INVALID = (
    "Tỷ lệ phúc tra phải lớn hơn 0 và không quá 100 (%), không phải “{value}”."
)
RECHECK_FIELD_UNKNOWN = "Trường “{field}” không có trong hồ sơ trẻ em."
RECHECK_OK_NOTE = "Phúc tra: khớp với sổ."
RECHECK_DISCREPANCY_NOTE = "Phúc tra: sai lệch ({fields}): {note}"
RECHECK_NO_FIELDS = "không sửa trường nào"
RECHECK_ENTRY_INCOMPLETE = "Chưa nhập lại đủ các trường ({fields}): nhập hết rồi mới so sánh."
RECHECK_UNRESOLVED = "Trường “{field}” khác nhau: hãy chọn bên nào đúng theo sổ."
RECHECK_BOOK_VALUE_NEEDED = "Cả hai đều sai ở trường “{field}”: hãy nhập giá trị đúng theo sổ."
RECHECK_BLIND_NOTE = "nhập lại không xem bản gốc, người nhập sai ở: {fields}"
