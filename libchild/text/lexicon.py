"""The Vietnamese syllable table and the syllables of personal names.

What a word can be, for the legacy-encoding scorer (:mod:`libchild.text.legacy`): a
syllable of Vietnamese as the national orthography writes it (onset, rhyme, tone, with
the spelling rules c/k/q, g/gh, ng/ngh and the rule that syllables closed by p, t, c, ch
carry only the sắc or nặng tone), a syllable of a minority language written in
Vietnamese letters (consonant clusters such as kr, ml, bd; finals k, l, r; several
syllables in one word, "Êban", "Adrơng"), or a syllable that names are made of, with
how common it is in names.

>>> syllable_kind("nguyễn"), syllable_kind("Ksor"), syllable_kind("Êban"), syllable_kind("xoong")
(2, 1, 1, 1)
>>> syllable_kind("lôc"), syllable_kind("kinh"), syllable_kind("cinh"), syllable_kind("Ngäc")
(1, 2, 1, 0)
>>> name_rank("Thị"), name_rank("hòa") == name_rank("hoà"), name_rank("thò")
(1, True, None)

The rhyme inventory follows the standard description of the Vietnamese syllable
(Đoàn Thiện Thuật, *Ngữ âm tiếng Việt*, 1977: onset, medial, nucleus, coda, tone) as
the orthography of Quyết định 240/QĐ (1984) and Thông tư 30/2014/TT-BGDĐT spell it.
The name syllables are the family, middle and given names of the Kinh and of the
larger minority groups as registers write them; the rank is a coarse frequency
class, not a count.
"""

from __future__ import annotations

import functools
import re
import unicodedata

__all__ = ["MINORITY", "VIETNAMESE", "name_rank", "split_tone", "syllable_kind"]

#: :func:`syllable_kind` results.
NOT_A_SYLLABLE, MINORITY, VIETNAMESE = 0, 1, 2

_TONE_MARKS = {"\u0301": 1, "\u0300": 2, "\u0309": 3, "\u0303": 4, "\u0323": 5}
_VOWELS = "aăâeêioôơuưy"

# Every lower-case letter with a tone -> (toneless letter, tone 1-5).
_TONED: dict[str, tuple[str, int]] = {}
for _base in _VOWELS:
    for _mark, _tone in _TONE_MARKS.items():
        _TONED[unicodedata.normalize("NFC", _base + _mark)] = (_base, _tone)
_STRIP_TONE = str.maketrans({k: v[0] for k, v in _TONED.items()})


def split_tone(word: str) -> tuple[str, int, int] | None:
    """Return ``(toneless lower-case word, tone, index of the toned letter)``.

    Tone 0 (none) has index -1; None when the word carries two tones.

    >>> split_tone("Hoà"), split_tone("hòa"), split_tone("an")
    (('hoa', 2, 2), ('hoa', 2, 1), ('an', 0, -1))
    """
    lower = word.lower()
    base = lower.translate(_STRIP_TONE)
    if base == lower:
        return base, 0, -1
    tone, at = 0, -1
    for i, (a, b) in enumerate(zip(lower, base, strict=True)):
        if a != b:
            if tone:
                return None
            tone, at = _TONED[a][1], i
    return base, tone, at


def _words(text: str) -> list[str]:
    return text.split()


# --- the Vietnamese syllable ---------------------------------------------------------------
_ONSETS = frozenset((
    "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng", "ngh",
    "nh", "p", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x",
))
_FRONT = "ieêy"  # k, gh, ngh only before these; c, g, ng never

# Rhymes (medial + nucleus + coda) as written, toneless. "y" spellings of "i" are
# listed where the orthography uses them (mỹ, kỳ, yên, khuya, quýt).
_OPEN_RHYMES = _words(
    "a e ê i y o ô ơ u ư ai ao au ay âu ây eo êu ia iu oi ôi ơi ua ui ưa ưi ưu iêu yêu "
    "ươi ươu uôi oa oe uê uy uơ oai oay oao oeo uây uya uyu"
)
_CLOSED_RHYMES = _words(
    "ac ach am an ang anh ap at ăc ăm ăn ăng ăp ăt âc âm ân âng âp ât ec em en eng ep et "
    "êch êm ên ênh êp êt ich im in inh ip it ych ynh yt oc om on ong op ot ooc oong ôc ôm "
    "ôn ông ôp ôt ơm ơn ơp ơt uc um un ung up ut ưc ưm ưn ưng ưt iêc iêm iên iêng iêp iêt "
    "yêm yên yêng yêt oac oach oam oan oang oanh oap oat oăc oăm oăn oăng oăt oem oen oeng "
    "oet uân uâng uât uêch uênh uôc uôm uôn uông uôt ươc ươm ươn ương ươp ươt uych uyn "
    "uynh uyp uyt uyên uyêt"
)
# Rhymes of a handful of loanwords and sound words only (xoong, moóc, xoèn xoẹt): read
# as the rarer kind, beside the spellings of minority names.
_RARE_RHYMES = frozenset(_words("ooc oong oem oeng oen oet uych uyp uâng oăc oăm oap uênh uêch"))
_STOPS = ("c", "ch", "p", "t")
# rhyme -> closed by a stop (p, t, c, ch): only sắc and nặng.
_RHYMES: dict[str, bool] = {r: False for r in _OPEN_RHYMES}
_RHYMES.update({r: r.endswith(_STOPS) for r in _CLOSED_RHYMES})
_QUALITY = frozenset("ăâêôơư")
_MODERN_SECOND = frozenset(("oa", "oe", "uy"))


def _tone_places(rhyme: str) -> tuple[int, ...]:
    """Where the tone may sit in ``rhyme``: the traditional and the modern place."""
    vowels = [i for i, c in enumerate(rhyme) if c in _VOWELS]
    first, last = vowels[0], vowels[-1]
    cluster = rhyme[first : last + 1]
    marked = [i for i in vowels if rhyme[i] in _QUALITY]
    if marked:
        return (marked[-1],)
    if last + 1 < len(rhyme):  # a coda follows: the last vowel
        return (last,)
    if len(cluster) == 1:
        return (first,)
    if len(cluster) == 3:
        return (first + 1,)
    if cluster in _MODERN_SECOND:
        return (first, first + 1)
    return (first,)


_PLACES = {r: _tone_places(r) for r in _RHYMES}


def _rhyme_ok(rhyme: str, tone: int, at: int) -> bool:
    """``at`` is the tone's index inside ``rhyme`` (-1 for none)."""
    stop = _RHYMES.get(rhyme)
    if stop is None or rhyme in _RARE_RHYMES:
        return False
    if stop and tone not in (1, 5):
        return False  # p, t, c, ch close only sắc and nặng syllables
    return at < 0 or at in _PLACES[rhyme]


def _vietnamese(base: str, tone: int, at: int) -> bool:
    """True for a syllable of the Vietnamese orthography (toneless ``base``)."""
    for size in (3, 2, 1, 0):
        onset = base[:size]
        if size and onset not in _ONSETS:
            continue
        rhyme = base[size:]
        if onset == "gi" and (not rhyme or rhyme[0] not in _VOWELS):
            # gì, gìn, gịt: the i of gi is the vowel
            if _rhyme_ok("i" + rhyme, tone, at - 1 if at >= 0 else -1):
                return True
            continue
        if not rhyme:
            continue
        first = rhyme[0]
        if onset in ("k", "gh", "ngh") and first not in _FRONT:
            continue
        if onset in ("c", "g", "ng") and first in _FRONT:
            continue
        if onset == "qu" and first == "u":
            continue
        candidates = [rhyme]
        if onset == "gi" and first in "êe":
            candidates.append("i" + rhyme)  # giêng = gi + iêng
        for cand in candidates:
            shift = len(cand) - len(rhyme)
            if _rhyme_ok(cand, tone, at - size + shift if at >= 0 else -1):
                return True
    return False


# --- minority languages written in Vietnamese letters -----------------------------------
# Nuclei: the vowel groups of the rhymes above, also written without their marks
# ("uo", "ie"), which minority spellings and unaccented text use.
_NUCLEI = {re.sub("[^aăâeêioôơuưy]", "", r) for r in _RHYMES}
_NUCLEI |= {n.translate(str.maketrans("ăâêôơư", "aaeoou")) for n in _NUCLEI}
_NUCLEI |= {"yu", "iă", "yă", "uă"}  # Ê Đê and Gia Rai spellings: Dhiă, Byă
_NUCLEUS = "(?:" + "|".join(sorted(_NUCLEI, key=len, reverse=True)) + ")"
_CODA = "(?:ch|ng|nh|[cmnptklrsh])?"
# One to three syllables; the second and third start with a consonant (Ê-ban, A-drơng).
_LOOSE = re.compile(
    f"[bcdđfghjklmnpqrstvwxyz]{{0,3}}{_NUCLEUS}{_CODA}"
    f"(?:[bcdđfghjklmnpqrstvwxyz]{{1,3}}{_NUCLEUS}{_CODA}){{0,2}}"
)


@functools.lru_cache(maxsize=8192)
def syllable_kind(word: str) -> int:
    """How ``word`` (NFC, any case) reads as a syllable.

    :data:`VIETNAMESE` (2) for a syllable of the national orthography, with or without
    its marks ("nguyễn", "nguyen"); :data:`MINORITY` (1) for a word a minority name can
    be ("Ksor", "Mlô", "Êban", "Hđơk"), a Vietnamese spelling that breaks a rule
    ("lôc", no tone on a closed syllable) or a rhyme of loanwords only ("xoong");
    :data:`NOT_A_SYLLABLE` (0) otherwise.
    """
    split = split_tone(word)
    if split is None:
        return NOT_A_SYLLABLE
    base, tone, at = split
    if tone == 0 and base.isascii() and _vietnamese_plain(base):
        return VIETNAMESE
    if _vietnamese(base, tone, at):
        return VIETNAMESE
    if _LOOSE.fullmatch(base) is not None:
        return MINORITY
    return NOT_A_SYLLABLE


def _vietnamese_plain(base: str) -> bool:
    """An unaccented spelling ("nguyen", "viet"): any tone could have been dropped."""
    return _vietnamese(base, 1, -1)


# --- the syllables of names ----------------------------------------------------------------
# Rank 1: the commonest (family names borne by most people, the middle names Văn and
# Thị, the given names of every generation); 2: common; 3: less common, including the
# family and given names of the larger minority groups (Tày, Thái, Mường, Khmer,
# H'Mông, Nùng, Dao, Gia Rai, Ê Đê, Ba Na, Xơ Đăng, Sán Chay, Chăm, Cơ Ho, Khơ Mú...).
_RANK_1 = """
nguyễn trần lê phạm hoàng huỳnh phan vũ võ đặng bùi đỗ hồ ngô dương lý đinh văn thị
anh minh ngọc thanh thu hương linh hà hoa lan mai hùng dũng tuấn nam hải long sơn
phương thảo trang huy đức quang hồng kim xuân hữu thúy hằng thị lò
"""
_RANK_2 = """
trương lương trịnh đào cao lâm tạ tô từ la lã lục đoàn vương kiều châu quách tăng thái
mạc lưu triệu doãn khổng khúc kha giang chu chung diệp đàm đồng hứa lạc mã nghiêm
ninh nhâm phí phó phùng quan tôn tống thạch thân tiêu trà vi viên lường quàng cầm tòng
điêu giàng sùng vàng thào mùa lầu hờ nông bế ma sầm lộc bàn hầu âu ông cù cung đậu
đồ hàn hạ khương kiều lạng lều lỳ mẫn nhữ ông phương quảng tiết trình uông ưng vưu
an bảo bích bình chi chính cúc cường danh diệu dung duy duyên đại đan đạt điệp định
đông gia hạnh hân hậu hiền hiếu hiệp hòa hoài hoan hoàn học huệ hưng huyền khải
khang khánh khoa khôi khuê kiên kiệt lệ liên liễu loan lợi luân lực ly mạnh my mỹ
nga ngân nghĩa nguyên nhàn nhân nhật nhi nhiên nhung như oanh phát phong phú phúc
phượng quân quế quốc quý quyên quyết quỳnh sang sinh tài tâm tân thắm thắng thành
thịnh thơ thơm thông thư thương thủy tiên tiến tín toàn toản trâm trí triều trinh
trọng trung trúc tú tùng tuyết tường uyên vân việt vinh vĩnh vy yên yến ánh ân cảnh
công diễm dịu hào hiển hợp khiêm lành mẫn miên mơ nương phi phụng quyền sáng sương
tấn thiện thoa thuận thục thùy tịnh tuệ tuyền ý hiên cát chiến kỳ mến tuân tiệp
bằng cần chánh chiêu dân dạ diệu dũng đăng đảm đình độ giao hạnh hiệu hoá hoà huân
hùng hương kha khang khắc khiết khuyên kiều lam lăng lễ liêm lĩnh lịch loan luận lưu
mạnh mĩ mỹ nam ngà nghi nguyệt nhạn nhã nhất nhẫn nhu ninh phước phúc phùng phượng
quyên sa sĩ sỹ tài tạo thạch thái thăng thanh thảo thế thi thiên thiện thìn thoại
thông thuần thục thuyên thư tiền toại trà trác trang trầm triết trinh trọng trường
tư tường uy vĩ vọng vượng xinh yên hải luyến nhiệm ngát tươi thắm mây
"""
_RANK_3 = """
lù cà vì bạc mè sa khoàng lự tao quảng lềm hoàng mùi mào mường xa quách lục lương
chảo tẩn sần phàn chíu lìu lưu phùng lô đặng triệu bàn ly tráng hạng cứ mua vừ chá chư
chứ sểnh sếnh dế của lồng pó chông sử nủ khua tồng dùa nhìa sình xá lềnh cháng giống
mỷ trư sùa dê di hảng khai lừ nếnh phừ say vảng xìa chinh dủa páo lử tủa dình thề
pà dở xua dua chò máy sua dợ mỉ pằng vá sống nhè súa dênh mái bầu cở dinh mao nụ
pàng sy vư kia lia sấy tàng chang dính lầu seo sèo chẩu làu
panh hặc khằm ban thoong xôm ngoan lả piêng doan ún pọm tính thượng inh phanh đôi
ương bun lún thiêm hom siêng toán xiển pấng cặp ỏn khiêng ón xoan phăn ọn lịnh ươi
xim pâng cúc mỷ ngần lụa ơn xiêm sim quý tòng ngoãn chăn kẻo dón khăm dọn pọ xiêng
oi hiên khiên ên thoan pẩu bương phiêng ịa xẻo ích chia tằng thuấn vịnh pảo nhài
tuân khởi ngát thơm nông ma ninh bế đàm triệu hoàng mông lộc lục hà la mạc
phin chiêm tòn quẩy chòi kiềm phủ vần chản sài dín mẩy dùng liều nhần phấy dào
niê êban mlô ayun adrơng byă kbuôr hwing knul ktla ksor siu kpă nay rah lan puih
rcom kpuih rơ mah châm chăm blúi bia hen moan blang ênuôl bdap thép kông jút kdăm
y xuân phú nie êya buôn yă hđơk mđrang bkrông alê
đinh a y hmok hiu byă ksơr rmah rơchăm nay siu
thạch danh sơn kim lâm chau néang sóc khanh sa ri phol phia sà xà thị
đàng năng thọ thông quảng đại tuyên từ lưu chế bá lộ nguyễn trượng
alăng zơ râm pơloong ating briu clâu
"""


def _rank_key(word: str) -> tuple[str, int] | None:
    split = split_tone(word)
    return None if split is None else (split[0], split[1])


_RANKS: dict[tuple[str, int], int] = {}
for _rank, _list in ((3, _RANK_3), (2, _RANK_2), (1, _RANK_1)):
    for _word in _words(_list):
        _key = _rank_key(unicodedata.normalize("NFC", _word))
        if _key is not None:
            _RANKS[_key] = _rank  # the commonest class wins: listed last


def name_rank(word: str) -> int | None:
    """1 (commonest) to 3 when ``word`` is a syllable names are made of, else None.

    Case and tone placement do not matter ("HÒA", "hoà").
    """
    key = _rank_key(word)
    return None if key is None else _RANKS.get(key)
