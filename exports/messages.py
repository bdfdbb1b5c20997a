"""Every user-facing text of the ``exports`` package, in Vietnamese (NFC).

Messages are looked up by a stable code with :func:`text`; sheet titles, column
headers and report labels live here too, so that a translation or a wording change
touches this file only.

>>> text("file.csv", path="tre.xlsx").startswith("Tệp tre.xlsx")
True
"""

from __future__ import annotations

import errno

MESSAGES: dict[str, str] = {
    # files in
    "file.missing": "Không tìm thấy tệp {path}.",
    "file.empty": "Tệp {path} rỗng (0 byte).",
    "file.csv": (
        "Tệp {path} là tệp văn bản/CSV, không phải bảng tính Excel (.xlsx). "
        "Hãy mở tệp bằng Excel hoặc LibreOffice rồi lưu lại dạng .xlsx."
    ),
    "file.html": (
        "Tệp {path} là trang HTML được đặt tên như bảng tính, không phải tệp .xlsx. "
        "Hãy mở tệp bằng Excel hoặc LibreOffice rồi lưu lại dạng .xlsx."
    ),
    "file.xls": (
        "Tệp {path} là bảng tính Excel 97-2003 (.xls), không phải .xlsx. "
        "Hãy mở tệp bằng Excel hoặc LibreOffice rồi lưu lại dạng .xlsx."
    ),
    "file.encrypted": (
        "Tệp {path} được đặt mật khẩu (mã hoá) nên không đọc được. "
        "Hãy mở tệp bằng Excel, bỏ mật khẩu rồi lưu lại."
    ),
    "file.not_xlsx": "Tệp {path} không phải bảng tính Excel (.xlsx).",
    "file.not_xlsx_zip": (
        "Tệp {path} là tệp nén nhưng không phải bảng tính Excel (.xlsx); "
        "có thể là tệp Word hoặc OpenDocument."
    ),
    "file.corrupt": (
        "Tệp {path} bị hỏng hoặc không đầy đủ (có thể bị cắt ngang khi sao chép). "
        "Hãy lấy lại bản gốc của tệp."
    ),
    "file.too_many_rows": (
        "Trang tính {sheet} có {rows} dòng, vượt giới hạn {limit} dòng. "
        "Hãy chia tệp thành nhiều tệp nhỏ hơn."
    ),
    "file.xml_declaration": (
        "Tệp bảng tính có phần {part} chứa khai báo DOCTYPE/ENTITY, điều mà tệp Excel thật "
        "không bao giờ có (có thể là tệp độc hại). Phần mềm không đọc tệp này."
    ),
    "file.xml_nested": (
        "Phần {part} của tệp bảng tính lồng nhau quá {limit} tầng (tệp Excel thật không như "
        "vậy; có thể là tệp độc hại). Phần mềm không đọc tệp này."
    ),
    # bounds of reading (exports.limits)
    "limit.parts": (
        "Tệp {path} chứa {count} phần nén, vượt giới hạn {limit}. Đây không phải bảng tính "
        "bình thường; phần mềm không đọc tệp này."
    ),
    "limit.part_size": (
        "Phần {part} của tệp {path} khi giải nén lớn {size}, vượt giới hạn {limit}. "
        "Hãy chia danh sách thành nhiều tệp nhỏ hơn."
    ),
    "limit.part_declared": (
        "Phần {part} của tệp {path} giải nén ra nhiều hơn kích thước đã khai báo "
        "({declared}): tệp bị hỏng hoặc độc hại. Phần mềm không đọc tệp này."
    ),
    "limit.total_size": (
        "Tệp {path} khi giải nén lớn {size}, vượt giới hạn {limit}. "
        "Hãy chia danh sách thành nhiều tệp nhỏ hơn."
    ),
    "limit.ratio": (
        "Phần {part} của tệp {path} bị nén tới {ratio} lần (giới hạn {limit} lần): đây là "
        "dấu hiệu của tệp \"bom nén\". Phần mềm không đọc tệp này."
    ),
    "limit.columns": (
        "Trang tính {sheet} dùng tới cột {column}, vượt giới hạn {limit} cột. "
        "Hãy xoá các cột thừa ở bên phải bảng rồi lưu lại."
    ),
    "limit.cells": (
        "Trang tính {sheet} trải trên {rows} dòng × {columns} cột, vượt giới hạn {limit} ô. "
        "Hãy xoá các dòng, cột thừa hoặc chia danh sách thành nhiều tệp."
    ),
    "limit.cell_chars": (
        "Trang tính {sheet}, dòng {row} có ô dài hơn {limit} ký tự (giới hạn của Excel). "
        "Hãy kiểm tra lại ô đó."
    ),
    "limit.text_run": (
        "Phần {part} của tệp bảng tính có đoạn chữ hoặc khoảng trắng dài hơn một ô Excel "
        "có thể chứa ({limit} ký tự). Phần mềm không đọc tệp này."
    ),
    "limit.text_chars": (
        "Trang tính {sheet} chứa hơn {limit} ký tự chữ, vượt giới hạn đọc. "
        "Hãy chia danh sách thành nhiều tệp nhỏ hơn."
    ),
    "limit.shared_strings": (
        "Bảng chuỗi dùng chung của tệp có {count} mục, vượt giới hạn {limit}. "
        "Hãy chia danh sách thành nhiều tệp nhỏ hơn."
    ),
    "cell.shared_string_missing": (
        "Tệp {path}, trang tính {sheet}: có ô trỏ tới chuỗi không có trong bảng chuỗi dùng "
        "chung (tệp bị hỏng). Hãy mở tệp bằng Excel hoặc LibreOffice rồi lưu lại."
    ),
    "sheet.not_found": "Không có trang tính {sheet}. Các trang tính có trong tệp: {sheets}.",
    "sheet.none_visible": "Tệp {path} không có trang tính nào đang hiện.",
    "sheet.empty": "Trang tính {sheet} trống, không có dữ liệu.",
    "sheet.no_data": "Trang tính {sheet} chỉ có dòng tiêu đề (dòng {row}), không có dòng dữ liệu.",
    "header.not_found": (
        "Không tìm thấy dòng tiêu đề cột trong {rows} dòng đầu của trang tính {sheet}. "
        "Cần có các cột như \"Họ và tên\", \"Ngày sinh\", \"Giới tính\"."
    ),
    "header.missing_columns": "Thiếu cột bắt buộc: {columns}.",
    "header.split_unknown": (
        "Tiêu đề \"{header}\" được chia thành các cột con {parts} mà phần mềm không hiểu. "
        "Hãy gộp các cột con thành một cột (ví dụ một cột \"Họ và tên\") rồi nhập lại."
    ),
    "header.split_unmatched": (
        "Dòng tiêu đề thứ hai có cột con \"{part}\" không nằm dưới tiêu đề nào. "
        "Hãy đặt một tiêu đề cho cột đó hoặc xoá dòng tiêu đề thứ hai."
    ),
    "notice.two_row_header": (
        "Tiêu đề hai dòng: đã ghép các cột {parts} thành cột \"{header}\"."
    ),
    "header.ethnicity_disagree": (
        "Mã dân tộc \"{value}\" không khớp với tên dân tộc \"{name}\" "
        "(theo cả bảng mã năm 1979 và năm 2008)."
    ),
    "header.duplicate_column": "Nhiều cột cùng ứng với trường \"{field}\": {columns}.",
    "cell.formula_no_value": (
        "Trang tính {sheet} có ô chứa công thức nhưng chưa có giá trị tính sẵn: {cells}. "
        "Hãy mở tệp bằng Excel hoặc LibreOffice, để bảng tính tự tính rồi lưu lại."
    ),
    "cell.bad_reference": "Địa chỉ ô không hợp lệ: {ref}.",
    "more": " và {count} ô khác",
    "notice.hidden_sheet": "Đã bỏ qua trang tính ẩn \"{sheet}\".",
    "notice.sheet_used": "Đã đọc dữ liệu từ trang tính \"{sheet}\".",
    "notice.merged": (
        "Các ô gộp đã được tách và điền giá trị của ô đầu vùng gộp: {ranges}."
    ),
    "notice.legacy_repaired": "Đã chuyển {count} ô từ mã {encoding} sang Unicode.",
    # mapping files
    "mapping.unreadable": "Không đọc được tệp ánh xạ cột {path}: {reason}.",
    "mapping.not_ours": "không phải tệp ánh xạ cột của phần mềm",
    "mapping.bad_field": "Tệp ánh xạ cột {path} ghi trường không có: {field}.",
    # files out
    "output.no_directory": "Thư mục {path} không tồn tại.",
    "output.cannot_write": "Không ghi được tệp {path}: {reason}.",
    "output.disk_full": (
        "Không ghi được tệp {path}: ổ đĩa đã đầy. Hãy giải phóng chỗ trống hoặc chọn "
        "thư mục trên ổ đĩa khác rồi làm lại; không có tệp dở dang nào được để lại."
    ),
    "output.scratch_unsafe": (
        "Thư mục tạm {path} không an toàn (không thuộc người dùng này, là liên kết, hoặc "
        "người khác đọc được). Hãy chọn thư mục tạm khác."
    ),
    # cell problems on import
    "import.ethnicity_numeric": (
        "Mã dân tộc dạng số \"{value}\" không đáng tin (bảng mã năm 2008 khác bảng năm 1979): "
        "hãy ghi tên dân tộc."
    ),
    "import.ethnicity_2008": (
        "Đã đổi {count} mã dân tộc từ bảng mã năm 2008 sang bảng mã năm 1979 theo cột tên "
        "dân tộc."
    ),
    "import.ethnicity_unknown": "Không nhận ra dân tộc \"{value}\".",
    "import.ethnicity_ambiguous": "Tên dân tộc \"{value}\" ứng với nhiều dân tộc: {names}.",
    "import.date_invalid": "Ngày \"{value}\" không đúng dạng (ngày/tháng/năm).",
    "import.code_unknown": "Không nhận ra \"{value}\" trong danh mục {catalog}.",
    "import.duplicate_in_file": "Trùng với dòng {row} trong tệp ({reasons}).",
    "import.duplicate_existing": "Trùng với trẻ đã có trong sổ: {who} ({reasons}).",
    "import.error_sheet": "Dòng bị từ chối",
    "import.error_row": "Dòng gốc",
    "import.error_reasons": "Lý do từ chối",
    "import.error_beside": "Lỗi: {header}",
    # cleaning lists
    "cleaning.no_id": "TRẺ EM CHƯA CÓ SỐ ĐỊNH DANH CÁ NHÂN",
    "cleaning.no_id.sheet": "Chưa có số định danh",
    "cleaning.bad_id": "TRẺ EM CÓ SỐ ĐỊNH DANH SAI ĐỊNH DẠNG",
    "cleaning.bad_id.sheet": "Số định danh sai",
    "cleaning.basic": "TRẺ EM THIẾU HOẶC SAI THÔNG TIN CƠ BẢN",
    "cleaning.basic.sheet": "Thiếu thông tin",
    "cleaning.aged_out": "TRẺ EM TỪ 16 TUỔI TRỞ LÊN (RA KHỎI DANH SÁCH THEO DÕI)",
    "cleaning.aged_out.sheet": "Từ 16 tuổi",
    "cleaning.col.problem": "Vấn đề",
    "cleaning.col.hint": "Cách sửa",
    # report
    "report.sheet": "Báo cáo",
    "report.title": "BÁO CÁO TÌNH HÌNH TRẺ EM TRÊN ĐỊA BÀN",
    "report.subtitle": "{commune} — số liệu tính đến ngày {date}",
    "report.col.item": "Chỉ tiêu",
    "report.col.count": "Số trẻ em",
    "report.col.rate": "Tỷ lệ",
    "report.total": "Tổng số trẻ em dưới 16 tuổi",
    "report.by_sex": "Theo giới tính",
    "report.by_age": "Theo nhóm tuổi",
    "report.age_group": "Từ {low} đến {high} tuổi",
    "report.by_ethnicity": "Theo dân tộc",
    "report.by_area": "Theo thôn/xóm/bản",
    "report.unknown": "Chưa rõ",
    "report.special": "Trẻ em có hoàn cảnh đặc biệt",
    "report.special_total": "Tổng số trẻ em có hoàn cảnh đặc biệt (tỷ lệ trên tổng số trẻ em)",
    "report.supported": (
        "Trẻ em có hoàn cảnh đặc biệt đã được trợ giúp "
        "(tỷ lệ trên số trẻ em có hoàn cảnh đặc biệt)"
    ),
    "report.at_risk": "Trẻ em có nguy cơ rơi vào hoàn cảnh đặc biệt",
    "report.at_risk_total": "Tổng số trẻ em có nguy cơ",
    "report.other": "Trẻ em có hoàn cảnh khác",
    "report.ids": "Số định danh cá nhân",
    "report.no_id": "Trẻ em chưa có số định danh",
    "report.not_verified": "Trẻ em có số định danh chưa được Công an xác minh",
    "report.without_verified": "Tổng số trẻ em chưa có số định danh đã xác minh",
    "report.col.no": "STT",
    "report.col.source": "Nguồn (kế hoạch)",
    "report.col.numerator": "Tử số",
    "report.col.denominator": "Mẫu số",
    "report.col.value": "Kết quả",
    "report.col.unit": "Đơn vị",
    "report.col.target": "Chỉ tiêu kế hoạch",
    "report.col.met": "Đánh giá",
    "report.col.previous": "Kỳ trước",
    "report.col.change": "Thay đổi",
    "report.col.note": "Ghi chú",
    "report.col.children": "Số trẻ em",
    "report.col.village": "Thôn/bản/tổ dân phố",
    "report.col.commune": "Xã/phường",
    "report.col.code": "Mã",
    "report.col.group": "Nhóm",
    "report.col.rank": "Hạng",
    "report.col.indicator": "Chỉ tiêu",
    "report.col.period": "Kỳ",
    "report.col.reason": "Lý do",
    "report.met": "Đạt",
    "report.not_met": "Chưa đạt",
    "report.no_target": "Theo dõi",
    "report.no_value": "—",
    "report.title.commune": "BÁO CÁO KẾT QUẢ THỰC HIỆN CHỈ TIÊU VỀ TRẺ EM",
    "report.title.province": "BÁO CÁO TỔNG HỢP KẾT QUẢ THỰC HIỆN CHỈ TIÊU VỀ TRẺ EM",
    "report.subtitle.period": "{area} — {period} (số liệu tính đến ngày {date})",
    "report.subtitle.plan": "Theo: {plan}",
    "report.subtitle.communes": "Tổng hợp từ báo cáo của {count} xã, phường",
    "report.section.indicators": "I. CÁC CHỈ TIÊU CỦA KẾ HOẠCH",
    "report.section.summary": "II. TÌNH HÌNH TRẺ EM",
    "report.section.not_computed": "III. CHỈ TIÊU SỔ QUẢN LÝ TRẺ EM CHƯA TÍNH ĐƯỢC",
    "report.children_total": "Tổng số trẻ em dưới 16 tuổi",
    "report.with_id": "Trẻ em có số định danh cá nhân",
    "report.id_verified": "Trẻ em có số định danh đã được Công an xác thực",
    "report.deceased": "Trẻ em tử vong trong kỳ",
    "report.no_birth_date": "Hồ sơ chưa có ngày sinh (không tính)",
    "report.group.special": "Trẻ em có hoàn cảnh đặc biệt",
    "report.group.at_risk": "Trẻ em có nguy cơ rơi vào hoàn cảnh đặc biệt",
    "report.group.other": "Trẻ em có hoàn cảnh khác (trong kỳ)",
    "report.sheet.main": "Báo cáo",
    "report.sheet.areas.village": "Theo thôn",
    "report.sheet.areas.commune": "Theo xã",
    "report.sheet.groups": "Nhóm tuổi, hoàn cảnh",
    "report.sheet.trend": "Qua các kỳ",
    "report.sheet.ranking": "Xếp hạng các xã",
    "report.sheet.data": "_so_lieu",
    "report.chart.children_by_area.village": "Số trẻ em theo thôn",
    "report.chart.children_by_area.commune": "Số trẻ em theo xã",
    "report.chart.indicator_by_area": "{indicator}",
    "report.chart.by_age": "Số trẻ em theo nhóm tuổi",
    "report.chart.by_group": "Số trẻ em theo nhóm hoàn cảnh",
    "report.chart.by_code": "Số trẻ em theo từng hoàn cảnh",
    "report.chart.trend": "{indicator}",
    "report.chart.target_series": "Chỉ tiêu kế hoạch",
    "report.ranking.note": (
        "Xếp từ tốt nhất theo hướng của chỉ tiêu; tỷ lệ của tỉnh tính từ tổng tử số và "
        "tổng mẫu số, không lấy trung bình tỷ lệ của các xã."
    ),
    "report.sign.place_date": "{place}, ngày .... tháng .... năm ........",
    "report.sign.maker": "NGƯỜI LẬP BIỂU",
    "report.sign.head.commune": "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH",
    "report.sign.head.province": "THỦ TRƯỞNG ĐƠN VỊ",
    "report.sign.hint": "(Ký, ghi rõ họ tên)",
    "report.sign.hint_seal": "(Ký tên, đóng dấu)",
    "report.footer": "&L{title}&RTrang &P/&N",
    "report.data.note": (
        "Trang tính ẩn: số liệu của báo cáo và mã kiểm tra SHA-256. Không sửa trang này."
    ),
    # province merge
    "merge.no_files": "Chưa chọn tệp báo cáo nào để tổng hợp.",
    "merge.not_report": (
        "Tệp {path} không phải báo cáo xã do phần mềm lập (thiếu trang số liệu ẩn)."
    ),
    "merge.unreadable_data": "Tệp {path}: trang số liệu ẩn bị hỏng, không đọc được.",
    "merge.newer_format": (
        "Tệp {path} do phiên bản phần mềm mới hơn lập (định dạng {version}); "
        "hãy cập nhật phần mềm."
    ),
    "merge.not_commune": "Tệp {path} là báo cáo tổng hợp của tỉnh, không phải báo cáo xã.",
    "merge.edited_data": (
        "Tệp {path} đã bị sửa sau khi lập: số liệu không khớp mã kiểm tra. "
        "Hãy đề nghị xã gửi lại tệp do phần mềm lập."
    ),
    "merge.edited_cell": (
        "Tệp {path} đã bị sửa tay: ô {cell} (chỉ tiêu \"{indicator}\") ghi {found}, "
        "số liệu do phần mềm lập là {expected}. Hãy đề nghị xã gửi lại tệp."
    ),
    "merge.other_plan": (
        "Tệp {path} tính theo kế hoạch \"{found}\", khác với \"{expected}\" của tệp {first}."
    ),
    "merge.other_plan_version": (
        "Tệp {path} dùng bản chỉ tiêu của kế hoạch \"{plan}\" khác với tệp {first} "
        "(tệp chỉ tiêu đã được sửa): các xã phải dùng cùng một tệp chỉ tiêu."
    ),
    "merge.other_period": (
        "Tệp {path} là báo cáo {found}, khác kỳ với tệp {first} ({expected})."
    ),
    "merge.duplicate_commune": (
        "{commune} ({commune_code}) có hai báo cáo: {first} và {path}; "
        "mỗi xã chỉ được tính một lần."
    ),
    "merge.other_province": (
        "Tệp {path}: {commune} thuộc tỉnh mã {found}, không phải tỉnh mã {expected}."
    ),
    "merge.problems": "Không tổng hợp được: {count} lỗi.",
    "merge.done": (
        "Đã tổng hợp báo cáo của {count} xã, phường thành báo cáo {area}, {period}: {path}."
    ),
    # full export
    "full.sheet": "Danh sách trẻ em",
    "full.code_of": "Mã {label}",
    "full.ethnicity_code": "Mã dân tộc (QĐ 121-TCTK 1979)",
    # police list and return
    "police.title": "DANH SÁCH TRẺ EM ĐỀ NGHỊ XÁC MINH SỐ ĐỊNH DANH CÁ NHÂN",
    "police.subtitle": "{commune}, ngày {date} — Đợt {batch}",
    "police.sheet": "Danh sách xác minh",
    "police.col.no": "STT",
    "police.col.current_id": "Số định danh hiện có",
    "police.col.verified": "Số định danh đã xác minh (Công an ghi)",
    "police.col.notes": "Ghi chú",
    "police.col.batch": "Mã đợt",
    "police.col.key": "Mã dòng",
    "police.footer": "&CTrang &P/&N",
    "police.footer_head": "&LMã nhật ký: {head}&CTrang &P/&N",
    "police.instructions": (
        "Đề nghị Công an xã ghi số định danh cá nhân đã xác minh vào cột \"{column}\"; "
        "không sửa, không xoá các cột ẩn."
    ),
    "police.sign_officer": "NGƯỜI LẬP DANH SÁCH",
    "police.sign_police": "CÔNG AN XÃ XÁC NHẬN",
    "police.sign_hint": "(Ký, ghi rõ họ tên)",
    "police.not_our_file": (
        "Tệp {path} không phải danh sách công an trả về: không có các cột \"{batch}\", "
        "\"{key}\" và \"{verified}\" của danh sách xác minh do phần mềm lập. Hãy chọn đúng "
        "tệp danh sách gửi công an mà công an đã ghi số và trả lại (không phải danh sách "
        "trẻ em hay danh sách rà soát)."
    ),
    "police.other_batch": (
        "Tệp {path} thuộc đợt {found}, không phải đợt {expected} đang mở."
    ),
    "police.no_batch": "Tệp {path} không ghi mã đợt xác minh.",
    "police.unknown_batch": "Tệp {path} ghi đợt xác minh {batch}, nhưng sổ không có đợt này.",
    "police.identity_mismatch": (
        "Tệp {path} không khớp với đợt xác minh {batch} đã ghi trong sổ: {count} dòng có "
        "họ tên hoặc ngày sinh khác trẻ của mã dòng ({rows}). Không lưu số nào. Hãy dùng "
        "đúng tệp của đợt này, hoặc lập đợt mới."
    ),
    "police.identity_row": "dòng {row}, mã dòng {key}: \"{name}\" thay vì \"{expected}\"",
    "return.unmatched": "Dòng {row}: mã dòng \"{key}\" không ứng với trẻ nào trong đợt {batch}.",
    "return.invalid": "Dòng {row}: số định danh \"{value}\" không hợp lệ: {reason}",
    "return.taken": "Dòng {row}: số định danh {number} đã thuộc về trẻ khác ({owner}).",
    "return.structure": "Dòng {row}: số định danh {number}: {warning}",
    "return.duplicate_key": "Dòng {row}: mã dòng \"{key}\" đã xuất hiện ở dòng {first}.",
    "return.same_number_twice": (
        "Dòng {row}: số định danh {number} cũng được ghi cho dòng {first}."
    ),
    "return.invalid_length": "cần đúng 12 chữ số.",
    "return.invalid_format": "chỉ được gồm chữ số.",
}

#: Vietnamese labels of the canonical fields (column headers of the exports).
FIELD_LABELS: dict[str, str] = {
    "personal_id": "Số định danh cá nhân",
    "full_name": "Họ và tên",
    "sex": "Giới tính",
    "birth_date": "Ngày sinh",
    "ethnicity": "Dân tộc",
    "nationality": "Quốc tịch",
    "current_address": "Nơi ở hiện tại",
    "address_detail": "Địa chỉ chi tiết",
    "schooling": "Tình trạng học tập",
    "village": "Thôn/xóm/bản",
    "commune_code": "Xã/phường",
    "province_code": "Tỉnh/thành phố",
    "caregiver_id": "Số định danh người chăm sóc",
    "father_name": "Họ tên cha",
    "mother_name": "Họ tên mẹ",
    "caregiver_name": "Họ tên người chăm sóc",
    "circumstances": "Hoàn cảnh",
    "supports": "Trợ giúp đã nhận",
    "death_date": "Ngày mất",
}


#: Why a file could not be written, by the OS error number (never the OS's English text).
OS_REASONS: dict[int, str] = {
    errno.EACCES: "không có quyền ghi vào thư mục này",
    errno.EPERM: "không có quyền ghi vào thư mục này",
    errno.EROFS: "ổ đĩa chỉ cho đọc",
    errno.ENOENT: "thư mục không còn tồn tại",
    errno.ENOTDIR: "đường dẫn không phải thư mục",
    errno.EISDIR: "đã có thư mục trùng tên",
    errno.ENOSPC: "ổ đĩa đã đầy",
    errno.EDQUOT: "đã hết hạn mức dung lượng",
    errno.EIO: "lỗi đọc ghi của ổ đĩa",
    errno.ENAMETOOLONG: "tên tệp quá dài",
}


def os_reason(number: int | None) -> str:
    """The Vietnamese reason for an OS error number.

    >>> os_reason(13), os_reason(None)
    ('không có quyền ghi vào thư mục này', 'lỗi hệ thống')
    """
    if number is None:
        return "lỗi hệ thống"
    return OS_REASONS.get(number, f"lỗi hệ thống (mã {number})")


def text(code: str, **values: object) -> str:
    """Return the Vietnamese text for ``code`` with ``values`` filled in."""
    template = MESSAGES.get(code)
    if template is None:
        raise KeyError(code)
    return template.format(**values) if values else template
