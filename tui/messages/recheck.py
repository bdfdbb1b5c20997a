"""Texts of the re-check (phúc tra) screen: blind re-entry and resolution."""

from __future__ import annotations

TITLE = "Phúc tra: nhập lại không xem bản gốc"
LIST_HINT = "Chọn hồ sơ (Enter), lấy sổ theo dõi ra rồi nhập lại từ sổ."
LIST_COLUMNS = ("Mã số", "Số sổ", "Thôn", "Người nhập")
LIST_EMPTY = (
    "Không còn hồ sơ nào để phúc tra. Mẫu chỉ lấy hồ sơ do người khác nhập hoặc sửa lần "
    "cuối và chưa được phúc tra từ lần sửa đó: người nhập không tự phúc tra hồ sơ của mình."
)
ENTRY_HINT = (
    "Hồ sơ #{child_id} (sổ {book}): nhập lại từ sổ giấy. Bản gốc được ẩn cho đến khi "
    "nhập xong (F2 so sánh)."
)
RESOLVE_HINT = (
    "Chỗ khác nhau: chọn dòng rồi bấm 1 (bản gốc đúng), 2 (nhập lại đúng) hoặc 3 (cả hai "
    "sai, nhập giá trị đúng theo sổ). F2 ghi kết quả."
)
RESOLVE_NONE = "Nhập lại khớp bản gốc ở mọi trường. F2 ghi kết quả."
RESOLVE_COLUMNS = ("Trường", "Bản gốc", "Nhập lại", "Bên đúng")
RESOLUTION_NAMES = {
    "original_right": "bản gốc đúng",
    "reentry_right": "nhập lại đúng",
    "both_wrong": "cả hai sai",
}
BOTH_WRONG_CELL = "cả hai sai → {value}"
BOOK_VALUE_LABEL = "Giá trị đúng theo sổ (khi cả hai sai):"
SAVED = "Đã ghi phúc tra hồ sơ #{child_id}: {state}."
NO_BOOK = "không rõ"
KEY_BACK = "Quay lại"
KEY_COMPARE = "So sánh / Ghi"
