"""Name pools for synthetic people, one naming style per ethnic group.

The pools follow how names are actually built in each group (family name, a
middle name that usually marks sex, a given name), so that a demo register looks
like the books of a mountain commune. Every combination is synthetic: no pool
entry is taken from a real person.
"""

from __future__ import annotations

from random import Random
from typing import NamedTuple

__all__ = ["STYLES", "NameStyle", "make_name", "style_for"]



class NameStyle(NamedTuple):
    """How one ethnic group's names are built."""

    families: tuple[str, ...]
    male_middles: tuple[str, ...]
    female_middles: tuple[str, ...]
    male_given: tuple[str, ...]
    female_given: tuple[str, ...]


def _split(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Second given-name syllables that children born since the 2000s often carry in every
# group ("Lò Thị Ngọc Ánh", "Quàng Văn Minh Đức").
_MODERN_MALE = _split("Minh Quang Đức Hải Bảo Gia Anh Trung Tuấn Hoàng Thành Tiến")
_MODERN_FEMALE = _split("Ngọc Thu Thanh Kim Hồng Bảo Gia Minh Phương Khánh Thùy Hải")
MODERN_SHARE = 0.35


_KINH = NameStyle(
    families=_split(
        "Nguyễn Nguyễn Nguyễn Trần Trần Lê Lê Phạm Hoàng Vũ Đặng Bùi Đỗ Hồ Ngô "
        "Dương Lý Đinh Hà Đào Mai Tạ Trịnh Lương"
    ),
    male_middles=_split("Văn Văn Văn Đức Minh Quang Hữu Thành Xuân Tiến"),
    female_middles=_split("Thị Thị Thị Thu Ngọc Thanh Hồng Minh Phương Kim"),
    male_given=_split(
        "An Bình Cường Dũng Đạt Hải Hùng Huy Khánh Khoa Long Minh Nam Phong Quân "
        "Sơn Tuấn Việt Tùng Thắng Trung Hiếu Nghĩa Lâm Phúc Toàn Vinh Đông Bảo Kiên "
        "Anh Đức Duy Giang Hào Hoàng Khang Khôi Lộc Mạnh Nhật Quang Tài Thịnh Trí Vũ"
    ),
    female_given=_split(
        "Anh Chi Dung Hà Hạnh Hoa Hương Lan Linh Mai Ngọc Nhung Phương Thảo Trang "
        "Vân Yến Hằng Huyền Loan Nga Oanh Quỳnh Thủy Tâm Uyên Vy Hiền Giang Ánh Bích "
        "Diệp Hạnh Khuê Lam Liên My Ngân Nhi Thư Trâm Tuyết Xuân Yên"
    ),
)

_THAI = NameStyle(
    families=_split(
        "Lò Lò Lò Lường Lường Quàng Quàng Cầm Cầm Tòng Vì Điêu Hoàng Hà Bạc "
        "Mè Sa Cà Lù Khoàng Tòng"
    ),
    male_middles=_split("Văn Văn Văn Văn Văn Xuân"),
    female_middles=_split("Thị Thị Thị Thị Thị Thu"),
    male_given=_split(
        "Panh Hặc Khằm Ban Thoong Xôm Ngoan Chiến Tiến Quý Sơn Thanh Hùng Lả Piêng "
        "Doan Ún Pọm Tính Khoa Thượng Inh Phanh Xuân Hải Đôi Chung Ương Bun Khiêm Lún "
        "Thiêm Sương Hom Bình Cương Lâm Long Nghiệp Phong Quyết Siêng Thắm Toán Tuấn Vinh "
        "Xiển Pấng Cặp Ỏn Khiêng Dương Hưởng Kiên Luân Mạnh Nam Ngọc Nhân Phúc Sinh Thái"
    ),
    female_given=_split(
        "Ón Xoan Kim Pọm Phăn Bun Hương Ánh Lả Ọn Piêng Mai Doan Xuân Lan Thủy Hoa "
        "Lịnh Ngân Inh Hiên Ươi Xim Hoan Yến Quyên Nhung Pâng Thoa Cúc Bích Diệp Duyên "
        "Hằng Hiền Huyền Khánh Liên Loan Lụa Mỷ Nga Ngần Nhàn Oanh Phương Quý Sim Tâm "
        "Thanh Thảo Thơm Trang Tươi Uyên Vân Xiêm Ỏn Ơn Pọm"
    ),
)

_HMONG = NameStyle(
    families=_split("Giàng Giàng Thào Thào Sùng Sùng Vàng Vàng Mùa Lầu Hờ Lý Mua Cứ Tráng Hạng"),
    male_middles=_split("A A A A A Văn Văn Seo"),
    female_middles=_split("Thị Thị Thị Thị Thị"),
    male_given=_split(
        "Páo Lử Chứ Dế Sếnh Tủa Dình Thề Của Lồng Pó Chông Vừ Sử Nủ Khua Tồng Chá "
        "Dùa Nhìa Sình Xá Lềnh Cháng Giống Mỷ Trư Sùa Chư Dê Di Hảng Khai Lầu Lừ Nếnh "
        "Phừ Sang Say Thào Tráng Vảng Xìa Chinh Dủa Lành Mua Páo Sùng"
    ),
    female_given=_split(
        "Pà Mỷ Say Dở Mai Xua Dua Chò Máy Sua Dợ Mỉ Pằng Vá Di Sống Nhè Ly Súa Chi "
        "Nhìa Dênh Lỳ Mái Bầu Cở Dinh Hoa Lan Mao Nụ Pàng Sy Thông Vư Xá Chang "
        "Dính Kia Lia Mua Pó Sấy Tàng"
    ),
)

_DAO = NameStyle(
    families=_split("Bàn Bàn Triệu Triệu Đặng Phùng Lý Chảo Tẩn Sần"),
    male_middles=_split("Văn Văn Văn Tà Láo"),
    female_middles=_split("Thị Thị Thị Mùi"),
    male_given=_split("Phin Sinh Chiêm Tòn Quẩy Lìu Chòi Sơn Kiềm Phủ Vần Chản Sài Lộc Dín"),
    female_given=_split("Mây Kiều Mẩy Chiêm Dùng Liều Nhần Phấy Xuân Hoa Lan Dào Sinh"),
)

_KHOMU = NameStyle(
    families=_split("Lò Lò Quàng Vì Cầm Tòng Lường Lù Hoàng"),
    male_middles=_split("Văn Văn Văn"),
    female_middles=_split("Thị Thị Thị"),
    male_given=_split("Sơn Pọ Dọn Khăm Phăn Thương Lún Pấng Nhất Ún Hồng Chăn Kẻo Dón"),
    female_given=_split("Pọm Dọn Ún Lả Xiêng Oi Phanh Hiên Nhật Khiên Ên Ngân"),
)

_KHANG = NameStyle(
    families=_split("Lò Lường Quàng Vì Lù Tòng Cầm"),
    male_middles=_split("Văn Văn Văn"),
    female_middles=_split("Thị Thị Thị"),
    male_given=_split("Thoan Dung Pẩu Doan Hom Bương Phiêng Ịa Siêng Ỏn Hương Chia"),
    female_given=_split("Phiêng Ỏn Ích Dung Xẻo Chiến Ịa Sương Thoan Tiên Hoan"),
)

_MUONG = NameStyle(
    families=_split("Đinh Đinh Bùi Bùi Quách Hà Xa Cao Hoàng"),
    male_middles=_split("Văn Văn Văn Công"),
    female_middles=_split("Thị Thị Thị"),
    male_given=_split("Khiêm Lâm Thắng Mạnh Tài Duy Lực Hùng Thanh Tuân Sơn Khởi"),
    female_given=_split("Mường Lan Hoa Thơm Nhàn Xuân Hương Yến Ngát Thảo Mai Tuyết"),
)

_TAY_NUNG = NameStyle(
    families=_split("Hoàng Hoàng Nông Nông Lục Lương Lộc Mông Hà Ma Ninh Bế Đàm La Triệu"),
    male_middles=_split("Văn Văn Văn Đức Minh"),
    female_middles=_split("Thị Thị Thị Thu"),
    male_given=_split("Thào Pảo Khánh Thuấn Dương Quyết Vịnh Sáng Phong Thuận Tằng Lực Hoàn"),
    female_given=_split("Mỷ Phương Khuyên Nhài Lụa Thoa Hiền Nga Páo Xuân Vui Liên"),
)

STYLES: dict[str, NameStyle] = {
    "kinh": _KINH,
    "thai": _THAI,
    "hmong": _HMONG,
    "dao": _DAO,
    "khomu": _KHOMU,
    "khang": _KHANG,
    "muong": _MUONG,
    "tay_nung": _TAY_NUNG,
}

# Ethnicity code (QĐ 121-TCTK/PPCĐ) to naming style; groups not listed use Kinh-style
# names, which is what most registers of mixed lowland communes show.
_STYLE_OF_ETHNICITY = {
    "01": "kinh",
    "02": "tay_nung",
    "03": "thai",
    "06": "muong",
    "07": "tay_nung",
    "08": "hmong",
    "09": "dao",
    "25": "tay_nung",
    "29": "khomu",
    "33": "khang",
    "34": "khang",
    "37": "thai",
    "39": "thai",
    "42": "thai",
}


def style_for(ethnicity: str) -> NameStyle:
    """Return the naming style of an ethnicity code (Kinh-style when unknown)."""
    return STYLES[_STYLE_OF_ETHNICITY.get(ethnicity, "kinh")]


def make_name(
    rng: Random, style: NameStyle, sex: str, family: str | None = None, *, modern: bool = False
) -> str:
    """Return a full name of ``style`` for ``sex`` (``"1"`` male, ``"2"`` female).

    ``family`` forces the family name (children take their father's); ``modern`` adds,
    for about a third of the names, a second given-name syllable.
    """
    r = rng.random
    if family is None:
        families = style.families
        family = families[int(r() * len(families))]
    if sex == "1":
        middles, given, extra = style.male_middles, style.male_given, _MODERN_MALE
    else:
        middles, given, extra = style.female_middles, style.female_given, _MODERN_FEMALE
    middle = middles[int(r() * len(middles))]
    last = given[int(r() * len(given))]
    if modern and r() < MODERN_SHARE:
        second = extra[int(r() * len(extra))]
        if second != last:
            return f"{family} {middle} {second} {last}"
    return f"{family} {middle} {last}"
