"""Numeric ethnicity codes in spreadsheets: which table, and when a number is trusted.

Two numberings of the 54 peoples are in use. The register's canonical code is the 1979
order of Quyết định 121-TCTK/PPCĐ (the libchild catalogue; the national population
database and the public-service portal use it). The statistics office's 2008 list,
Quyết định 1019/QĐ-TCTK (reproduced in QCVN 109 Phụ lục E), orders by population: the
same number names another people (04 is Hoa in 1979, Mường in 2008). A numeric code in
a spreadsheet is therefore trusted only when the file says which table it uses, or when
a name column beside it agrees under one of the two tables (:func:`resolve`).

>>> resolve("06", "Mường"), resolve("04", "Mường"), resolve("04", "Thái")
(('06', None), ('06', '2008'), (None, None))
>>> resolve("4", None, numbering="2008"), resolve("8", None, numbering="1979")
(('06', '2008'), ('08', None))
"""

from __future__ import annotations

from functools import cache

from libchild import catalog

__all__ = ["NUMBERINGS", "TABLE_2008", "numbering_in_header", "resolve"]

#: The tables a file may state: "1979" (canonical) and "2008".
NUMBERINGS = ("1979", "2008")

#: Quyết định 1019/QĐ-TCTK (2008): code -> name; names resolve through the catalogue.
TABLE_2008: dict[str, str] = {
    "01": "Kinh", "02": "Tày", "03": "Thái", "04": "Mường", "05": "Khmer", "06": "Hoa",
    "07": "Nùng", "08": "Mông", "09": "Dao", "10": "Gia Rai", "11": "Ê Đê", "12": "Ba Na",
    "13": "Sán Chay", "14": "Chăm", "15": "Cơ Ho", "16": "Xơ Đăng", "17": "Sán Dìu",
    "18": "Hrê", "19": "Raglay", "20": "Mnông", "21": "Thổ", "22": "Xtiêng",
    "23": "Khơ Mú", "24": "Bru-Vân Kiều", "25": "Cơ Tu", "26": "Giáy", "27": "Tà Ôi",
    "28": "Mạ", "29": "Giẻ-Triêng", "30": "Co", "31": "Chơ Ro", "32": "Xinh Mun",
    "33": "Hà Nhì", "34": "Chu Ru", "35": "Lào", "36": "La Chí", "37": "Kháng",
    "38": "Phù Lá", "39": "La Hủ", "40": "La Ha", "41": "Pà Thẻn", "42": "Lự",
    "43": "Ngái", "44": "Chứt", "45": "Lô Lô", "46": "Mảng", "47": "Cơ Lao", "48": "Bố Y",
    "49": "Cống", "50": "Si La", "51": "Pu Péo", "52": "Rơ Măm", "53": "Brâu", "54": "Ơ Đu",
}


def numbering_in_header(header: str) -> str | None:
    """The table a code column's header states, e.g. "Mã dân tộc (QĐ 121-TCTK 1979)".

    >>> numbering_in_header("Mã dân tộc (1979)"), numbering_in_header("Mã DT (QĐ 1019)")
    ('1979', '2008')
    >>> numbering_in_header("Mã dân tộc") is None
    True
    """
    if "1979" in header or "121" in header:
        return "1979"
    if "2008" in header or "1019" in header:
        return "2008"
    return None


@cache
def _code_of_name(name: str) -> str | None:
    found = catalog.load().ethnicities.find(name, limit=1)
    return found[0].code if found else None


@cache
def _from_2008(code: str) -> str | None:
    name = TABLE_2008.get(code)
    return _code_of_name(name) if name else None


def resolve(code: str, name: str | None, numbering: str | None = None
            ) -> tuple[str | None, str | None]:
    """The canonical (1979) code of a numeric ``code``, and the table it was read in.

    Returns ``(code, None)`` when the number is the 1979 code, ``(code, "2008")`` when
    it was converted from the 2008 table, ``(None, None)`` when it cannot be trusted (no
    stated table and no agreeing name, or a name that agrees with neither table).
    """
    code = code.zfill(2)
    if numbering == "1979":
        return code, None
    if numbering == "2008":
        converted = _from_2008(code)
        return (converted, "2008") if converted else (None, None)
    if not name:
        return None, None
    by_name = _code_of_name(name)
    if by_name is None:
        return None, None
    if by_name == code:
        return code, None
    if _from_2008(code) == by_name:
        return by_name, "2008"
    return None, None
