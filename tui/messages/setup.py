"""Texts of the ``treem init`` walk-through on a terminal (Vietnamese, NFC).

Each step says what to type before the prompt (the password rule included); a wrong
answer is said and asked again. Templates use ``str.format`` fields.
"""

from __future__ import annotations

INTRO = (
    "Tạo sổ theo dõi trẻ em cho một xã, qua 4 bước: xã, thôn/xóm, quản trị viên,\n"
    "tài khoản cán bộ. Sổ sẽ ghi tại {path}.\n"
    "Ctrl+C để dừng bất cứ lúc nào: chưa ghi gì cho đến khi bạn xác nhận ở cuối."
)
STEP_COMMUNE = "\nBước 1/4. Xã"
COMMUNE_HINT = "  Gõ mã xã (5 chữ số) hoặc tên xã, ví dụ 03808 hoặc Mường La."
ASK_COMMUNE = "Mã hoặc tên xã: "
COMMUNE_NONE = "  Không tìm thấy xã nào theo “{text}” trong danh mục 2025. Gõ lại."
COMMUNE_CHOICES = "  Các xã tìm thấy:"
COMMUNE_CHOICE = "  {n:>2}. {code}  {name} ({province})"
ASK_COMMUNE_CHOICE = "Chọn số (Enter để tìm lại): "
COMMUNE_FOUND = "  {name}, {province} (mã {code})."
ASK_COMMUNE_OK = "Đúng xã này? [C/k]: "

STEP_VILLAGES = "\nBước 2/4. Thôn/xóm"
VILLAGES_HINT = (
    "  Gõ tên từng thôn, bản, tổ dân phố, mỗi dòng một tên.\n"
    "  Dòng trống (chỉ Enter) là xong. Có thể thêm, sửa sau ở F7 → 2."
)
ASK_VILLAGE = "Thôn/xóm thứ {n}: "
VILLAGES_NONE = (
    "  Chưa có thôn nào: chưa nhập được hộ cho đến khi thêm thôn ở F7 → 2."
)
ASK_NO_VILLAGES_OK = "Tiếp tục không có thôn? [c/K]: "

STEP_ADMIN = "\nBước 3/4. Quản trị viên (người quản lý sổ, thêm thôn và tài khoản)"
ASK_USERNAME = "Tên đăng nhập: "
ASK_USERNAME_DEFAULT = "Tên đăng nhập [{default}]: "
ASK_FULL_NAME = "Họ và tên: "
ASK_FULL_NAME_DEFAULT = "Họ và tên [{default}]: "
FULL_NAME_EMPTY = "  Cần ghi họ và tên."
USERNAME_REPEATED = "  Tên đăng nhập “{username}” đã dùng ở trên. Chọn tên khác."
PASSWORD_RULE = (
    "  Mật khẩu có ít nhất {length} ký tự. Chữ gõ vào không hiện trên màn hình."
)
ASK_PASSWORD = "Mật khẩu cho {username}: "
ASK_PASSWORD_AGAIN = "Nhập lại mật khẩu: "
PASSWORDS_DIFFER = "  Hai lần nhập không giống nhau. Nhập lại từ đầu."

STEP_ACCOUNTS = "\nBước 4/4. Tài khoản cán bộ (có thể thêm sau ở F7 → 1)"
ASK_MORE_ACCOUNT = "Thêm tài khoản cho một người khác? [c/K]: "
ASK_ANOTHER_ACCOUNT = "Thêm một tài khoản nữa? [c/K]: "
ROLE_CHOICES = "  Vai trò:"
ROLE_CHOICE = "  {n}. {name}"
ASK_ROLE = "Chọn số vai trò: "
CHOOSE_NUMBER = "  Chọn một số từ 1 đến {count}."
COLLABORATOR_NO_VILLAGE = (
    "  Cộng tác viên chỉ làm việc ở thôn được giao, mà sổ chưa có thôn nào. "
    "Chọn vai trò khác."
)
VILLAGE_CHOICES = "  Thôn/xóm của sổ:"
VILLAGE_CHOICE = "  {n:>2}. {name}"
ASK_VILLAGES = "Thôn cộng tác viên phụ trách (số, cách nhau bằng dấu phẩy): "
VILLAGES_PICK_BAD = "  Gõ các số từ 1 đến {count}, ví dụ 1,3."
TEMP_PASSWORD_RULE = (
    "  Mật khẩu tạm có ít nhất {length} ký tự; người dùng đổi khi đăng nhập lần đầu.\n"
    "  Chữ gõ vào không hiện trên màn hình."
)
ASK_TEMP_PASSWORD = "Mật khẩu tạm cho {username}: "

SUMMARY = "\nSẽ tạo sổ:"
SUMMARY_COMMUNE = "  Xã:          {name}, {province} ({code})"
SUMMARY_VILLAGES = "  Thôn/xóm:    {names}"
SUMMARY_NO_VILLAGES = "  Thôn/xóm:    (chưa có)"
SUMMARY_ADMIN = "  Quản trị:    {username} ({name})"
SUMMARY_ACCOUNT = "  Tài khoản:   {username} ({name}, {role}{villages})"
SUMMARY_ACCOUNT_VILLAGES = ": {names}"
SUMMARY_PATH = "  Tệp:         {path}"
ASK_CREATE = "Tạo sổ? [C/k]: "
CANCELLED = "Chưa tạo gì. Chạy lại treem init khi sẵn sàng."
STOPPED = "Đã dừng. Chưa tạo gì."

DONE = (
    "\nĐã tạo sổ theo dõi trẻ em của {commune} ({province}): {villages} thôn/xóm,\n"
    "{accounts} tài khoản. Tệp: {path}"
)
NEXT = (
    "Mở sổ: gõ {command}\n"
    "rồi đăng nhập bằng {admin} và mật khẩu vừa đặt.\n"
    "Nhập hộ: F2. Thêm thôn hoặc tài khoản: F7."
)
OPEN_COMMAND = "treem"
OPEN_COMMAND_DB = "treem --db {path}"

YES_OR_NO = "  Gõ c (có) hoặc k (không), hoặc chỉ Enter."
YES = ("c", "co", "có", "y", "yes")
NO = ("k", "khong", "không", "n", "no")
