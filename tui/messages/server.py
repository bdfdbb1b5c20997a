"""Texts of ``treem server`` (setup of an SSH server, the resident server): Vietnamese, NFC.

Templates use ``str.format`` fields.
"""

from __future__ import annotations

SERVER_HELP = "máy chủ SSH cho cán bộ: cài đặt (setup) và chạy tiến trình thường trú (run)"
SETUP_HELP = ("cài treem lên máy chủ SSH: nhóm, thư mục dữ liệu, môi trường Python, "
              "tệp dữ liệu, cấu hình sshd (chạy với quyền root)")
RUN_HELP = ("chạy tiến trình thường trú: nạp sẵn ứng dụng một lần, mở cho mỗi lần đăng "
            "nhập SSH một phiên riêng (chạy với quyền root, thường do systemd khởi động)")

OPT_PREFIX = "thư mục cài đặt (môi trường Python riêng của treem), mặc định {default}"
OPT_DATA = "thư mục chứa tệp dữ liệu, mặc định {default}"
OPT_GROUP = "nhóm Unix của các cán bộ được dùng treem, mặc định {default}"
OPT_COMMUNE = "mã xã/phường của tệp dữ liệu mới (bắt buộc nếu chưa có tệp dữ liệu)"
OPT_DEMO = "tạo tệp dữ liệu thử nghiệm (dữ liệu giả, để tập huấn) thay cho tệp thật"
OPT_FROM = ("cài treem từ thư mục mã nguồn hoặc tệp .whl này (mặc định: thư mục mã nguồn "
            "đang chạy lệnh); không bao giờ tải gói tên treem từ mạng")
OPT_PYTHON = "Python của hệ thống dùng để tạo môi trường, mặc định {default}"
OPT_SSHD_DIR = "thư mục cấu hình bổ sung của sshd, mặc định {default}"
OPT_SSHD_CONFIG = "tệp cấu hình chính của sshd (để kiểm tra bằng sshd -t), mặc định {default}"
OPT_SOCKET = "ổ cắm (unix socket) của tiến trình thường trú, mặc định {default}"
OPT_MODE = ("resident: một tiến trình thường trú mở phiên cho mỗi lần đăng nhập (nhẹ, "
            "nhanh, mặc định); process: mỗi lần đăng nhập chạy một tiến trình treem riêng")
OPT_UNIT_DIR = "thư mục chứa dịch vụ systemd, mặc định {default}"
OPT_SSHD_PID = "tệp ghi số tiến trình của sshd (để nạp lại cấu hình), mặc định {default}"
OPT_PIP_ARG = "tham số thêm cho pip (lặp lại được), ví dụ --pip-arg=--no-index"
OPT_DB = "tệp dữ liệu mà các phiên mở"

NOT_ROOT = "Lệnh này cần quyền root (sudo treem server setup ...)."
NO_SOURCE = ("Không tìm thấy mã nguồn treem để cài. Dùng --from THƯ_MỤC_MÃ_NGUỒN hoặc "
             "--from TỆP.whl (không cài gói “treem” từ PyPI: đó là một dự án khác trùng tên).")
NO_VENV = ("Python của hệ thống không tạo được môi trường ảo: {detail}\n"
           "Cài gói python3-venv rồi chạy lại: apt-get install python3-venv")
STEP_FAILED = "Bước “{step}” không thành công: {detail}"
NEED_COMMUNE = "Chưa có tệp dữ liệu {path}: cho biết mã xã bằng --commune MÃ_XÃ (hoặc --demo)."
SSHD_INVALID = ("sshd -t từ chối cấu hình mới, đã trả lại cấu hình cũ; không có gì thay đổi "
                "trong sshd:\n{detail}")
NO_GROUP = "Không có nhóm {group}."
BAD_PEER = "Từ chối kết nối: {reason}"

DONE_TITLE = "Đã cài treem cho máy chủ SSH:"
STEP_DONE = "  ✓ {text}"
STEP_KEPT = "  = {text} (đã có, giữ nguyên)"
STEP_TODO = "  ! {text}"

S_GROUP = "nhóm {group}"
S_VENV = "môi trường Python {prefix} (từ {python})"
S_INSTALL = "cài treem từ {source}"
S_DATA = "thư mục dữ liệu {path} (root:{group}, 2770)"
S_DB = "tệp dữ liệu {path} (root:{group}, 0660)"
S_CONNECTOR = "lệnh nối phiên {path}"
S_UNIT = "dịch vụ systemd {path}"
S_UNIT_STARTED = "dịch vụ treem-server đang chạy"
S_UNIT_MANUAL = ("không có systemd: khởi động tiến trình thường trú bằng lệnh\n"
                 "      {command}\n"
                 "    (chưa chạy thì mỗi lần đăng nhập vẫn mở treem, theo cách một tiến trình"
                 " mỗi phiên)")
S_SSHD = "cấu hình sshd {path} (đã kiểm tra bằng sshd -t)"
S_SSHD_RELOADED = "sshd đã nạp lại cấu hình"
S_SSHD_MANUAL = "nạp lại sshd để áp dụng: systemctl reload ssh"

NEXT_TITLE = "Việc còn lại của quản trị viên:"
NEXT_USERS = (
    "  • Mỗi cán bộ một tài khoản Unix và một tài khoản treem, gắn với nhau (không dùng "
    "chung tài khoản;\n    tên Unix không có dấu chấm, ví dụ cblan). Một lệnh tạo cả hai "
    "(tài khoản Unix trong nhóm {group}):\n    sudo {treem} users add cb.lan --unix cblan "
    "--role can-bo --name \"Họ tên\" --db {db} --as admin\n"
    "    (tài khoản Unix đã có thì chỉ gắn; muốn tự tạo trước: adduser --ingroup {group} "
    "cblan)\n"
    "  • Chép khoá SSH công khai của cán bộ vào ~cblan/.ssh/authorized_keys.\n"
    "  • Đăng nhập thử: ssh cblan@máy-chủ  → lần đầu đổi mật khẩu treem, sau đó vào thẳng "
    "trang chính.\n"
    "  • Hướng dẫn PuTTY cho máy của cán bộ: docs/ssh.md, mục 2."
)

# --- the officer's Unix account (treem users add --unix) ---------------------------------
UNIX_NO_GROUP = (
    "Thư mục dữ liệu {folder} chưa thuộc nhóm của các cán bộ: chạy “sudo treem server "
    "setup” trước, rồi thêm tài khoản."
)
UNIX_NEED_ROOT = (
    "Máy này chưa có tài khoản Unix “{login}”; chỉ quản trị viên (root) tạo được. "
    "Chạy lại lệnh với sudo:\n  {again}\nhoặc tạo tài khoản trước bằng:\n  {command}\n"
    "rồi chạy lại lệnh không cần sudo."
)
UNIX_CREATE_FAILED = "Không tạo được tài khoản Unix “{login}”: {detail}"
UNIX_ACCOUNT_CREATED = (
    "Đã tạo tài khoản Unix {login} (nhóm {group}, không có mật khẩu, thư mục nhà riêng "
    "{home}). Chép khoá SSH công khai của cán bộ vào {home}/.ssh/authorized_keys, hoặc đặt "
    "mật khẩu SSH: sudo passwd {login}"
)
UNIX_ACCOUNT_KEPT = (
    "Tài khoản Unix {login} vẫn còn trên máy (treem không xoá tài khoản Unix). Chặn đăng "
    "nhập SSH: sudo usermod --expiredate 1 {login}; xoá hẳn: sudo userdel --remove {login}"
)
