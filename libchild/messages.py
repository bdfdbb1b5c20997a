"""Every issue code of libchild: severity, field, Vietnamese and English text, legal source.

This is the one place where the library's user-facing messages live. Codes are stable
and dotted (``field.problem`` or ``rule.name``); other projects store and filter on
them, so a code is never renamed or reused for another meaning.

>>> MESSAGES["personal_id.missing"].severity
'warning'
>>> MESSAGES["birth_date.future"].message
'Ngày sinh ở tương lai.'
>>> all(m.severity in SEVERITIES for m in MESSAGES.values())
True
"""

from __future__ import annotations

from typing import NamedTuple

from libchild.text.limits import NAME_MAX_CHARS, TEXT_MAX_CHARS

__all__ = [
    "ARGPARSE",
    "CLI",
    "DATE_ERRORS",
    "DUPLICATE_REASONS",
    "FIELD_LABELS",
    "LANGUAGES",
    "LEGACY_FONTS",
    "MESSAGES",
    "NAME_FIELDS",
    "RECORD_LABEL",
    "SEVERITIES",
    "SPECIFIC_HINTS",
    "TEXT_FIELD_LIMITS",
    "Message",
    "date_error",
    "duplicate_reason_label",
]

SEVERITIES = ("error", "warning", "info")
#: Languages of the texts: Vietnamese first (what users see), English second.
LANGUAGES = ("vi", "en")


class Message(NamedTuple):
    """The fixed description of one issue code."""

    severity: str
    field: str | None
    message: str
    hint: str
    message_en: str
    hint_en: str
    source: str


# Legal and documentary sources, cited in docs/rules.md.
_STEP3 = "Văn bản 2513/LĐTBXH-TTTT (2022), bước 3; QĐ 3655/QĐ-BYT"
_ID_LAW = "Luật Căn cước 2023, Điều 12; NĐ 137/2015/NĐ-CP"
_ID_STRUCT = "TT 07/2016/TT-BCA, Phụ lục 1 (giữ nguyên theo TT 59/2021/TT-BCA)"
_ADMIN = "QĐ 19/2025/QĐ-TTg (danh mục đơn vị hành chính từ 01/7/2025)"
_ETHNIC = "QĐ 121-TCTK/PPCĐ (1979)"
_AGE = "Luật Trẻ em 2016, Điều 1"
_ART10 = "Luật Trẻ em 2016, Điều 10 khoản 1"
_ASSUMED = "DOMAIN.md (giả định, chưa có danh mục chính thức)"
_CONSISTENCY = "Kiểm tra tính nhất quán của dữ liệu (libchild; không dựa trên văn bản riêng)"

_E, _W, _I = "error", "warning", "info"

MESSAGES: dict[str, Message] = {
    "record.invalid": Message(
        _E, None,
        "Không đọc được hồ sơ: dữ liệu không phải là một hồ sơ trẻ em.",
        "Kiểm tra lại tệp hoặc dữ liệu đưa vào: mỗi hồ sơ phải có các cột/trường như họ tên, "
        "ngày sinh, giới tính.",
        "The record cannot be read: it is not a child record.",
        "Check the file or input: each record needs fields such as full name, birth date, sex.",
        _CONSISTENCY,
    ),
    # --- personal ID number -------------------------------------------------------------
    "personal_id.missing": Message(
        _W, "personal_id",
        "Trẻ chưa có số định danh cá nhân.",
        "Đưa trẻ vào danh sách gửi công an xã đối chiếu để bổ sung số định danh.",
        "The child has no personal ID number.",
        "Put the child on the list sent to the commune police to obtain the number.",
        _STEP3,
    ),
    "personal_id.format": Message(
        _E, "personal_id",
        "Số định danh cá nhân có ký tự không phải chữ số.",
        "Số định danh chỉ gồm 12 chữ số (0–9); xóa chữ cái và ký hiệu, hoặc để trống nếu chưa có.",
        "The personal ID number contains characters other than digits.",
        "The number is 12 digits (0-9); remove letters and symbols, or leave it empty.",
        _ID_LAW,
    ),
    "personal_id.length": Message(
        _E, "personal_id",
        "Số định danh cá nhân không đủ hoặc thừa chữ số (phải đúng 12 chữ số).",
        "Đếm lại từng chữ số theo giấy khai sinh hoặc thẻ căn cước; số CMND cũ 9 chữ số "
        "không dùng cho trẻ em.",
        "The personal ID number does not have exactly 12 digits.",
        "Re-read it from the birth certificate or ID card; old 9-digit ID card numbers "
        "are not used for children.",
        _ID_LAW,
    ),
    "personal_id.unknown_prefix": Message(
        _W, "personal_id",
        "Ba chữ số đầu của số định danh không phải mã tỉnh nơi đăng ký khai sinh đã biết.",
        "Đối chiếu lại với giấy khai sinh; nếu số đúng thì giữ nguyên.",
        "The first three digits are not a known province of birth registration.",
        "Check against the birth certificate; keep the number if it is right.",
        _ID_STRUCT,
    ),
    "personal_id.sex_mismatch": Message(
        _W, "personal_id",
        "Chữ số thứ 4 của số định danh không khớp với giới tính đã ghi.",
        "Kiểm tra lại giới tính và số định danh; chữ số thứ 4 chẵn là nam, lẻ là nữ.",
        "The 4th digit of the ID number disagrees with the recorded sex.",
        "Check sex and ID number; an even 4th digit is male, an odd one female.",
        _ID_STRUCT,
    ),
    "personal_id.century_mismatch": Message(
        _W, "personal_id",
        "Chữ số thứ 4 của số định danh không khớp với thế kỷ của năm sinh.",
        "Trẻ sinh từ năm 2000 đến 2099 có chữ số thứ 4 là 2 (nam) hoặc 3 (nữ); kiểm tra lại "
        "năm sinh và số định danh.",
        "The 4th digit of the ID number disagrees with the century of birth.",
        "For a child born 2000-2099 the 4th digit is 2 (male) or 3 (female); check both.",
        _ID_STRUCT,
    ),
    "personal_id.year_mismatch": Message(
        _W, "personal_id",
        "Chữ số thứ 5 và 6 của số định danh không khớp với năm sinh.",
        "Hai chữ số này là hai số cuối của năm sinh; kiểm tra lại năm sinh và số định danh.",
        "Digits 5-6 of the ID number disagree with the birth year.",
        "They are the last two digits of the birth year; check both.",
        _ID_STRUCT,
    ),
    "personal_id.same_as_caregiver": Message(
        _E, "personal_id",
        "Số định danh của trẻ trùng với số định danh của người chăm sóc.",
        "Mỗi người có một số riêng: nhập lại số của trẻ hoặc của người chăm sóc cho đúng.",
        "The child's ID number is the same as the caregiver's.",
        "Each person has their own number: correct the child's or the caregiver's number.",
        _ID_LAW,
    ),
    "personal_id.duplicate": Message(
        _E, "personal_id",
        "Số định danh cá nhân trùng với số của một trẻ khác.",
        "Mỗi trẻ có một số riêng: đối chiếu hai hồ sơ; nếu là một trẻ bị nhập hai lần thì "
        "gộp lại, nếu không thì sửa số cho đúng.",
        "The personal ID number is the same as another child's.",
        "Each child has their own number: compare the two records; merge them if the child "
        "was entered twice, otherwise correct the number.",
        _ID_LAW + "; DOMAIN.md §4",
    ),
    "caregiver_id.format": Message(
        _E, "caregiver_id",
        "Số định danh của người chăm sóc có ký tự không phải chữ số.",
        "Nhập 12 chữ số của số định danh (hoặc 9 chữ số của CMND cũ), không có chữ cái.",
        "The caregiver's ID number contains characters other than digits.",
        "Enter the 12-digit ID number (or the old 9-digit ID card number), digits only.",
        _ID_LAW,
    ),
    "caregiver_id.length": Message(
        _E, "caregiver_id",
        "Số định danh của người chăm sóc phải có 12 chữ số (hoặc 9 chữ số nếu là CMND cũ).",
        "Đếm lại từng chữ số theo thẻ căn cước hoặc CMND của người chăm sóc.",
        "The caregiver's ID number must have 12 digits (or 9 for an old ID card).",
        "Re-read each digit from the caregiver's ID card.",
        _ID_LAW,
    ),
    # --- sex, birth date, age -----------------------------------------------------------
    "sex.missing": Message(
        _E, "sex",
        "Chưa ghi giới tính.",
        "Chọn Nam hoặc Nữ theo sổ theo dõi trẻ em.",
        "Sex is missing.",
        "Choose male (Nam) or female (Nữ) as in the household book.",
        _STEP3,
    ),
    "sex.unknown": Message(
        _E, "sex",
        "Giới tính không hợp lệ.",
        "Ghi Nam (mã 1) hoặc Nữ (mã 2).",
        "Sex is not a recognised value.",
        "Use Nam (code 1) or Nữ (code 2).",
        _STEP3 + "; mã giới tính: " + _ASSUMED,
    ),
    "birth_date.missing": Message(
        _E, "birth_date",
        "Chưa ghi ngày sinh.",
        "Nhập ngày sinh theo giấy khai sinh, dạng ngày/tháng/năm (ví dụ 05/09/2018).",
        "The date of birth is missing.",
        "Enter it from the birth certificate as day/month/year (e.g. 05/09/2018).",
        _STEP3,
    ),
    "birth_date.invalid": Message(
        _E, "birth_date",
        "Ngày sinh không đọc được hoặc không có thật.",
        "Nhập dạng ngày/tháng/năm (ví dụ 05/09/2018); kiểm tra ngày có trong tháng đó.",
        "The date of birth cannot be read or does not exist.",
        "Use day/month/year (e.g. 05/09/2018); check that the day exists in that month.",
        _STEP3,
    ),
    "birth_date.future": Message(
        _E, "birth_date",
        "Ngày sinh ở tương lai.",
        "Kiểm tra lại năm sinh: ngày sinh phải trước hoặc bằng ngày hôm nay.",
        "The date of birth is in the future.",
        "Check the year: the date of birth cannot be after today.",
        _AGE,
    ),
    "age.over_16": Message(
        _W, "birth_date",
        "Trẻ đã đủ 16 tuổi: ra khỏi danh sách trẻ em đang theo dõi.",
        "Nếu ngày sinh đúng thì giữ hồ sơ (không xóa); nếu sai thì sửa lại ngày sinh.",
        "The child is 16 or older: leaves the active register.",
        "Keep the record if the date is right (do not delete it); otherwise correct it.",
        _AGE,
    ),
    "death_date.invalid": Message(
        _E, "death_date",
        "Ngày mất không đọc được hoặc không có thật.",
        "Nhập dạng ngày/tháng/năm, hoặc để trống nếu trẻ còn sống.",
        "The date of death cannot be read or does not exist.",
        "Use day/month/year, or leave it empty if the child is alive.",
        _CONSISTENCY,
    ),
    "death_date.future": Message(
        _E, "death_date",
        "Ngày mất ở tương lai.",
        "Kiểm tra lại ngày mất: không thể sau ngày hôm nay.",
        "The date of death is in the future.",
        "Check it: it cannot be after today.",
        _CONSISTENCY,
    ),
    "death_date.before_birth": Message(
        _E, "death_date",
        "Ngày mất trước ngày sinh.",
        "Kiểm tra lại ngày sinh và ngày mất.",
        "The date of death is before the date of birth.",
        "Check both dates.",
        _CONSISTENCY,
    ),
    # --- catalogues -----------------------------------------------------------------------
    "ethnicity.missing": Message(
        _W, "ethnicity",
        "Chưa ghi dân tộc.",
        "Chọn dân tộc trong danh mục 54 dân tộc (ví dụ 01 Kinh, 08 HMông).",
        "Ethnicity is missing.",
        "Choose from the 54 ethnic groups (e.g. 01 Kinh, 08 HMông).",
        _STEP3,
    ),
    "ethnicity.unknown": Message(
        _E, "ethnicity",
        "Dân tộc không có trong danh mục 54 dân tộc.",
        "Chọn lại trong danh mục (có thể gõ tên hoặc mã, ví dụ \"Mèo\" hay \"08\" cho HMông).",
        "Ethnicity is not one of the 54 ethnic groups.",
        "Choose again from the list (type a name or code, e.g. \"Mèo\" or \"08\" for HMông).",
        _ETHNIC,
    ),
    "nationality.unknown": Message(
        _E, "nationality",
        "Quốc tịch không có trong danh mục.",
        "Ghi mã quốc gia 2 chữ cái (VN là Việt Nam) hoặc tên nước.",
        "Nationality is not in the list.",
        "Use the 2-letter country code (VN for Viet Nam) or the country name.",
        "ISO 3166-1 alpha-2; " + _ASSUMED,
    ),
    "province.unknown": Message(
        _E, "province_code",
        "Mã tỉnh không có trong danh mục 34 tỉnh, thành phố từ 01/7/2025.",
        "Chọn lại tỉnh trong danh mục; mã tỉnh cũ (trước 2025) được tự đổi sang mã mới.",
        "The province code is not one of the 34 provinces in force from 2025-07-01.",
        "Choose the province again; pre-2025 codes are mapped to the new ones.",
        _ADMIN,
    ),
    "province.old_code": Message(
        _I, "province_code",
        "Mã tỉnh cũ (trước 01/7/2025) đã được đổi sang mã tỉnh mới sau sắp xếp.",
        "Không cần làm gì; khi lưu, hồ sơ dùng mã tỉnh mới.",
        "A pre-2025 province code was mapped to the province it merged into.",
        "Nothing to do; the record is saved with the new code.",
        "Nghị quyết 202/2025/QH15; " + _ADMIN,
    ),
    "commune.missing": Message(
        _W, "commune_code",
        "Chưa ghi mã xã, phường.",
        "Chọn xã, phường nơi trẻ đang sống trong danh mục đơn vị hành chính.",
        "The commune code is missing.",
        "Choose the commune where the child lives from the list.",
        _ADMIN,
    ),
    "commune.unknown": Message(
        _E, "commune_code",
        "Mã xã, phường không có trong danh mục 3.321 đơn vị hành chính cấp xã từ 01/7/2025.",
        "Chọn lại xã, phường trong danh mục (mã 5 chữ số).",
        "The commune code is not one of the 3,321 communes in force from 2025-07-01.",
        "Choose the commune again from the list (5-digit code).",
        _ADMIN,
    ),
    "commune.not_in_province": Message(
        _E, "commune_code",
        "Xã, phường không thuộc tỉnh, thành phố đã ghi.",
        "Sửa lại mã xã hoặc mã tỉnh cho khớp nhau.",
        "The commune does not belong to the recorded province.",
        "Correct the commune or the province so that they match.",
        _ADMIN,
    ),
    "catalogue.expired": Message(
        _W, "commune_code",
        "Mã này đã hết hiệu lực trong danh mục vào ngày tính (ví dụ xã, phường đã giải thể "
        "hoặc sáp nhập).",
        "Chọn lại mã đang có hiệu lực trong danh mục (ví dụ xã, phường sau sắp xếp); nếu hồ sơ "
        "ghi đúng tình trạng trước đây thì giữ nguyên.",
        "The code was no longer in force on the reference date (e.g. an abolished or merged "
        "commune).",
        "Choose a code in force from the list (e.g. the commune after the reorganisation); "
        "keep it if the record rightly describes the past.",
        "Ngày hết hiệu lực của mã trong danh mục (cột valid_to, tính cả ngày đó); " + _ADMIN,
    ),
    "value.unreadable": Message(
        _W, None,
        "Không đọc được giá trị của trường này (không chuyển được thành chữ, số hay ngày); "
        "trường được để trống, các trường khác vẫn giữ nguyên.",
        "Nhập lại giá trị của trường này.",
        "The value of this field cannot be read (it does not turn into text, a number or a "
        "date); the field is left empty and the other fields are kept.",
        "Enter this field's value again.",
        _CONSISTENCY,
    ),
    "schooling.unknown": Message(
        _E, "schooling",
        "Tình trạng đi học không có trong danh mục.",
        "Chọn một mục, ví dụ 04 Tiểu học, 08 Bỏ học, 99 Không rõ.",
        "Schooling status is not in the list.",
        "Choose one, e.g. 04 primary, 08 dropped out, 99 unknown.",
        _ASSUMED,
    ),
    "schooling.implausible_for_age": Message(
        _W, "schooling",
        "Tình trạng đi học không phù hợp với tuổi của trẻ.",
        "Kiểm tra lại cấp học và ngày sinh (ví dụ trẻ 3 tuổi không thể học trung học cơ sở).",
        "The schooling status is implausible for the child's age.",
        "Check the school level and the date of birth.",
        _ASSUMED,
    ),
    "parents.missing": Message(
        _W, "father_name",
        "Chưa ghi tên cha, mẹ hoặc người chăm sóc.",
        "Ghi ít nhất một người: cha, mẹ hoặc người chăm sóc (người giám hộ).",
        "No father, mother or caregiver name is recorded.",
        "Record at least one: father, mother or caregiver (guardian).",
        _STEP3,
    ),
    "circumstance.unknown": Message(
        _E, "circumstances",
        "Có mã hoàn cảnh không có trong danh mục.",
        "Dùng mã DB01–DB15 (hoàn cảnh đặc biệt), NC01–NC02 (nguy cơ), KH01–KH03 (khác).",
        "A circumstance code is not in the list.",
        "Use DB01-DB15 (special), NC01-NC02 (at risk), KH01-KH03 (other).",
        _ART10 + "; mã: " + _ASSUMED,
    ),
    "support.unknown_form": Message(
        _E, "supports",
        "Có hình thức trợ giúp không có trong danh mục.",
        "Dùng mã TG01–TG05 (y tế, giáo dục, pháp lý, trợ giúp xã hội, trợ giúp thường xuyên).",
        "A support form is not in the list.",
        "Use TG01-TG05 (health, education, legal, social assistance, regular assistance).",
        _ASSUMED,
    ),
    "support.date_missing": Message(
        _W, "supports",
        "Có lần trợ giúp chưa ghi ngày.",
        "Ghi ngày trẻ nhận trợ giúp (ngày/tháng/năm).",
        "A support has no date.",
        "Record the date the child received it (day/month/year).",
        "Seed 000 §III.2 (trợ giúp kèm ngày)",
    ),
    "support.date_invalid": Message(
        _E, "supports",
        "Ngày trợ giúp không đọc được hoặc không có thật.",
        "Nhập dạng ngày/tháng/năm (ví dụ 15/03/2025).",
        "A support date cannot be read or does not exist.",
        "Use day/month/year (e.g. 15/03/2025).",
        _CONSISTENCY,
    ),
    "support.date_future": Message(
        _E, "supports",
        "Ngày trợ giúp ở tương lai.",
        "Chỉ ghi trợ giúp đã thực hiện; kiểm tra lại năm.",
        "A support date is in the future.",
        "Record only support already given; check the year.",
        _CONSISTENCY,
    ),
    "support.before_birth": Message(
        _E, "supports",
        "Ngày trợ giúp trước ngày sinh của trẻ.",
        "Kiểm tra lại ngày trợ giúp và ngày sinh.",
        "A support date is before the child's date of birth.",
        "Check the support date and the date of birth.",
        _CONSISTENCY,
    ),
    "support.after_death": Message(
        _E, "supports",
        "Ngày trợ giúp sau ngày trẻ mất.",
        "Kiểm tra lại ngày trợ giúp và ngày mất; không ghi trợ giúp sau khi trẻ đã mất.",
        "A support is dated after the child's death.",
        "Check the support date and the date of death.",
        "DOMAIN.md §5 (KH02)",
    ),
    # --- category rules (DOMAIN.md §5) ----------------------------------------------------
    "rule.db07_needs_dropout": Message(
        _W, "circumstances",
        "Trẻ thuộc nhóm DB07 (bỏ học kiếm sống) nhưng tình trạng đi học không phải "
        "\"08 Bỏ học\" hoặc trẻ chưa đến tuổi đi học.",
        "Sửa tình trạng đi học thành 08 Bỏ học, hoặc bỏ nhóm DB07 nếu trẻ vẫn đi học.",
        "Group DB07 (dropped out to earn a living) but schooling is not 08 or the child "
        "is under school age.",
        "Set schooling to 08 (dropped out), or remove DB07 if the child attends school.",
        _ART10 + " điểm h",
    ),
    "rule.db14_needs_poor": Message(
        _W, "circumstances",
        "Trẻ thuộc nhóm DB14 (bệnh hiểm nghèo thuộc hộ nghèo, cận nghèo) nhưng chưa ghi "
        "NC02 (gia đình nghèo, cận nghèo).",
        "Thêm NC02 nếu hộ nghèo hoặc cận nghèo; nếu không thì bỏ nhóm DB14.",
        "Group DB14 (serious illness in a poor household) without NC02 (poor household).",
        "Add NC02 if the household is poor or near-poor; otherwise remove DB14.",
        _ART10 + " điểm n",
    ),
    "rule.nc01_with_db": Message(
        _W, "circumstances",
        "Trẻ vừa ghi NC01 (có nguy cơ rơi vào hoàn cảnh đặc biệt) vừa thuộc nhóm hoàn cảnh "
        "đặc biệt (DB).",
        "Trẻ đã ở trong hoàn cảnh đặc biệt: bỏ NC01.",
        "NC01 (at risk) together with a special-circumstance group (DB) is contradictory.",
        "The child is already in special circumstances: remove NC01.",
        _ART10 + "; DOMAIN.md §5",
    ),
    "rule.orphan_no_caregiver": Message(
        _W, "caregiver_name",
        "Trẻ mồ côi, bị bỏ rơi, không nơi nương tựa hoặc di cư (DB01, DB02, DB03, DB15) "
        "nhưng chưa ghi người chăm sóc.",
        "Ghi tên và số định danh của người đang trực tiếp chăm sóc trẻ.",
        "Orphaned, abandoned, without support or migrant child (DB01, DB02, DB03, DB15) "
        "with no caregiver recorded.",
        "Record the name and ID number of the person caring for the child.",
        _ART10 + " điểm a, b, c, o",
    ),
    "rule.support_without_db": Message(
        _W, "supports",
        "Có trợ giúp y tế, giáo dục hoặc pháp lý (TG01–TG03) nhưng trẻ không thuộc nhóm hoàn "
        "cảnh đặc biệt nào.",
        "Ghi nhóm hoàn cảnh đặc biệt (DB) của trẻ, hoặc kiểm tra lại hình thức trợ giúp.",
        "Support TG01-TG03 is recorded but the child is in no special-circumstance group.",
        "Record the child's special-circumstance group (DB), or check the support form.",
        "DOMAIN.md §5 (TG01–TG03 dành cho trẻ có hoàn cảnh đặc biệt)",
    ),
    "rule.db_not_supported": Message(
        _I, "supports",
        "Trẻ có hoàn cảnh đặc biệt chưa được ghi nhận trợ giúp nào.",
        "Trẻ nằm trong danh sách \"chưa được trợ giúp\"; ghi trợ giúp khi trẻ nhận được.",
        "A child in special circumstances has no support recorded yet.",
        "The child is on the \"not yet supported\" list; record support when given.",
        "Seeds 001–003 (mục tiêu 100% trẻ có hoàn cảnh đặc biệt được trợ giúp); DOMAIN.md §5",
    ),
    "rule.kh02_deceased": Message(
        _I, "circumstances",
        "Trẻ đã tử vong do tai nạn thương tích (KH02): không tính vào số trẻ đang sống.",
        "Không xóa hồ sơ; không ghi trợ giúp sau ngày mất.",
        "The child died of an injury (KH02): excluded from living totals.",
        "Do not delete the record; record no support after the date of death.",
        "DOMAIN.md §5.3 (KH02)",
    ),
    "rule.kh02_needs_death_date": Message(
        _W, "death_date",
        "Trẻ ghi KH02 (tử vong do tai nạn thương tích) nhưng chưa có ngày mất.",
        "Ghi ngày mất của trẻ, hoặc bỏ KH02 nếu ghi nhầm.",
        "KH02 (died of injury) is recorded without a date of death.",
        "Record the date of death, or remove KH02 if it was a mistake.",
        "DOMAIN.md §5.3 (KH02)",
    ),
}

# Name fields: the codes follow libchild.text.name_error reasons.
NAME_FIELDS: dict[str, tuple[str, str]] = {
    "full_name": ("Họ tên của trẻ", "The child's full name"),
    "father_name": ("Họ tên cha", "The father's name"),
    "mother_name": ("Họ tên mẹ", "The mother's name"),
    "caregiver_name": ("Họ tên người chăm sóc", "The caregiver's name"),
}

# reason -> (severity, Vietnamese problem, Vietnamese hint, English problem, English hint)
_NAME_REASONS: dict[str, tuple[str, str, str, str, str]] = {
    "missing": (
        _E, "chưa được ghi.", "Nhập đầy đủ họ, tên đệm và tên theo giấy khai sinh.",
        "is missing.", "Enter the full name as on the birth certificate.",
    ),
    "digits": (
        _E, "có chữ số.", "Xóa các chữ số: họ tên chỉ gồm chữ cái và dấu cách.",
        "contains digits.", "Remove the digits: a name has letters and spaces only.",
    ),
    "symbols": (
        _E, "có ký hiệu không dùng trong tên.",
        "Xóa các ký hiệu như . , / ( ) @; chỉ giữ chữ cái, dấu cách, dấu nháy và gạch nối "
        "(H'Hen, Y-Moan).",
        "contains symbols not used in names.",
        "Remove symbols such as . , / ( ) @; keep letters, spaces, apostrophes and hyphens "
        "(H'Hen, Y-Moan).",
    ),
    "over_limit": (
        _E, f"dài quá {NAME_MAX_CHARS} ký tự nên không lưu được.",
        "Chỉ ghi họ, chữ đệm và tên theo giấy khai sinh; các thông tin khác ghi vào ô khác.",
        f"is longer than {NAME_MAX_CHARS} characters and cannot be stored.",
        "Enter only the family, middle and given names as on the birth certificate.",
    ),
    "too_long": (
        _W, "dài bất thường.", "Kiểm tra xem có nhập lẫn thông tin khác vào ô họ tên không.",
        "is unusually long.", "Check whether other information was typed into the name.",
    ),
    "single_word": (
        _W, "chỉ có một từ.",
        "Nhập đủ họ và tên (ví dụ \"Lò Văn Páo\"), trừ khi giấy tờ ghi đúng như vậy.",
        "has a single word.", "Enter family and given names, unless the papers say so.",
    ),
    "legacy_encoding": (
        _E, "bị lỗi phông chữ (mã TCVN3 hoặc VNI cũ).",
        "Chuyển sang Unicode (chức năng làm sạch của phần mềm tự chuyển), rồi kiểm tra lại dấu.",
        "is in an old font encoding (TCVN3 or VNI).",
        "Convert it to Unicode (clean() does it), then check the diacritics.",
    ),
    "invalid": (
        _E, "không hợp lệ.", "Nhập lại họ tên bằng chữ cái tiếng Việt có dấu.",
        "is not valid.", "Retype the name in Vietnamese letters with diacritics.",
    ),
}


def _add_name_codes() -> None:
    for field, (label, label_en) in NAME_FIELDS.items():
        for reason, (severity, problem, hint, problem_en, hint_en) in _NAME_REASONS.items():
            if reason == "missing" and field != "full_name":
                continue  # parents are covered together by parents.missing
            MESSAGES[f"{field}.{reason}"] = Message(
                severity, field, f"{label} {problem}", hint,
                f"{label_en} {problem_en}", hint_en,
                _STEP3 if field == "full_name" or reason != "legacy_encoding" else _CONSISTENCY,
            )


_add_name_codes()


#: The free-text fields of a record and their bound (:mod:`libchild.text.limits`); the
#: rule engine reports ``<field>.over_limit`` (an error) for a longer text.
TEXT_FIELD_LIMITS: dict[str, int] = {
    "current_address": TEXT_MAX_CHARS,
    "address_detail": TEXT_MAX_CHARS,
    "village": NAME_MAX_CHARS,
}


def _add_text_codes() -> None:
    for field, limit in TEXT_FIELD_LIMITS.items():
        label, label_en = FIELD_LABELS[field]
        MESSAGES[f"{field}.over_limit"] = Message(
            _E, field, f"{label} dài quá {limit} ký tự nên không lưu được.",
            "Chỉ ghi đúng thông tin của ô này; bỏ phần dán nhầm hoặc ghi sang ô khác.",
            f"{label_en} is longer than {limit} characters and cannot be stored.",
            "Keep only this field's information; remove text pasted by mistake.",
            _CONSISTENCY,
        )


# Hints that replace a code's usual hint when the rule engine knows more: (Vietnamese,
# English) templates, {} filled in by libchild.rules. The issue code stays the same.
SPECIFIC_HINTS: dict[str, tuple[str, str]] = {
    # <field>.legacy_encoding: the name converted to Unicode.
    "legacy_encoding": (
        "Có lẽ là «{name}» (gõ bằng phông {font}). Chức năng làm sạch của phần mềm tự "
        "chuyển sang Unicode; hãy kiểm tra lại dấu.",
        "Probably «{name}» (typed in a {font} font). clean() converts it to Unicode; check "
        "the diacritics.",
    ),
    # personal_id.length / caregiver_id.length: 10 or 11 digits that a known province
    # prefix completes with zeros in front.
    "leading_zero": (
        "Số chỉ có {digits} chữ số: có lẽ bảng tính (Excel) đã bỏ mất số 0 ở đầu; số đầy đủ "
        "có thể là {number}. Định dạng cột là Văn bản (Text) rồi nhập lại đủ 12 chữ số theo "
        "giấy tờ.",
        "Only {digits} digits: the spreadsheet (Excel) probably dropped the leading zero; "
        "the full number may be {number}. Format the column as Text and enter all 12 digits "
        "from the papers.",
    ),
}
#: How the legacy encodings are named in hints.
LEGACY_FONTS: dict[str, str] = {"tcvn3": "TCVN3 (.VnTime)", "vni": "VNI (VNI-Times)"}


# The canonical fields as an officer calls them: (Vietnamese, English).
FIELD_LABELS: dict[str, tuple[str, str]] = {
    "personal_id": ("Số định danh cá nhân", "Personal ID number"),
    "full_name": ("Họ và tên", "Full name"),
    "sex": ("Giới tính", "Sex"),
    "birth_date": ("Ngày sinh", "Date of birth"),
    "ethnicity": ("Dân tộc", "Ethnicity"),
    "nationality": ("Quốc tịch", "Nationality"),
    "current_address": ("Nơi ở hiện tại", "Current residence"),
    "address_detail": ("Địa chỉ chi tiết", "Detailed address"),
    "schooling": ("Tình trạng đi học", "Schooling status"),
    "village": ("Thôn, xóm, bản, tổ dân phố", "Village"),
    "commune_code": ("Xã, phường", "Commune"),
    "province_code": ("Tỉnh, thành phố", "Province"),
    "caregiver_id": ("Số định danh người chăm sóc", "Caregiver's ID number"),
    "father_name": ("Họ tên cha", "Father's name"),
    "mother_name": ("Họ tên mẹ", "Mother's name"),
    "caregiver_name": ("Họ tên người chăm sóc", "Caregiver's name"),
    "circumstances": ("Hoàn cảnh", "Circumstances"),
    "supports": ("Trợ giúp đã nhận", "Support received"),
    "death_date": ("Ngày mất", "Date of death"),
}
#: The label of issues about the whole record (``field`` None).
RECORD_LABEL = ("Hồ sơ", "Record")

_add_text_codes()  # needs FIELD_LABELS


# Texts of the command line ``python -m libchild check`` (Vietnamese; {} are filled in).
CLI: dict[str, str] = {
    "description": "Kiểm tra hồ sơ trẻ em trong tệp CSV hoặc JSON lines (tên cột chuẩn).",
    "check_help": "kiểm tra một tệp hồ sơ",
    "file_metavar": "TỆP",
    "file_help": "tệp CSV (UTF-8, có hoặc không có BOM) hoặc JSON lines (.jsonl)",
    "on_metavar": "NGÀY",
    "json_help": "in kết quả dạng JSON cho máy đọc",
    "on_help": "ngày tính tuổi, dạng dd/mm/yyyy hoặc yyyy-mm-dd (mặc định: hôm nay)",
    "bad_on": "Ngày tính tuổi không hợp lệ: {}",
    "not_found": "Không tìm thấy tệp: {}",
    "unreadable": "Không đọc được tệp {}: {}",
    "not_utf8": "Tệp {} không phải văn bản UTF-8 (dòng {}). Hãy lưu lại tệp với mã hóa UTF-8.",
    "bad_json": "Dòng {} của tệp {} không phải JSON hợp lệ: {}",
    "not_object": "Dòng {} của tệp {} không phải một hồ sơ JSON (phải là {{...}}).",
    "no_columns": (
        "Tệp {} không có cột nào mang tên chuẩn (ví dụ full_name, birth_date, sex). "
        "Xem docs/rules.md để biết tên cột."
    ),
    "bad_csv": "Tệp CSV {} bị lỗi ở dòng {}: {}",
    "header": "Tệp {}: {} hồ sơ, ngày tính tuổi {}.",
    "record": "Dòng {}: {}",
    "no_name": "(chưa có tên)",
    "issue": "  [{}] {}: {} ({})",
    "hint": "        Cách sửa: {}",
    "same_as": "        Trùng với dòng: {}",
    "summary": (
        "Tổng kết: {} hồ sơ; {} hồ sơ có lỗi, {} hồ sơ chỉ có cảnh báo, {} hồ sơ không có lỗi "
        "hay cảnh báo."
    ),
    "by_code": "Số lần theo mã:",
    "count": "  {:<36} {:<10} {:>6}",
    "all_good": "Không có vấn đề nào.",
    "error": "lỗi",
    "warning": "cảnh báo",
    "info": "thông tin",
}


# argparse's own words in Vietnamese (libchild.argparse_vi): the usage prefix, section
# titles, the help of -h and the argument errors ({name} fields are filled in). Every
# command line of the project (python -m libchild, treem) prints these.
ARGPARSE: dict[str, str] = {
    "usage_prefix": "Cách dùng: ",
    "positionals_title": "tham số",
    "options_title": "tuỳ chọn",
    "commands_title": "lệnh",
    "command_metavar": "LỆNH",
    "help_help": "in hướng dẫn này rồi thoát",
    "version_help": "in phiên bản rồi thoát",
    "error": "Lệnh không hợp lệ: {detail}\nGõ “{prog} --help” để xem hướng dẫn.",
    "required": "thiếu tham số bắt buộc: {names}",
    "choice": "giá trị “{value}” không hợp lệ cho {name}; chọn một trong: {choices}",
    "unrecognized": "không hiểu tham số: {args}",
    "expected_one": "tham số {name} cần một giá trị",
    "expected_at_most_one": "tham số {name} nhận nhiều nhất một giá trị",
    "expected_at_least_one": "tham số {name} cần ít nhất một giá trị",
    "expected_n": "tham số {name} cần {count} giá trị",
    "invalid_value": "giá trị không hợp lệ cho {name}: {value}",
    "one_of": "cần đúng một trong các tham số: {names}",
    "exclusive": "không dùng {name} cùng với {other}",
    "ambiguous": "tuỳ chọn {option} không rõ là tuỳ chọn nào: {matches}",
    "ignored_value": "tuỳ chọn {name} không nhận giá trị “{value}”",
}


# Texts of the ValueError that libchild.dates raises (key -> (Vietnamese, English));
# {} are filled in by date_error(). The rules engine turns a failed date into an issue
# code (birth_date.invalid, ...); these texts are for callers of parse_date and age.
DATE_ERRORS: dict[str, tuple[str, str]] = {
    "not_a_date": (
        "Không đọc được ngày: «{}». Nhập theo dạng dd/mm/yyyy, ví dụ 15/03/2016.",
        "Cannot read a date from «{}». Type it as dd/mm/yyyy, e.g. 15/03/2016.",
    ),
    "no_such_day": (
        "Ngày không tồn tại: «{}» (tháng {}/{} có {} ngày).",
        "No such day: «{}» (month {}/{} has {} days).",
    ),
    "no_such_month": (
        "Ngày không tồn tại: «{}» (tháng phải từ 1 đến 12).",
        "No such day: «{}» (the month must be 1 to 12).",
    ),
    "bad_year": (
        "Năm không hợp lệ trong «{}»: năm phải có 4 chữ số, ví dụ 2016.",
        "Invalid year in «{}»: the year has 4 digits, e.g. 2016.",
    ),
    "serial_range": (
        "Số ngày kiểu Excel «{}» nằm ngoài khoảng cho phép ({} đến {}, tức 01/01/1900 đến "
        "31/12/2099).",
        "Excel date serial «{}» is out of range ({} to {}, i.e. 01/01/1900 to 31/12/2099).",
    ),
    "serial_bug": (
        "Số ngày kiểu Excel 60 là ngày 29/02/1900, một ngày không tồn tại.",
        "Excel date serial 60 is 29/02/1900, a day that does not exist.",
    ),
    "year_only": (
        "«{}» trông như chỉ có năm; nhập đủ ngày, tháng, năm, ví dụ 15/03/2016.",
        "«{}» looks like a year only; type day, month and year, e.g. 15/03/2016.",
    ),
    "type": (
        "Không đọc được ngày từ giá trị kiểu {}.",
        "Cannot read a date from a value of type {}.",
    ),
    "age_order": (
        "Ngày tính tuổi {} trước ngày sinh {}.",
        "The reference date {} is before the date of birth {}.",
    ),
}


def _language(lang: str) -> int:
    try:
        return LANGUAGES.index(lang)
    except ValueError:
        raise ValueError(f"lang must be one of {LANGUAGES}, not {lang!r}") from None


def date_error(key: str, *args: object, lang: str = "vi") -> str:
    """Return the text of date error ``key`` (a key of :data:`DATE_ERRORS`) filled with ``args``.

    >>> date_error("no_such_day", "31/02/2016", 2, 2016, 29)
    'Ngày không tồn tại: «31/02/2016» (tháng 2/2016 có 29 ngày).'
    >>> date_error("type", "list", lang="en")
    'Cannot read a date from a value of type list.'
    """
    return DATE_ERRORS[key][_language(lang)].format(*args)


# Reasons of libchild.duplicates.find_duplicates (code -> (Vietnamese, English)), short
# enough to list side by side on one line of the duplicate review. "Cha mẹ/người chăm
# sóc": the same caregiver ID number, or a parent's or the caregiver's name shared.
_FAMILY_VI, _FAMILY_EN = "cùng cha mẹ/người chăm sóc", "same parents or caregiver"
DUPLICATE_REASONS: dict[str, tuple[str, str]] = {
    "same_personal_id": ("cùng số định danh", "same personal ID number"),
    "same_name_close_birth": (
        "cùng tên, ngày sinh gần nhau", "same name, birth dates close together",
    ),
    "name_diacritics_only_same_birth": (
        "tên chỉ khác dấu, cùng ngày sinh", "names differ only in diacritics, same birth date",
    ),
    "name_one_typo_same_birth": (
        "tên khác một chữ, cùng ngày sinh", "names one typo apart, same birth date",
    ),
    "same_name_same_caregiver": (f"cùng tên, {_FAMILY_VI}", f"same name, {_FAMILY_EN}"),
    "name_diacritics_only_same_caregiver": (
        f"tên chỉ khác dấu, {_FAMILY_VI}", f"names differ only in diacritics, {_FAMILY_EN}",
    ),
    "name_one_typo_same_caregiver": (
        f"tên khác một chữ, {_FAMILY_VI}", f"names one typo apart, {_FAMILY_EN}",
    ),
    "name_variant_same_birth": (
        "tên khác cách viết, cùng ngày sinh", "name spelled another way, same birth date",
    ),
    "similar_name_close_birth": (
        "tên gần giống, ngày sinh gần nhau", "similar names, birth dates close together",
    ),
    "similar_name_day_month_swapped": (
        "tên giống, ngày và tháng sinh bị đảo", "similar names, day and month of birth swapped",
    ),
    "similar_name_birth_one_digit": (
        "tên giống, ngày sinh khác một chữ số", "similar names, birth dates one digit apart",
    ),
    "name_variant_same_caregiver": (
        f"tên khác cách viết, {_FAMILY_VI}", f"name spelled another way, {_FAMILY_EN}",
    ),
    "different_personal_id": (
        "nhưng khác số định danh", "but different personal ID numbers",
    ),
    "different_sex": ("nhưng khác giới tính", "but different sex"),
    "born_years_apart_same_parents": (
        "nhưng cùng cha mẹ, sinh khác năm (có thể là anh chị em)",
        "but same parents, born in different years (brothers or sisters?)",
    ),
    "different_parents": ("nhưng khác tên cha mẹ", "but different parents' names"),
}


def duplicate_reason_label(code: str, lang: str = "vi") -> str:
    """Return the label of a find_duplicates reason ``code`` in ``lang`` (``"vi"``/``"en"``).

    An unknown code (say, stored by a newer version) is returned unchanged, so a screen
    always has something to show; an unknown ``lang`` raises ValueError.

    >>> duplicate_reason_label("same_personal_id")
    'cùng số định danh'
    >>> duplicate_reason_label("name_one_typo_same_birth", lang="en")
    'names one typo apart, same birth date'
    >>> duplicate_reason_label("new_reason")
    'new_reason'
    """
    index = _language(lang)
    labels = DUPLICATE_REASONS.get(code)
    return code if labels is None else labels[index]


# --- indicator files and report periods (libchild.indicators) ----------------------------
#: Texts of the indicator files' loader and of report periods (Vietnamese, NFC).
INDICATOR_TEXTS: dict[str, str] = {
    "file.missing": "Không tìm thấy tệp chỉ tiêu {path}.",
    "file.unreadable": "Không đọc được tệp chỉ tiêu {path}: {reason}.",
    "file.syntax": (
        "Tệp chỉ tiêu {path} sai cú pháp TOML ở dòng {line}, cột {column}: hãy kiểm tra "
        "dấu ngoặc [ ] {{ }}, dấu nháy \" \" và dấu bằng ở dòng đó."
    ),
    "file.header": (
        "Tệp chỉ tiêu {path} thiếu dòng nguồn ở đầu tệp (\"# source: ...\" và \"# date: ...\")."
    ),
    "file.problems": "Tệp chỉ tiêu {path} có {count} lỗi:",
    "plan.missing": "Thiếu bảng [plan] (tên, văn bản của kế hoạch).",
    "plan.field": "Bảng [plan] thiếu mục \"{field}\".",
    "plan.unknown_key": "Bảng [plan] có mục không dùng được: \"{key}\".",
    "plan.no_indicator": "Tệp không có chỉ tiêu nào ([[indicator]]).",
    "indicator.field": "Chỉ tiêu số {number} thiếu mục \"{field}\".",
    "indicator.missing": "Chỉ tiêu \"{id}\" thiếu mục \"{field}\".",
    "indicator.unknown_key": "Chỉ tiêu \"{id}\": mục \"{key}\" không dùng được.",
    "indicator.bad_id": (
        "Chỉ tiêu số {number}: mã \"{id}\" chỉ được gồm chữ thường không dấu, số và dấu gạch "
        "dưới (ví dụ: ty_le_dac_biet)."
    ),
    "indicator.duplicate_id": "Mã chỉ tiêu \"{id}\" bị lặp lại.",
    "indicator.text": "Chỉ tiêu \"{id}\": mục \"{key}\" phải là chữ, không để trống.",
    "indicator.bad_unit": (
        "Chỉ tiêu \"{id}\": đơn vị \"{value}\" không hợp lệ; dùng một trong: {allowed}."
    ),
    "indicator.bad_direction": (
        "Chỉ tiêu \"{id}\": hướng so sánh \"{value}\" không hợp lệ; dùng một trong: {allowed}."
    ),
    "indicator.bad_target": (
        "Chỉ tiêu \"{id}\": chỉ tiêu kế hoạch \"{value}\" không phải số không âm."
    ),
    "indicator.target_needs_direction": (
        "Chỉ tiêu \"{id}\": có chỉ tiêu kế hoạch thì phải ghi hướng so sánh (direction)."
    ),
    "indicator.count_has_denominator": (
        "Chỉ tiêu \"{id}\": đơn vị là số trẻ em thì không có mẫu số (denominator)."
    ),
    "indicator.rate_needs_denominator": (
        "Chỉ tiêu \"{id}\": tỷ lệ cần có mẫu số (denominator = {{}} là mọi trẻ em)."
    ),
    "filter.not_table": "Chỉ tiêu \"{id}\": {part} phải là một bảng điều kiện {{...}}.",
    "filter.unknown": (
        "Chỉ tiêu \"{id}\", {part}: điều kiện \"{key}\" không có; các điều kiện dùng được: "
        "{allowed}."
    ),
    "filter.bad_value": "Chỉ tiêu \"{id}\", {part}: giá trị của \"{key}\" không hợp lệ: {value}.",
    "filter.unknown_code": (
        "Chỉ tiêu \"{id}\", {part}: mã \"{code}\" không có trong danh mục {catalog}."
    ),
    "filter.bad_age": (
        "Chỉ tiêu \"{id}\", {part}: độ tuổi phải là [từ, đến] với 0 ≤ từ ≤ đến ≤ 15 "
        "(trẻ em là người dưới 16 tuổi)."
    ),
    "filter.bad_when": (
        "Chỉ tiêu \"{id}\", {part}: \"{key}\" phải là một trong: {allowed}."
    ),
    "catalog.sexes": "giới tính (sexes.csv)",
    "catalog.ethnicities": "dân tộc (ethnicities.csv)",
    "catalog.circumstances": (
        "hoàn cảnh trẻ em (circumstances.csv; hoặc nhóm special, at_risk, other)"
    ),
    "catalog.supports": "hình thức trợ giúp (supports.csv; hoặc any)",
    "not_computed.field": "Mục [[not_computed]] số {number} thiếu \"{field}\".",
    "part.numerator": "tử số",
    "part.denominator": "mẫu số",
    # periods
    "period.first_half": "6 tháng đầu năm {year}",
    "period.second_half": "6 tháng cuối năm {year}",
    "period.to_date": "từ {start} đến {end}",
    "period.short_first": "I/{year}",
    "period.short_second": "II/{year}",
}


def indicator_text(message: str, /, **values: object) -> str:
    """Return the Vietnamese text ``message`` of :data:`INDICATOR_TEXTS` with ``values``.

    >>> indicator_text("period.first_half", year=2026)
    '6 tháng đầu năm 2026'
    """
    return INDICATOR_TEXTS[message].format(**values)
