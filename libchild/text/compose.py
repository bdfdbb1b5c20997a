"""Vietnamese typing composition (Telex and VNI) for terminals that cannot input it.

Keys are plain ASCII; the composer turns them into Vietnamese letters as Unikey does:

Telex: ``aa`` â, ``aw`` ă, ``ee`` ê, ``oo`` ô, ``ow`` ơ, ``uw`` ư, ``uow`` ươ, ``w``
alone ư, ``dd`` đ; tones ``s`` sắc, ``f`` huyền, ``r`` hỏi, ``x`` ngã, ``j`` nặng,
``z`` removes the tone. VNI: tones ``1``-``5``, ``6`` circumflex, ``7`` horn,
``8`` breve, ``9`` đ, ``0`` removes the tone.

Free marking: a quality, tone or đ key may come anywhere later in the syllable
("tuyenre" is "tuyển", "bocos" "bốc", "dend" "đen"). The tone moves as the syllable
grows ("hoas" is "hóa", then "hoasn" "hoán") and when a letter is deleted ("loạn", then
backspace, "lọa"). qu- and gi- are onsets ("Quynhf" Quỳnh, "giuawx" giữa); the onsets
and finals of minority names keep Vietnamese marks on their vowels ("DDawks Lawks"
Đắk Lắk, "Kroong Pawcs" Krông Pắc, "HMoong" HMông). Repeating a key undoes its mark and
types the key ("aaa" aa, "cass" cas, "thuowww" thuow); that key is then a letter for the
rest of the word. A key that does not apply is typed as is, and a syllable that marks
have made impossible in Vietnamese ("tẽt", "ưin") gets its keys back as typed, so most
English and names such as "Ksor" survive.

>>> compose("Nguyeenx Vawn Anhs")
'Nguyễn Văn Ánh'
>>> compose("dduwowngf"), compose("Thij"), compose("hoaf"), compose("hoaf", modern_tones=True)
('đường', 'Thị', 'hòa', 'hoà')
>>> compose("tuyenre bocos dend Quynhf giuawx DDawks Lawks")
'tuyển bốc đen Quỳnh giữa Đắk Lắk'
>>> compose("Nguye6n4 Va8n", method="vni")
'Nguyễn Văn'
"""

from __future__ import annotations

import unicodedata

from libchild.text.syllable import (
    FINALS,
    MINORITY_FINALS,
    MINORITY_ONSETS,
    ONSETS,
    STOP_FINALS,
    fits_nucleus,
    is_vowel,
    join_letter,
    split_letter,
    tone_index,
)

__all__ = ["METHODS", "Composer", "compose"]

METHODS = ("telex", "vni")

_TELEX_TONES = {"s": 1, "f": 2, "r": 3, "x": 4, "j": 5}
_VNI_TONES = {"1": 1, "2": 2, "3": 3, "4": 4, "5": 5}
_VOWELS = frozenset("aăâeêioôơuưy")
_MARKED = frozenset("ăâêôơưđ")  # letters a key has changed (with the tone, a mark)
_ONSETS = ONSETS | MINORITY_ONSETS | {""}
_ONSET_PREFIXES = frozenset(o[:i] for o in _ONSETS for i in range(len(o) + 1))
_FINALS = FINALS | MINORITY_FINALS | {""}
_STOPS = STOP_FINALS | {"k"}  # closed by these, a syllable takes only sắc or nặng
# Open uo takes the horn on the o only after these onsets (thuở, huơ, khuơ, uở).
_UO_OPEN_ONSETS = frozenset(("", "h", "kh", "th"))
_ROOF_FAMILY = {"a": "aăâ", "e": "eê", "o": "oôơ", "": "aăeoơ"}
_ROOF = {"a": "â", "ă": "â", "e": "ê", "o": "ô", "ơ": "ô"}
_UNROOF = {"â": "a", "ê": "e", "ô": "o"}
_HOOK = {"a": "ă", "â": "ă", "o": "ơ", "ô": "ơ", "u": "ư"}
_UNHOOK = {"ă": "a", "ơ": "o", "ư": "u"}
# For each hook key: the letters it changes, in order of preference, and those it undoes.
_HOOK_TARGETS = {"w": ("aâ", "oô", "u"), "horn": ("oô", "u"), "breve": ("aâ",)}
_HOOKED = {"w": "ăơư", "horn": "ơư", "breve": "ă"}
# Longer words are typed as is: no syllable or glued minority name comes near, and
# composing costs time in the length of the word.
_LONGEST = 40


class Composer:
    """Incremental composition for a text input: feed keys one at a time.

    :attr:`word` is the word being typed (what the next key may still change),
    :attr:`text` everything typed since the last :meth:`reset`.

    >>> c = Composer()
    >>> [c.feed(k) for k in "hoasn"]
    ['h', 'ho', 'hoa', 'hóa', 'hoán']
    >>> c.backspace(), c.feed("n"), c.feed("g"), c.feed(" "), c.text
    ('hóa', 'hoán', 'hoáng', '', 'hoáng ')
    """

    def __init__(self, method: str = "telex", modern_tones: bool = False) -> None:
        if method not in METHODS:
            raise ValueError(f"unknown typing method {method!r}; use 'telex' or 'vni'")
        self.method = method
        self.modern_tones = modern_tones
        self._done: list[str] = []
        self._new_word()

    def _new_word(self) -> None:
        # The word as letters: lower-case base (with its quality mark), case, tone.
        self._base: list[str] = []
        self._upper: list[bool] = []
        self._tone: list[int] = []
        self._word = ""
        self._keys = ""  # the keys of the current word, as typed
        self._literal = False  # composition is off for the rest of the word
        self._undone = ""  # keys that undid a mark: letters for the rest of the word
        self._checked = True  # give the keys back if the syllable is not Vietnamese
        self._lone_w = -1  # index of an ư typed by a lone w (Telex)
        self._odd = False  # a letter that may need NFC (not Vietnamese, not ASCII)

    @property
    def word(self) -> str:
        """The word being typed, NFC."""
        return unicodedata.normalize("NFC", self._word) if self._odd else self._word

    @property
    def text(self) -> str:
        """All text typed since the last reset, NFC."""
        return unicodedata.normalize("NFC", "".join(self._done) + self._word)

    def reset(self) -> None:
        """Forget everything typed."""
        self._done.clear()
        self._new_word()

    def commit(self) -> str:
        """End the current word (as a space would) and return it."""
        word = self.word
        if word:
            self._done.append(word)
        self._new_word()
        return word

    def feed(self, keys: str) -> str:
        """Type ``keys`` (usually one character); return the current word."""
        for key in keys:
            self._feed(key)
        return self.word

    def backspace(self) -> str:
        """Delete the last letter; return the current word.

        The tone moves to where the shorter syllable carries it ("loạn" gives "lọa"),
        unless the deleted letter carried it. Deleting into the previous word makes it
        the current word again.
        """
        if self._base:
            had_tone = self._tone.pop()
            self._base.pop()
            self._upper.pop()
            if self._lone_w >= len(self._base):
                self._lone_w = -1
            if not had_tone and not self._literal:
                self._place_tone()
        elif self._done:
            done = "".join(self._done)[:-1]
            tail = len(done)
            while tail and done[tail - 1].isalpha():
                tail -= 1
            self._done = [done[:tail]] if tail else []
            for ch in done[tail:]:
                self._push(ch)
        self._word = self._keys = self._render()
        self._literal = False
        self._undone = ""
        self._checked = True
        return self.word

    # ------------------------------------------------------------------ internals
    def _feed(self, key: str) -> None:
        if not (key.isalpha() or (self.method == "vni" and key in "0123456789" and self._base)):
            self.commit()
            self._done.append(key)
            return
        if self._literal or len(self._base) >= _LONGEST:
            self._literal = True
            self._push(key)
            self._word += self._letter(-1)
            return
        self._keys += key
        marks = self._telex if self.method == "telex" else self._vni
        if marks(key):
            self._place_tone()
        else:
            self._push(key)
            self._join_uo()
            if not self._tone[-1]:  # a letter typed with its tone stays as typed
                self._place_tone()
        if self._checked and self._changed() and not self._is_vietnamese():
            self._restore()
        self._word = self._render()

    def _push(self, key: str) -> None:
        """Add ``key`` as a letter, as typed (a composed letter keeps its marks)."""
        base, tone = split_letter(key)
        low = base.lower()
        if len(low) != 1:
            low = base
        elif not (low.isascii() or is_vowel(low) or low == "đ"):
            self._odd = True
        self._base.append(low)
        self._upper.append(low != base)
        self._tone.append(tone)

    def _typed_back(self, key: str) -> bool:
        """A key that undid its mark: type it, and keep it a letter for this word."""
        self._push(key)
        self._undone += key.lower()
        self._checked = False  # the keyer asked for the letter: never take it back
        return True

    def _letter(self, at: int) -> str:
        tone = self._tone[at]
        letter = join_letter(self._base[at], tone) if tone else self._base[at]
        return letter.upper() if self._upper[at] else letter

    def _render(self) -> str:
        return "".join(self._letter(i) for i in range(len(self._base)))

    def _restore(self) -> None:
        """Give back the keys of the word as typed; compose no more of it."""
        keys = self._keys
        self._new_word()
        self._keys = keys
        for key in keys:
            self._push(key)
        self._literal = True

    # -- the last syllable
    def _span(self) -> tuple[int, int, int, int]:
        """Where the last syllable's onset, vowels, nucleus and final start.

        Returns ``(onset, vowels, nucleus, final)`` indices: the nucleus is the vowels
        without the u of qu- and the i of gi- (when more vowels follow); a word
        without vowels is all onset.
        """
        base = self._base
        end = len(base)
        final = end
        while final and base[final - 1] not in _VOWELS:
            final -= 1
        if not final:
            return 0, end, end, end
        vowels = final - 1
        while vowels and base[vowels - 1] in _VOWELS:
            vowels -= 1
        onset = vowels
        while onset and base[onset - 1] not in _VOWELS:
            onset -= 1
        nucleus = vowels
        if final - vowels > 1 and vowels == onset + 1 and base[onset] + base[vowels] in (
            "qu",
            "gi",
        ):
            nucleus += 1
        return onset, vowels, nucleus, final

    def _frame_ok(self, onset: int, nucleus: int, final: int) -> bool:
        """The consonants around the nucleus can frame a syllable (minority ones too).

        Only a word's first syllable has its onset checked: inside a word ("Êban") the
        consonants may end one syllable and start the next.
        """
        base = self._base
        if onset == 0 and "".join(base[:nucleus]) not in _ONSETS:
            return False
        return "".join(base[final:]) in _FINALS

    def _nucleus_ok(self, vowels: int, nucleus: int, final: int, *, closed: bool) -> bool:
        base = self._base
        letters = "".join(base[nucleus:final])
        if fits_nucleus(letters, closed=closed):
            return True
        if nucleus > vowels and base[vowels] == "u":  # quýt, Quỳnh: qu + y
            return fits_nucleus("u" + letters, closed=closed)
        return closed and letters == "y"  # y + final, as the Unikey table types "ýt"

    def _changed(self) -> bool:
        """The last syllable carries a mark or tone (typed by a key or as a letter)."""
        base, tone = self._base, self._tone
        if not any(tone) and _MARKED.isdisjoint(base):
            return False
        onset = self._span()[0]
        return any(tone[i] or base[i] in _MARKED for i in range(onset, len(base)))

    def _is_vietnamese(self) -> bool:
        """The last syllable is one that Vietnamese or a minority name can have."""
        onset, vowels, nucleus, final = self._span()
        base = self._base
        if nucleus == final:
            return "".join(base) in _ONSET_PREFIXES
        end = "".join(base[final:])
        closed = bool(end)
        if end not in _FINALS:
            if end not in _ONSET_PREFIXES:
                return False
            closed = False  # consonants that start the next syllable: "Êb" of "Êban"
        if onset == 0 and "".join(base[:nucleus]) not in _ONSETS:
            return False
        if not self._nucleus_ok(vowels, nucleus, final, closed=closed):
            return False
        tones = set(self._tone[onset:])
        return not (tones & {2, 3, 4} and end in _STOPS)

    def _place_tone(self) -> None:
        """Move the last syllable's tone to the vowel that carries it."""
        if not any(self._tone):
            return
        onset, vowels, nucleus, final = self._span()
        if nucleus == final:
            return
        tone = self._tone
        toned = [i for i in range(onset, len(tone)) if tone[i]]
        if len(toned) != 1:
            return
        at = tone_index("".join(self._base), vowels, final, modern=self.modern_tones)
        if at != toned[0]:
            tone[at], tone[toned[0]] = tone[toned[0]], 0

    def _join_uo(self) -> None:
        """ưo and uơ followed by a letter are ươ (huwou gives hươu, thuowc thươc)."""
        _, _, nucleus, final = self._span()
        base = self._base
        for i in range(nucleus, final - 1):
            if base[i] + base[i + 1] in ("ưo", "uơ") and i + 2 < len(base):
                base[i], base[i + 1] = "ư", "ơ"
                return

    # -- mark keys: each returns True when the key was used as a mark
    def _telex(self, key: str) -> bool:
        k = key.lower()
        if k in self._undone:
            return False
        if k in _TELEX_TONES:
            return self._set_tone(_TELEX_TONES[k], key)
        if k == "z":
            return self._clear_tone()
        if k in "aeo":
            return self._roof(key, k)
        if k == "w":
            return self._hook(key, "w")
        if k == "d":
            return self._stroke(key)
        return False

    def _vni(self, key: str) -> bool:
        if key in self._undone:
            return False
        if key in _VNI_TONES:
            return self._set_tone(_VNI_TONES[key], key)
        if key == "0":
            return self._clear_tone()
        if key == "6":
            return self._roof(key, "")
        if key == "7":
            return self._hook(key, "horn")
        if key == "8":
            return self._hook(key, "breve")
        if key == "9":
            return self._stroke(key)
        return False

    def _undo(self, at: int, letter: str, key: str) -> bool:
        self._base[at] = letter
        return self._typed_back(key)

    def _set_tone(self, tone: int, key: str) -> bool:
        onset, vowels, nucleus, final = self._span()
        if nucleus == final or not self._frame_ok(onset, nucleus, final):
            return False
        base, tones = self._base, self._tone
        if tone not in (1, 5) and "".join(base[final:]) in _STOPS:
            return False
        toned = [i for i in range(onset, len(tones)) if tones[i]]
        again = any(tones[i] == tone for i in toned)
        for i in toned:
            tones[i] = 0
        if again:
            return self._typed_back(key)
        tones[tone_index("".join(base), vowels, final, modern=self.modern_tones)] = tone
        return True

    def _clear_tone(self) -> bool:
        onset = self._span()[0]
        toned = [i for i in range(onset, len(self._tone)) if self._tone[i]]
        for i in toned:
            self._tone[i] = 0
        return bool(toned)

    def _roof(self, key: str, target: str) -> bool:
        """Circumflex: Telex aa ee oo (``target`` the vowel), VNI 6 (``target`` "")."""
        onset, vowels, nucleus, final = self._span()
        if nucleus == final or not self._frame_ok(onset, nucleus, final):
            return False
        base = self._base
        if target in ("o", ""):
            for i in range(nucleus, final - 1):  # ươ + o is uô, as in Unikey
                if base[i] == "ư" and base[i + 1] in "oơ":
                    base[i], base[i + 1] = "u", "ô"
                    return True
        family = _ROOF_FAMILY[target] + ("âêô" if target == "" else "")
        found = [i for i in range(nucleus, final) if base[i] in family]
        if not found:
            return False
        at = found[-1]
        old = base[at]
        if old in _UNROOF:
            return self._undo(at, _UNROOF[old], key)
        base[at] = _ROOF[old]
        if self._nucleus_ok(vowels, nucleus, final, closed=final < len(base)):
            return True
        base[at] = old
        return False

    def _hook(self, key: str, kind: str) -> bool:
        """Horn and breve: Telex w, VNI 7 (horn) and 8 (breve)."""
        onset, vowels, nucleus, final = self._span()
        if nucleus == final:
            return kind == "w" and self._lone_w_key(key)
        if not self._frame_ok(onset, nucleus, final):
            return False
        base = self._base
        if kind != "breve":
            for i in range(nucleus, final - 1):
                u, o = base[i], base[i + 1]
                if u not in "uư" or o not in "oôơ":
                    continue
                if u == "ư" and o == "ơ":
                    base[i] = "u"
                    return self._undo(i + 1, "o", key)
                opening = "".join(base[onset:nucleus])
                if u == "u" and o != "ơ" and i + 2 == len(base) and opening in _UO_OPEN_ONSETS:
                    base[i + 1] = "ơ"
                else:
                    base[i], base[i + 1] = "ư", "ơ"
                return True
            if final - nucleus == 2 and base[nucleus] + base[nucleus + 1] == "ua":
                base[nucleus] = "ư"  # mưa, cửa (after q the u is the onset's: quă)
                return True
        for letters in _HOOK_TARGETS[kind]:
            found = [i for i in range(nucleus, final) if base[i] in letters]
            if not found:
                continue
            at = found[0] if letters == "u" else found[-1]
            old = base[at]
            base[at] = _HOOK[old]
            if self._nucleus_ok(vowels, nucleus, final, closed=final < len(base)):
                return True
            base[at] = old
        hooked = [i for i in range(nucleus, final) if base[i] in _HOOKED[kind]]
        if not hooked:
            return False
        at = hooked[-1]
        if at == self._lone_w:
            return self._undo_lone_w(at, key)
        return self._undo(at, _UNHOOK[base[at]], key)

    def _lone_w_key(self, key: str) -> bool:
        """Telex w with no vowel to change: ư after an onset or alone (tw is tư)."""
        if "".join(self._base) not in _ONSETS:
            return False
        self._lone_w = len(self._base)
        self._push("Ư" if key.isupper() else "ư")
        return True

    def _undo_lone_w(self, at: int, key: str) -> bool:
        """w again over a lone-w ư: right after it the two give one w (ww is w, as in
        Unikey); later, the keys come back as typed (wiw is wiw)."""
        if at == len(self._base) - 1:
            del self._base[at], self._upper[at], self._tone[at]
        else:
            self._base[at] = "w"
            self._tone[at] = 0
        self._lone_w = -1
        return self._typed_back(key)

    def _stroke(self, key: str) -> bool:
        """Telex d, VNI 9: the syllable's first d becomes đ (again: undone)."""
        onset = self._span()[0]
        base = self._base
        if onset >= len(base):
            return False
        if base[onset] == "d":
            base[onset] = "đ"
            return True
        if base[onset] == "đ":
            return self._undo(onset, "d", key)
        return False


def compose(keys: str, method: str = "telex", modern_tones: bool = False) -> str:
    """Return the NFC text that typing ``keys`` with ``method`` produces.

    ``method`` is ``"telex"`` or ``"vni"``; ``modern_tones`` puts the tone of open
    oa, oe, uy on the second vowel ("hoà", "khoẻ", "thuý") instead of the first.
    """
    composer = Composer(method, modern_tones)
    composer.feed(keys)
    return composer.text
