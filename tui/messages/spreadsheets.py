"""Texts of ``treem export`` / ``treem import`` and of the spreadsheet glue
(``tui.cli_spreadsheets``, ``tui.services.transfer``), in Vietnamese (NFC).

These belong to the application glue (accounts, batches, the register's states and
sandbox), not to the ``exports`` package, which knows the formats but not the app. The
spreadsheet screen shows the same summaries, so that the command and the screen say the
same thing. Look texts up with :func:`text`.

>>> text("export_done", rows=3, path="ds.xlsx")
'Đã xuất 3 hồ sơ vào tệp ds.xlsx.'
"""

from __future__ import annotations

__all__ = ["MESSAGES", "text"]

MESSAGES: dict[str, str] = {
    "help.export": (
        "Xuất bảng tính: danh sách gửi công an, danh sách rà soát, toàn bộ hồ sơ "
        "hoặc báo cáo thống kê."
    ),
    "help.kind": (
        "loại bảng tính: police (gửi công an), cleaning (rà soát bước 3), "
        "full (toàn bộ hồ sơ), report (báo cáo)"
    ),
    "help.out": "tệp .xlsx sẽ ghi",
    "help.as_of": "ngày tính số liệu (ngày/tháng/năm); mặc định hôm nay",
    "help.sensitive": (
        "kèm các cột dữ liệu nhạy cảm (dân tộc, hoàn cảnh, trợ giúp); "
        "chỉ vai trò được xuất dữ liệu cá nhân"
    ),
    "help.as": "tài khoản thực hiện (bắt buộc với sổ thật)",
    "help.password_file": "tệp chứa mật khẩu của tài khoản",
    "help.import": "Nhập bảng tính: danh sách công an trả về hoặc danh sách trẻ em cũ.",
    "help.import_kind": "police (danh sách công an trả về) hoặc children (danh sách trẻ em)",
    "help.file": "tệp .xlsx cần nhập",
    "help.batch": "mã đợt xác minh (mặc định: đợt ghi trong tệp)",
    "help.mapping": "tệp ánh xạ cột (.json) đã lưu lần trước",
    "help.save_mapping": "lưu cách ánh xạ cột lần này vào tệp .json để dùng lại",
    "help.dry_run": "chỉ kiểm tra và xem trước, không ghi vào sổ",
    "help.yes": "không hỏi lại trước khi ghi vào sổ",
    "help.errors": "tệp ghi các dòng bị từ chối (mặc định: TÊN-loi.xlsx cạnh tệp nhập)",
    "help.legacy": (
        "ô không có phông chữ cho biết bảng mã: auto (tự nhận), tcvn3, vni, "
        "none (không chuyển)"
    ),
    "help.ethnicity_numbering": "xác nhận mã dân tộc dạng số theo bảng năm 1979",
    "help.sheet": "tên trang tính cần đọc",
    "bad_date": "ngày không đúng dạng: {value}",
    "yes": "Có",
    "no": "Chưa",
    "col.state": "Trạng thái hồ sơ",
    "col.verified": "Đã xác minh số định danh",
    "import_from_sandbox": (
        "Tệp này được xuất từ dữ liệu thử nghiệm (sổ thử, tập huấn): trẻ em trong đó là giả, "
        "không nhập vào sổ thật của xã."
    ),
    "police_nothing": "Mọi trẻ em đều đã có số định danh được xác minh: không lập đợt mới.",
    "police_done": "Đã lập đợt xác minh {batch} với {rows} trẻ em và ghi tệp {path}.",
    "batch_note": "Đợt xác minh {batch}",
    "report_done": "Đã ghi báo cáo ({total} trẻ em, tính đến ngày {date}) vào tệp {path}.",
    "export_done": "Đã xuất {rows} hồ sơ vào tệp {path}.",
    "cleaning_done": (
        "Đã ghi danh sách rà soát vào tệp {path}: {no_id} trẻ chưa có số định danh, "
        "{bad_id} trẻ có số định danh sai, {basic_info} trẻ thiếu hoặc sai thông tin, "
        "{aged_out} trẻ từ 16 tuổi trở lên."
    ),
    "child_label": "{name} (hồ sơ số {id})",
    "police_import": (
        "Đợt {batch}: đã cập nhật {stored} số định danh; {verified} số mới, {unchanged} số "
        "đã có từ trước, {blank} dòng để trống, {invalid} số không hợp lệ, {taken} số đã "
        "thuộc trẻ khác, {unmatched} dòng không khớp, {repeated} dòng lặp lại."
    ),
    "police_refused": "Dòng {row}: chưa cập nhật được: {message}",
    "nothing_changed": "Không có gì thay đổi trong sổ.",
    "preview": (
        "Đọc được {rows_in} dòng: {accepted} dòng nhập được ({with_warnings} dòng có cảnh "
        "báo), {rejected} dòng bị từ chối; {repaired_cells} ô đã chuyển từ mã cũ sang Unicode."
    ),
    "preview_row": "  Dòng {row} {name} [{mark}]: {messages}",
    "rejected_mark": "từ chối",
    "warning_mark": "cảnh báo",
    "errors_written": "Đã ghi {rows} dòng bị từ chối, kèm lý do, vào tệp {path}.",
    "dry_run": "Chạy thử (--dry-run): chưa ghi gì vào sổ.",
    "confirm_needed": (
        "Cần xác nhận trước khi ghi vào sổ: chạy lại với --yes, hoặc --dry-run để chỉ "
        "xem trước."
    ),
    "confirm": "Ghi {rows} trẻ em vào sổ? (c/k): ",
    "cancelled": "Đã huỷ: chưa ghi gì vào sổ.",
    "import_done": (
        "Đã nhập {imported} trẻ em; {rejected} dòng bị từ chối; tổng {rows_in} dòng đọc được."
    ),
}


def text(code: str, **values: object) -> str:
    """The Vietnamese text of ``code`` with ``values`` filled in (KeyError if unknown)."""
    template = MESSAGES[code]
    return template.format(**values) if values else template
