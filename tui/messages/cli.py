"""Texts of the ``treem`` command line: help, prompts, results and errors (Vietnamese, NFC).

Templates use ``str.format`` fields. Exit codes are documented in ``EPILOG``.
"""

from __future__ import annotations

from tui.messages import server as _server

# --- exit codes (documented in every --help) ----------------------------------------------
EXIT_OK = 0
EXIT_FINDINGS = 1  # check found errors, audit --verify found tampering
EXIT_USAGE = 2  # wrong option, refused operation, unusable input/output file (missing,
#               corrupt workbook, its folder read-only or its disk full), the [app]
#               extra not installed
EXIT_DATABASE = 3  # the database: missing, corrupt, not ours, locked, its disk full
EXIT_ACCESS = 4  # wrong password, locked account, not allowed
EXIT_AUDIT_KEY = 5  # the audit chain's secret key is missing, unreadable or wrong

EPILOG = (
    "mã thoát:\n"
    "  0    thành công\n"
    "  1    có phát hiện: treem check thấy hồ sơ có lỗi, treem audit --verify thấy\n"
    "       nhật ký hoặc dữ liệu bị sửa, thêm, xoá ngoài phần mềm, hoặc không thấy\n"
    "       mã --since trong nhật ký\n"
    "  2    lệnh hoặc tham số sai (kể cả mã xã không có trong danh mục), thao tác\n"
    "       bị từ chối, tệp đọc/ghi không dùng được (không có, bảng tính hỏng,\n"
    "       thư mục chỉ cho đọc, ổ đĩa nơi ghi đã đầy), hoặc bản cài thiếu phần\n"
    "       ứng dụng (pip install 'treem[app]')\n"
    "  3    không dùng được cơ sở dữ liệu (chưa có, hỏng, không phải của treem,\n"
    "       đang bận, ổ đĩa chứa nó đã đầy)\n"
    "  4    đăng nhập không được hoặc không có quyền\n"
    "  5    thiếu, không đọc được hoặc sai khoá bí mật của nhật ký (tệp .key)\n"
    "  130  người dùng ngắt (Ctrl+C)\n"
    "tệp dữ liệu: --db ĐƯỜNG_DẪN, hoặc biến môi trường TREEM_DB, hoặc mặc định\n"
    "  {default}"
)

# --- argparse chrome ----------------------------------------------------------------------
USAGE_PREFIX = "Cách dùng: "
POSITIONALS_TITLE = "tham số"
OPTIONS_TITLE = "tuỳ chọn"
COMMANDS_TITLE = "lệnh"
HELP_HELP = "in hướng dẫn này rồi thoát"
VERSION_HELP = "in phiên bản rồi thoát"
ARG_ERROR = "Lệnh không hợp lệ: {detail}\nGõ “{prog} --help” để xem hướng dẫn."
ARG_REQUIRED = "thiếu tham số bắt buộc: {names}"
ARG_CHOICE = "giá trị “{value}” không hợp lệ cho {name}; chọn một trong: {choices}"
ARG_UNRECOGNIZED = "không hiểu tham số: {args}"
ARG_EXPECTED_ONE = "tham số {name} cần một giá trị"
#: An input or output file failed (the reason from ``exports.messages.os_reason``).
FILE_FAILED = "Không đọc/ghi được tệp {path}: {reason}."
ARG_INVALID_VALUE = "giá trị không hợp lệ cho {name}: {value}"

# --- descriptions and option help -------------------------------------------------------
DESCRIPTION = (
    "treem: sổ theo dõi trẻ em của xã. Không có lệnh con thì mở ứng dụng trên tệp dữ liệu "
    "đã cấu hình."
)
DB_HELP = "tệp cơ sở dữ liệu (mặc định: biến TREEM_DB hoặc tệp trong thư mục dữ liệu người dùng)"
AS_HELP = "tên đăng nhập của người thực hiện (bắt buộc trên cơ sở dữ liệu thật)"
PASSWORD_FILE_HELP = (
    "đọc mật khẩu từ dòng đầu của tệp này (cho kịch bản); nếu không có thì dùng biến "
    "{env} hoặc hỏi mật khẩu"
)
CHANGE_PASSWORD_FILE_HELP = (
    "khi tài khoản phải đổi mật khẩu (lần đăng nhập đầu), đọc mật khẩu mới từ tệp này "
    "(hoặc biến {env}); nếu không thì hỏi hai lần"
)

INIT_HELP = "tạo cơ sở dữ liệu mới cho một xã và tài khoản quản trị đầu tiên"
INIT_COMMUNE_HELP = "mã xã 5 chữ số theo QĐ 19/2025/QĐ-TTg, ví dụ 03808 (Xã Mường La)"
INIT_ADMIN_HELP = "tên đăng nhập của quản trị viên đầu tiên (mặc định: admin)"
INIT_ADMIN_NAME_HELP = "họ tên của quản trị viên đầu tiên"
INIT_PASSWORD_FILE_HELP = (
    "đọc mật khẩu quản trị từ dòng đầu của tệp (hoặc biến TREEM_ADMIN_PASSWORD); "
    "nếu không thì hỏi hai lần"
)

DEMO_HELP = "mở bản thử nghiệm với dữ liệu giả của một xã thật (không cần mật khẩu)"
DEMO_CHILDREN_HELP = "số trẻ em tạo ra (mặc định {default}, tối đa {maximum})"
DEMO_SEED_HELP = "hạt giống ngẫu nhiên: cùng hạt giống cho cùng dữ liệu (mặc định 1)"
DEMO_COMMUNE_HELP = "mã xã (mặc định 03808, Xã Mường La, Sơn La)"
DEMO_NO_UI_HELP = "chỉ tạo cơ sở dữ liệu rồi thoát, không mở ứng dụng"
DEMO_FRESH_HELP = "xoá bản thử nghiệm cũ và tạo lại"

USERS_HELP = "quản lý tài khoản: add, list, lock, unlock, reset-password"
USERS_ADD_HELP = "thêm tài khoản (người dùng phải đổi mật khẩu khi đăng nhập lần đầu)"
USERS_LIST_HELP = "liệt kê các tài khoản"
USERS_LOCK_HELP = "khoá một tài khoản"
USERS_UNLOCK_HELP = "mở khoá một tài khoản"
USERS_RESET_HELP = "đặt mật khẩu tạm cho một tài khoản (phải đổi khi đăng nhập)"
USERS_LINK_HELP = (
    "gắn tài khoản treem với tài khoản Unix (SSH) của cùng người: đăng nhập SSH bằng tài "
    "khoản Unix đó thì vào thẳng treem, không hỏi mật khẩu lần nữa"
)
USERS_UNLINK_HELP = "bỏ gắn tài khoản treem với tài khoản Unix"
UNIX_HELP = (
    "tài khoản Unix (SSH) của người này, đã có trên máy (adduser --ingroup treem TÊN): "
    "đăng nhập SSH bằng nó thì vào thẳng treem"
)
UNIX_ADD_HELP = (
    "tài khoản Unix (SSH) của người này: đăng nhập SSH bằng nó thì vào thẳng treem; nếu "
    "máy chưa có thì tạo luôn (cần sudo; nhóm của các cán bộ, không mật khẩu, thư mục nhà "
    "riêng)"
)
USERNAME_HELP = "tên đăng nhập (chữ không dấu, số, dấu chấm, gạch dưới)"
ROLE_HELP = "vai trò: {roles}"
FULL_NAME_HELP = "họ tên người dùng"
VILLAGE_HELP = "thôn được phân công (cho cộng tác viên); lặp lại để thêm nhiều thôn"
NEW_PASSWORD_FILE_HELP = (
    "đọc mật khẩu tạm của tài khoản từ dòng đầu của tệp (hoặc biến TREEM_NEW_PASSWORD); "
    "nếu không thì hỏi hai lần"
)

CHECK_HELP = "các danh sách rà soát bước 3: số lượng và hồ sơ"
CHECK_JSON_HELP = "in kết quả dạng JSON"
AUDIT_HELP = "xem nhật ký thao tác, hoặc kiểm tra nhật ký có bị sửa/xoá"
AUDIT_CHILD_HELP = "chỉ các mục về hồ sơ trẻ em có mã số này"
AUDIT_VERIFY_HELP = ("kiểm tra chuỗi băm có khoá của nhật ký và mọi dòng dữ liệu; thoát với mã 1"
                     " nếu có mục hoặc dòng bị sửa, thêm, xoá ngoài phần mềm")
AUDIT_HEAD_HELP = "in mã đầu chuỗi nhật ký (12 ký tự) để ghi vào sổ giấy"
AUDIT_SINCE_HELP = ("cùng --verify: chứng minh nhật ký đến mã đầu chuỗi MÃ (đã ghi trên giấy)"
                    " không bị viết lại")
AUDIT_LIMIT_HELP = "số mục mới nhất hiển thị (mặc định {default})"
BACKUP_HELP = "sao lưu nhất quán trong khi người khác vẫn làm việc"
BACKUP_OUT_HELP = "tệp sao lưu cần tạo (chưa được tồn tại)"
EXPORT_HELP = "xuất danh sách, báo cáo ra tệp bảng tính"
IMPORT_HELP = "nhập danh sách từ tệp bảng tính"
REPORT_HELP = "báo cáo các chỉ tiêu kế hoạch (màn hình, JSON, bảng tính); tổng hợp cho tỉnh"
REST_HELP = "các tham số của lệnh"

# --- common errors ------------------------------------------------------------------------
NO_DATABASE = (
    "Chưa có cơ sở dữ liệu ở {path}.\n"
    "Tạo sổ mới cho xã:      treem init --commune MÃ_XÃ\n"
    "hoặc dùng thử:          treem demo"
)
APP_NOT_INSTALLED = "Thiếu mô-đun {module}: cài phần ứng dụng bằng lệnh pip install 'treem[app]'."
APP_UNAVAILABLE = "Ứng dụng màn hình chưa sẵn sàng trong bản cài đặt này ({detail})."
INTERRUPTED = "Đã dừng theo yêu cầu. Dữ liệu đã lưu không bị ảnh hưởng."
UNEXPECTED = "Lỗi không mong đợi: {detail}. Dữ liệu đã lưu không bị ảnh hưởng."

# --- communes -----------------------------------------------------------------------------
COMMUNE_UNKNOWN = "Không có xã nào mang mã “{code}” trong danh mục đơn vị hành chính 2025."
COMMUNE_SUGGEST = "Có phải một trong các xã sau?"
COMMUNE_SUGGESTION = "  {code}  {name} ({province})"
COMMUNE_HINT = "Mã xã gồm 5 chữ số, ví dụ 03808 là Xã Mường La (Sơn La)."

# --- passwords ----------------------------------------------------------------------------
PROMPT_PASSWORD = "Mật khẩu của {username}: "
PROMPT_NEW_PASSWORD = "Mật khẩu mới cho {username}: "
PROMPT_REPEAT = "Nhập lại mật khẩu: "
PASSWORDS_DIFFER = "Hai lần nhập mật khẩu không giống nhau."
PASSWORD_EMPTY = "Chưa nhập mật khẩu."
PASSWORD_FILE_UNREADABLE = "Không đọc được tệp mật khẩu {path}: {detail}"
NO_TERMINAL = (
    "Không có bàn phím để hỏi mật khẩu. Dùng --password-file TỆP hoặc biến môi trường {env}."
)
MUST_CHANGE_FIRST = (
    "Tài khoản {username} phải đổi mật khẩu trước (lần đăng nhập đầu hoặc vừa được đặt lại)."
)
PASSWORD_CHANGED = "Đã đổi mật khẩu của {username}."
AS_REQUIRED = (
    "Lệnh này cần biết ai thực hiện: thêm --as TÊN_ĐĂNG_NHẬP (tài khoản có quyền {action})."
)
NOT_SANDBOX_NO_LOGIN = "Đây là cơ sở dữ liệu thật: phải đăng nhập bằng --as."

# --- init ---------------------------------------------------------------------------------
USERS_COMMUNE_HELP = ("xã của tài khoản (mã 5 chữ số), khi quản trị viên cấp tỉnh tạo tài "
                      "khoản cho một xã")
INIT_PROVINCE_HELP = ("tài khoản đầu tiên là quản trị viên cấp tỉnh (không thuộc xã nào; tạo "
                      "tài khoản cho các xã), thay cho quản trị viên của xã")
INIT_EXISTS = "Đã có cơ sở dữ liệu ở {path}. Không ghi đè; chọn tệp khác bằng --db."
INIT_DONE = (
    "Đã tạo sổ theo dõi trẻ em của {commune} ({province}) tại {path}.\n"
    "Quản trị viên: {admin}. Lần đăng nhập đầu tiên sẽ phải đổi mật khẩu.\n"
    "Bước tiếp theo: chạy treem, đăng nhập, thêm các thôn/xóm ở F7 → 2,\n"
    "rồi tài khoản cán bộ ở F7 → 1."
)
ADMIN_DEFAULT_NAME = "Quản trị viên"

# --- demo ---------------------------------------------------------------------------------
DEMO_NOT_SANDBOX = (
    "Tệp {path} là sổ thật, không phải bản thử nghiệm: lệnh demo không dùng và không xoá nó."
)
DEMO_REUSED = (
    "Dùng lại bản thử nghiệm có sẵn ở {path} ({children} trẻ em). "
    "Thêm --fresh để tạo lại."
)
DEMO_CREATING = "Đang tạo bản thử nghiệm: {children} trẻ em của {commune} ({province})…"
DEMO_DONE = (
    "Đã tạo bản thử nghiệm tại {path}: {households} hộ, {children} trẻ em, "
    "{problems} hồ sơ cần rà soát, trong {seconds} giây ({size})."
)
DEMO_BAD_COUNT = "Số trẻ em phải từ 0 đến {maximum}: “{value}”."
DEMO_SANDBOX_NOTE = "BẢN THỬ NGHIỆM: dữ liệu giả, không được lập danh sách gửi công an."

# --- users --------------------------------------------------------------------------------
USER_ADDED = "Đã thêm tài khoản {username} ({role}). Người dùng phải đổi mật khẩu lần đầu."
USER_LINKED = (
    "Tài khoản Unix {unix} là tài khoản treem {username}: đăng nhập SSH bằng {unix} vào "
    "thẳng treem (khoá màn hình khi để lâu vẫn hỏi mật khẩu treem)."
)
USER_UNLINKED = "Tài khoản treem {username} không còn gắn với tài khoản Unix nào."
USER_STATE_UNIX = "Unix: {unix}"
USER_LOCKED = "Đã khoá tài khoản {username}."
USER_UNLOCKED = "Đã mở khoá tài khoản {username}."
USER_RESET = "Đã đặt mật khẩu tạm cho {username}; phải đổi khi đăng nhập."
USERS_HEADER = "{username:<20} {full_name:<28} {role:<20} {state}"
USERS_COLUMNS = {
    "username": "Tên đăng nhập",
    "full_name": "Họ tên",
    "role": "Vai trò",
    "state": "Trạng thái",
}
USER_STATE_ACTIVE = "hoạt động"
USER_STATE_DISABLED = "bị khoá"
USER_STATE_LOCKED = "tạm khoá đến {until}"
USER_STATE_MUST_CHANGE = "phải đổi mật khẩu"
USER_NOT_FOUND = "Không có tài khoản “{username}”. Xem danh sách bằng: treem users list"

# --- check --------------------------------------------------------------------------------
CHECK_HEADER = "Rà soát bước 3 của {commune}: {total} trẻ em trong sổ."
CHECK_LIST_TITLE = "{title}: {count}"
CHECK_ROW = "  #{id:<7} {personal_id:<13} {full_name:<30} {birth_date:<10} {village}"
CHECK_ISSUE = "      - {message}"
CHECK_MORE = "  … và {count} hồ sơ khác (dùng --json để có đủ danh sách)."
CHECK_NONE = "Không có hồ sơ nào cần rà soát."
CHECK_ERRORS = "{count} hồ sơ có lỗi phải sửa."
NO_NAME = "(chưa có tên)"
NO_ID = "(chưa có)"

# --- audit --------------------------------------------------------------------------------
AUDIT_ROW = "#{id:<6} {at}  {username:<16} {action:<12} {entity}{record}{change}"
AUDIT_EMPTY = "Nhật ký chưa có mục nào phù hợp."
AUDIT_BROKEN = "Nhật ký hoặc dữ liệu KHÔNG toàn vẹn: {count} vấn đề."
AUDIT_COMMUNE_HELP = ("mã xã (5 chữ số) có nhật ký cần kiểm tra, trong cơ sở dữ liệu nhiều xã; "
                      "quản trị viên cấp tỉnh không ghi thì kiểm tra mọi xã")
AUDIT_COMMUNE_NOT_YOURS = "Tài khoản này không thuộc xã {commune}: chỉ kiểm tra được xã của mình."
AUDIT_COMMUNE_PROBLEM = "Xã {commune}: {problem}"
AUDIT_COMMUNE_BROKEN = "Xã {commune}: nhật ký hoặc dữ liệu KHÔNG toàn vẹn: {count} vấn đề."
AUDIT_COMMUNE_OK = "Xã {commune}: {text}"
AUDIT_HEAD = ("Mã đầu chuỗi nhật ký: {code} (đến mục số {entry_id}). Ghi mã này vào sổ giấy"
              " kèm ngày giờ; sau này kiểm tra bằng: treem audit --verify --since {code}")
AUDIT_SINCE_NEEDS_VERIFY = "Tham số --since chỉ dùng cùng --verify."

# --- backup -------------------------------------------------------------------------------
BACKUP_EXISTS = "Tệp {path} đã có. Không ghi đè; chọn tên khác."
BACKUP_DONE = "Đã sao lưu {children} trẻ em vào {path} ({size}); tệp chỉ chủ sở hữu đọc được."
BACKUP_FAILED = "Sao lưu không thành công: {detail}. Tệp dữ liệu gốc không bị thay đổi."


def size_text(num_bytes: int) -> str:
    """A file size for people: ``"12,3 MB"`` (decimal comma)."""
    from tui.formatting import decimal

    value = float(num_bytes)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            text = decimal(value) if unit != "B" else f"{int(value)}"
            return f"{text} {unit}"
        value /= 1024
    return f"{num_bytes} B"  # pragma: no cover

# --- migrate (moving a register between SQLite and PostgreSQL) -----------------------------
MIGRATE_HELP = (
    "chuyển toàn bộ sổ của một xã sang cơ sở dữ liệu khác (tệp SQLite ↔ PostgreSQL) "
    "và kiểm tra lại"
)
MIGRATE_SOURCE_HELP = "sổ nguồn: tệp .db hoặc địa chỉ postgresql://"
MIGRATE_FROM_HELP = "sổ nguồn (thay cho NGUỒN), thường là cơ sở dữ liệu của tỉnh"
MIGRATE_COMMUNE_HELP = ("chỉ chuyển một xã (mã 5 chữ số) ra khỏi cơ sở dữ liệu nhiều xã, "
                        "sang một tệp mới mở được như sổ của xã")
MIGRATE_ONE_SOURCE = "Cần đúng một sổ nguồn: NGUỒN hoặc --from."
MIGRATE_TO_HELP = (
    "nơi nhận: tệp .db mới hoặc cơ sở dữ liệu PostgreSQL trống (postgresql://...)"
)
MIGRATE_DRY_RUN_HELP = "chỉ cho biết sẽ chuyển những gì, không ghi gì"
MIGRATE_TABLE_ROW = "  {table:<22} {label:<28} {rows:>9} dòng"
MIGRATE_PLAN = "Chạy thử: sổ {source} → {target} ({state}). Không ghi gì."
MIGRATE_STATE_NEW = "nơi nhận chưa có sổ, sẽ được tạo"
MIGRATE_STATE_EMPTY = "nơi nhận trống"
MIGRATE_STATE_SAME = "nơi nhận đã có đúng dữ liệu này, sẽ không thay đổi gì"
MIGRATE_TOTAL = "Tổng: {rows} dòng trong {tables} bảng, {entries} mục nhật ký."
MIGRATE_ALREADY = (
    "Nơi nhận {target} đã có đúng toàn bộ dữ liệu của sổ {source} ({rows} dòng, "
    "từng bảng khớp): không thay đổi gì."
)
MIGRATE_DONE = (
    "Đã chuyển sổ {source} sang {target}: {rows} dòng trong {tables} bảng; số dòng và "
    "nội dung từng bảng khớp, nhật ký {entries} mục toàn vẹn ({seconds} giây)."
)
#: The register's tables as the migrate command names them (other tables: their name).
TABLE_LABELS = {
    "setting": "thông tin xã",
    "village": "thôn, bản",
    "user": "tài khoản",
    "user_village": "thôn của cộng tác viên",
    "household": "sổ hộ gia đình",
    "caregiver": "cha mẹ, người chăm sóc",
    "child": "trẻ em",
    "child_circumstance": "hoàn cảnh",
    "support": "trợ giúp",
    "workflow_event": "lịch sử quy trình",
    "police_batch": "danh sách gửi công an",
    "police_batch_row": "dòng danh sách công an",
    "audit_entry": "nhật ký",
    "audit_seal": "mốc nhật ký",
    "draft": "bản nháp",
    "duplicate_decision": "quyết định trùng lặp",
}

# --- recheck (phúc tra) ---------------------------------------------------------------------
RECHECK_HELP = "phúc tra: rút mẫu ngẫu nhiên, ghi kết quả, thống kê sai lệch theo người nhập"
RECHECK_SAMPLE_HELP = (
    "rút ngẫu nhiên một tỷ lệ hồ sơ do người khác nhập để phúc tra với sổ giấy"
)
RECHECK_PERCENT_HELP = "tỷ lệ phần trăm hồ sơ (mặc định: cài đặt của xã, thường là 5)"
RECHECK_SEED_HELP = "hạt giống ngẫu nhiên: cùng hạt giống cho cùng mẫu"
RECHECK_JSON_HELP = "in kết quả dạng JSON"
RECHECK_DONE_HELP = "ghi kết quả phúc tra một hồ sơ: --ok (khớp) hoặc --discrepancy \"ghi chú\""
RECHECK_CHILD_HELP = "mã số hồ sơ trẻ em"
RECHECK_OK_HELP = "hồ sơ khớp với sổ"
RECHECK_DISCREPANCY_HELP = "có sai lệch: ghi rõ sai lệch tìm thấy"
RECHECK_SET_HELP = (
    "sửa theo sổ giấy: TRƯỜNG=GIÁ_TRỊ (vd. mother_name=\"Quàng Thị Un\"); lặp lại để sửa "
    "nhiều trường; GIÁ_TRỊ trống để xoá"
)
RECHECK_SUMMARY_HELP = "số hồ sơ đã phúc tra và số sai lệch theo người nhập"
TRAINING_HELP = "tập huấn: các kịch bản nhập liệu có đáp án, in trang sổ cho học viên"
TRAINING_LIST_HELP = "liệt kê các kịch bản tập huấn có sẵn, theo mức độ"
TRAINING_JSON_HELP = "in dạng JSON"
TRAINING_PRINT_HELP = (
    "in các trang sổ theo dõi của một kịch bản để học viên nhập như thực tế "
    "(.xlsx, hoặc .pdf khi có LibreOffice)"
)
TRAINING_SCENARIO_HELP = "mã hoặc tên tệp của kịch bản có sẵn, hoặc đường dẫn tệp .toml"
TRAINING_OUT_HELP = "tệp ra: .xlsx hoặc .pdf"
TRAINING_KEY_HELP = "in đáp án và bài học cho người hướng dẫn (chỉ .xlsx) thay cho trang sổ"
TRAINING_START_HELP = (
    "mở một buổi tập huấn: mỗi học viên một cơ sở dữ liệu thử nghiệm riêng và một tài khoản"
)
TRAINING_TRAINEES_HELP = "số học viên (1 đến 60)"
TRAINING_DIR_HELP = "thư mục của buổi tập huấn (start: thư mục mới)"
TRAINING_PREFIX_HELP = "tiền tố tên đăng nhập của học viên (mặc định hocvien: hocvien01...)"
TRAINING_STATUS_HELP = "tiến độ và độ chính xác của từng học viên, lỗi hay gặp của cả lớp"
TRAINING_DASHBOARD_HELP = (
    "màn hình theo dõi cả lớp: tiến độ, độ chính xác, lỗi hay gặp (tự cập nhật; F5 cập nhật ngay)"
)
TRAINING_EXPORT_HELP = "kết quả buổi tập huấn ra tệp .xlsx, kèm dòng chứng nhận học viên đạt"
TRAINING_XLSX_HELP = "tệp ra .xlsx"
TRAINING_PASS_MARK_HELP = "điểm đạt: độ chính xác tối thiểu, phần trăm (mặc định 80)"
TRAINING_TRAINER_HELP = "họ tên giảng viên ghi trên kết quả"
TRAINING_STARTED = "Đã mở buổi tập huấn kịch bản {id} cho {count} học viên trong {folder}."
TRAINING_STARTED_ROW = "  {username}: treem training join {folder} {username}"
TRAINING_JOIN_HELP = (
    "học viên vào dữ liệu thử nghiệm của mình bằng tài khoản của mình (đếm phím để chấm điểm)"
)
TRAINING_TRAINEE_HELP = "tên đăng nhập của học viên (ví dụ hocvien01)"
TRAINING_PASSWORDS_AT = (
    "Mật khẩu của học viên ở tệp {path} (chỉ chủ máy đọc được); phát cho từng người."
)
TRAINING_STATUS_HEADER = "Buổi tập huấn «{title}» ({folder}):"
TRAINING_STATUS_ROW = (
    "  {username}: {entered}/{expected} trẻ, chính xác {accuracy}, {to_fix} chỗ cần sửa, "
    "{keys} phím/trẻ"
)
TRAINING_ROOM_ERROR = "  Lỗi hay gặp ở «{field}»: {kind} ({count} lần, {trainees} học viên)"
TRAINING_EXPORTED = "Đã ghi kết quả của {count} học viên ({passed} đạt) vào {out}."
TRAINING_LIST_ROW = "Mức {level}  {id}: {title} ({pages} trang, {lessons} bài học)"
TRAINING_OUT_KIND = "Tệp ra phải là .xlsx hoặc .pdf, không phải “{out}”."
TRAINING_KEY_XLSX_ONLY = "Đáp án chỉ in ra tệp .xlsx, không phải “{out}”."
TRAINING_WRITE_FAILED = "Không ghi được tệp {out}: {reason}."
TRAINING_PAGES_WRITTEN = "Đã in {pages} trang sổ của kịch bản {id} vào {out}."
TRAINING_KEY_WRITTEN = "Đã in đáp án của kịch bản {id} ({pages} trang) vào {out}."
RECHECK_KEYER_TITLE = "Nhập lại không xem bản gốc ({records} hồ sơ): tỷ lệ trường nhập sai"
RECHECK_KEYER_ROW = "  {name}: {errors}/{checked} trường sai ({rate})"
RECHECK_KEYER_FIELD = "  trường «{field}»: {errors}/{checked} sai ({rate})"
RECHECK_KEYER_UNRESOLVED = "  {count} chỗ khác nhau chưa xác định bên nào đúng."
RECHECK_SET_INVALID = "Sửa phải có dạng TRƯỜNG=GIÁ_TRỊ, không phải “{value}”."
RECHECK_SET_NEEDS_DISCREPANCY = "Chỉ sửa (--set) khi ghi sai lệch (--discrepancy)."
RECHECK_SAMPLE_HEADER = (
    "Mẫu phúc tra {percent}% của {commune}: {count} hồ sơ (trong {total} trẻ em). "
    "Đối chiếu từng hồ sơ với sổ theo dõi rồi ghi: treem recheck done MÃ_SỐ --ok"
)
RECHECK_SAMPLE_EMPTY = (
    "Không có hồ sơ nào để bạn phúc tra: chỉ phúc tra hồ sơ do người khác nhập hoặc sửa, "
    "và chưa phúc tra từ lần sửa cuối."
)
RECHECK_SAMPLE_ROW = (
    "  #{id:<7} {personal_id:<13} {full_name:<30} {birth_date:<10} {village:<20} "
    "người nhập: {entered_by}"
)
RECHECK_DONE_OK = "Đã ghi phúc tra hồ sơ số {child_id}: khớp. Trạng thái: {state}."
RECHECK_DONE_DISCREPANCY = (
    "Đã ghi phúc tra hồ sơ số {child_id}: có sai lệch. Trạng thái: {state}."
)
RECHECK_SUMMARY_HEADER = "{name:<30} {checked:>10} {discrepancies:>10} {rate:>8}"
RECHECK_SUMMARY_COLUMNS = {
    "name": "Người nhập",
    "checked": "Đã phúc tra",
    "discrepancies": "Sai lệch",
    "rate": "Tỷ lệ",
}
RECHECK_SUMMARY_EMPTY = "Chưa phúc tra hồ sơ nào."
RECHECK_UNKNOWN_ENTERER = "(không rõ)"
ARG_ONE_OF = "cần đúng một trong các tham số: {names}"
ARG_EXCLUSIVE = "không dùng {name} cùng với {other}"

# --- treem server (the texts of the command itself are in tui.messages.server) ------------
SERVER_HELP = _server.SERVER_HELP
