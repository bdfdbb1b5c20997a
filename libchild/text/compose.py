"""Vietnamese typing composition (Telex and VNI) for terminals that cannot input it.

Keys are plain ASCII; the composer turns them into Vietnamese letters as Unikey does:

Telex: ``aa`` â, ``aw`` ă, ``ee`` ê, ``oo`` ô, ``ow`` ơ, ``uw`` ư, ``uow`` ươ, ``w``
alone ư, ``dd`` đ; tones ``s`` sắc, ``f`` huyền, ``r`` hỏi, ``x`` ngã, ``j`` nặng,
``z`` removes the tone. VNI: tones ``1``-``5``, ``6`` circumflex, ``7`` horn,
``8`` breve, ``9`` đ, ``0`` removes the tone.

The tone may be typed anywhere after the vowel and moves as the word grows
("hoas" is "hóa", then "hoasn" is "hoán"). Repeating a key undoes it and types the
key itself ("aaa" gives "aa", "cass" gives "cas"); the rest of that word is then
typed as is. A key that does not apply is typed as is, so most English survives.

>>> compose("Nguyeenx Vawn Anhs")
'Nguyễn Văn Ánh'
>>> compose("dduwowngf"), compose("Thij"), compose("hoaf"), compose("hoaf", modern_tones=True)
('đường', 'Thị', 'hòa', 'hoà')
>>> compose("Nguye6n4 Va8n", method="vni")
'Nguyễn Văn'
"""

from __future__ import annotations

import unicodedata

from libchild.text.syllable import (
    FINALS,
    ONSETS,
    STOP_FINALS,
    is_syllable,
    join_letter,
    split_letter,
    tone_index,
)

__all__ = ["METHODS", "Composer", "compose"]

METHODS = ("telex", "vni")

_TELEX_TONES = {"s": 1, "f": 2, "r": 3, "x": 4, "j": 5}
_VNI_TONES = {"1": 1, "2": 2, "3": 3, "4": 4, "5": 5}
_VOWELS = frozenset("aăâeêioôơuưy")
_ONSETS = ONSETS | {""}
_FINALS = FINALS | {""}
_CIRCUMFLEX = {"a": "â", "e": "ê", "o": "ô", "ă": "â", "ơ": "ô"}
_W_MARK = {"a": "ă", "â": "ă", "o": "ơ", "u": "ư"}
_PLAIN = {"â": "a", "ê": "e", "ô": "o", "ă": "a", "ơ": "o", "ư": "u"}


def _recase(letter: str, like: str) -> str:
    """``letter`` in the case of ``like``."""
    return letter.upper() if like.isupper() else letter


class _Word:
    """A word split into toneless letters (case kept) and one tone."""

    __slots__ = ("bases", "tone", "tone_at")

    def __init__(self, text: str) -> None:
        self.bases: list[str] = []
        self.tone = 0
        self.tone_at = -1
        for i, ch in enumerate(text):
            base, tone = split_letter(ch)
            if tone:
                self.tone, self.tone_at = tone, i
            self.bases.append(base)

    @property
    def lower(self) -> str:
        return "".join(self.bases).lower()

    def runs(self) -> list[tuple[int, int]]:
        """Vowel runs as ``(start, end)`` index pairs."""
        out: list[tuple[int, int]] = []
        start = None
        for i, ch in enumerate(self.lower):
            if ch in _VOWELS:
                if start is None:
                    start = i
            elif start is not None:
                out.append((start, i))
                start = None
        if start is not None:
            out.append((start, len(self.bases)))
        return out

    def render(self, tone: int, run: tuple[int, int] | None, modern: bool) -> str:
        letters = list(self.bases)
        if tone and run is not None:
            low = self.lower
            # The tone belongs to the syllable of this run: consonants up to the next run.
            end_word = next((s for s, _ in self.runs() if s > run[0]), len(low))
            pos = tone_index(low[:end_word], run[0], run[1], modern=modern)
            letters[pos] = join_letter(letters[pos], tone)
        return "".join(letters)


class Composer:
    """Incremental composition for a text input: feed keys one at a time.

    :attr:`word` is the word being typed (what the next key may still change),
    :attr:`text` everything typed since the last :meth:`reset`.

    >>> c = Composer()
    >>> [c.feed(k) for k in "hoasn"]
    ['h', 'ho', 'hoa', 'hóa', 'hoán']
    >>> c.backspace(), c.feed("g"), c.feed(" "), c.text
    ('hoá', 'hoág', '', 'hoág ')
    """

    def __init__(self, method: str = "telex", modern_tones: bool = False) -> None:
        if method not in METHODS:
            raise ValueError(f"unknown typing method {method!r}; use 'telex' or 'vni'")
        self.method = method
        self.modern_tones = modern_tones
        self._done: list[str] = []
        self._word = ""
        self._raw = ""  # the keys of the current word, as typed
        self._literal = False
        self._lone_w = -1  # index of an ư typed by a lone w (Telex), undone to "w"

    @property
    def word(self) -> str:
        """The word being typed, NFC."""
        return self._word

    @property
    def text(self) -> str:
        """All text typed since the last reset, NFC."""
        return unicodedata.normalize("NFC", "".join(self._done) + self._word)

    def reset(self) -> None:
        """Forget everything typed."""
        self._done.clear()
        self._word = ""
        self._raw = ""
        self._literal = False
        self._lone_w = -1

    def commit(self) -> str:
        """End the current word (as a space would) and return it."""
        word = self._word
        if word:
            self._done.append(word)
        self._word = ""
        self._raw = ""
        self._literal = False
        self._lone_w = -1
        return word

    def feed(self, keys: str) -> str:
        """Type ``keys`` (usually one character); return the current word."""
        for key in keys:
            self._feed(key)
        return self._word

    def backspace(self) -> str:
        """Delete the last character typed; return the current word.

        Deleting into the previous word makes it the current word again.
        """
        if self._word:
            self._word = self._word[:-1]
        elif self._done:
            done = "".join(self._done)[:-1]
            tail = len(done)
            while tail and done[tail - 1].isalpha():
                tail -= 1
            self._done = [done[:tail]] if tail else []
            self._word = done[tail:]
        self._raw = self._word
        self._literal = False
        if self._lone_w >= len(self._word):
            self._lone_w = -1
        return self._word

    # ------------------------------------------------------------------ internals
    def _is_word_key(self, key: str) -> bool:
        if key.isalpha():
            return True
        return self.method == "vni" and key in "0123456789" and bool(self._word)

    def _feed(self, key: str) -> None:
        if not self._is_word_key(key):
            self.commit()
            self._done.append(key)
            return
        self._raw += key
        if self._literal:
            self._word += key
            return
        new = self._telex(key) if self.method == "telex" else self._vni(key)
        if new is None:
            new = self._append(key)
        if not self._literal and new != self._raw and self._not_vietnamese(new):
            # Composition made a one-syllable word that Vietnamese cannot have
            # ("tẽt", "snơ"): give back the keys as typed (English survives).
            new = self._raw
            self._literal = True
        self._word = new

    @staticmethod
    def _not_vietnamese(word: str) -> bool:
        """True for a word with one vowel run that is no Vietnamese syllable (prefix)."""
        runs = _Word(word).runs()
        return len(runs) == 1 and word.isalpha() and not is_syllable(word, partial=True)

    def _append(self, key: str) -> str:
        word = _Word(self._word + key)
        low = word.lower
        if low.endswith("uơ" + key.lower()) and not low.endswith("quơ" + key.lower()):
            word.bases[-3] = _recase("ư", word.bases[-3])  # uơ + n/i/u... is ươ
        elif not word.tone:
            return self._word + key
        return self._rerender(word)

    def _undo(self, restored: str, key: str) -> str:
        self._literal = True
        return restored + key

    # -- tones
    def _tone(self, tone: int, key: str) -> str | None:
        word = _Word(self._word)
        runs = word.runs()
        if not runs:
            return None
        if word.tone == tone:
            return self._undo(word.render(0, None, False), key)
        start, end = runs[-1]
        low = word.lower
        onset, final = low[:start], low[end:]
        if onset not in _ONSETS and not (onset == "q" and low[start] == "u"):
            return None  # not a Vietnamese syllable: type the key as is
        if final not in _FINALS:
            return None
        if final in STOP_FINALS and tone not in (1, 5):
            return None
        return word.render(tone, runs[-1], self.modern_tones)

    def _untone(self) -> str | None:
        word = _Word(self._word)
        if not word.tone:
            return None
        return word.render(0, None, False)

    def _rerender(self, word: _Word) -> str:
        if not word.tone:
            return "".join(word.bases)
        run = next((r for r in word.runs() if r[0] <= word.tone_at < r[1]), None)
        return word.render(word.tone, run, self.modern_tones)

    # -- quality marks
    def _set(self, word: _Word, changes: dict[int, str]) -> str:
        for i, lower in changes.items():
            word.bases[i] = _recase(lower, word.bases[i])
        return self._rerender(word)

    def _circumflex_last(self, key: str) -> str | None:
        """Telex aa, ee, oo: the letter just typed gets a circumflex."""
        if not self._word:
            return None
        word = _Word(self._word)
        last = word.bases[-1].lower()
        k = key.lower()
        if last == k or (k == "a" and last == "ă") or (k == "o" and last == "ơ"):
            return self._set(word, {len(word.bases) - 1: _CIRCUMFLEX[last]})
        if last == _CIRCUMFLEX[k]:
            word.bases[-1] = _recase(k, word.bases[-1])
            return self._undo(self._rerender(word), key)
        return None

    def _quality(self, kind: str, key: str, *, at_end: bool) -> str | None:
        """Circumflex (6), horn (7, w), breve (8, w) on the last vowel run.

        ``at_end``: the run must end the word or be followed by a final consonant
        only (Telex w, so that English words keep their w).
        """
        word = _Word(self._word)
        runs = word.runs()
        if not runs:
            return None
        start, end = runs[-1]
        low = word.lower
        if at_end and low[end:] not in _FINALS:
            return None
        run = low[start:end]
        for i in range(len(run) - 1):
            if kind in ("horn", "w") and run[i] in "uư" and run[i + 1] in "oôơ":
                if run[i : i + 2] == "ươ":
                    break
                if run[i : i + 2] == "uơ":
                    return self._undo(self._set(word, {start + i + 1: "o"}), key)
                if start + i + 2 == len(low) and run[i] == "u":
                    # ươ needs a final or i/u after it; open it is uơ (thuở, huơ),
                    # made ươ by the next letter (nguowi gives ngươi).
                    return self._set(word, {start + i + 1: "ơ"})
                return self._set(word, {start + i: "ư", start + i + 1: "ơ"})
        targets = {
            "circumflex": "aeoăơ",
            "horn": "ou",
            "breve": "aâ",
            "w": "aâou",
        }[kind]
        done = {"circumflex": "âêô", "horn": "ơư", "breve": "ă", "w": "ăơư"}[kind]
        candidates = [i for i, ch in enumerate(run) if ch in targets]
        if kind in ("w", "horn") and ("ư" in run or "ơ" in run):
            candidates = [i for i in candidates if run[i] in "aâ"]  # ưu + w is not ưư
        if kind == "w" and candidates:
            a = [i for i in candidates if run[i] in "aâ"]
            if run == "ua" and not low[:start].endswith("q"):
                return self._set(word, {start: "ư"})
            o = [i for i in candidates if run[i] == "o"]
            pick = a[-1] if a else o[-1] if o else candidates[0]
            return self._set(word, {start + pick: _W_MARK[run[pick]]})
        if kind == "horn" and candidates:
            o = [i for i in candidates if run[i] == "o"]
            pick = o[-1] if o else candidates[0]
            return self._set(word, {start + pick: {"o": "ơ", "u": "ư"}[run[pick]]})
        if candidates:
            pick = candidates[-1]
            mark = _CIRCUMFLEX if kind == "circumflex" else {"a": "ă", "â": "ă"}
            return self._set(word, {start + pick: mark[run[pick]]})
        marked = [i for i, ch in enumerate(run) if ch in done]
        if not marked:
            return None
        if kind == "w" and self._lone_w in (start + i for i in marked):
            del word.bases[self._lone_w]
            self._lone_w = -1
            return self._undo(self._rerender(word), key)
        return self._undo(self._set(word, {start + i: _PLAIN[run[i]] for i in marked}), key)

    def _lone_w_key(self, key: str) -> str | None:
        """Telex w with no vowel to change: ư after a consonant onset (tw = tư)."""
        low = self._word.lower()
        if low not in _ONSETS:
            return None
        self._lone_w = len(self._word)
        return self._rerender(_Word(self._word)) + ("Ư" if key.isupper() else "ư")

    def _dd(self, key: str) -> str | None:
        if self._word in ("d", "D"):
            return "đ" if self._word == "d" else "Đ"
        if self._word in ("đ", "Đ"):
            return self._undo("d" if self._word == "đ" else "D", key)
        return None

    def _stroke_d(self, key: str) -> str | None:
        """VNI 9: the word's first d becomes đ (again: undo)."""
        first = self._word[:1]
        if first in ("d", "D"):
            return ("đ" if first == "d" else "Đ") + self._word[1:]
        if first in ("đ", "Đ"):
            return self._undo(("d" if first == "đ" else "D") + self._word[1:], key)
        return None

    # -- methods
    def _telex(self, key: str) -> str | None:
        k = key.lower()
        if k in _TELEX_TONES:
            return self._tone(_TELEX_TONES[k], key)
        if k == "z":
            return self._untone()
        if k in "aeo":
            return self._circumflex_last(key)
        if k == "w":
            out = self._quality("w", key, at_end=True)  # after the vowels or a final
            return out if out is not None else self._lone_w_key(key)
        if k == "d":
            return self._dd(key)
        return None

    def _vni(self, key: str) -> str | None:
        if key in _VNI_TONES:
            return self._tone(_VNI_TONES[key], key)
        if key == "0":
            return self._untone()
        if key == "6":
            return self._quality("circumflex", key, at_end=False)
        if key == "7":
            return self._quality("horn", key, at_end=False)
        if key == "8":
            return self._quality("breve", key, at_end=False)
        if key == "9":
            return self._stroke_d(key)
        return None


def compose(keys: str, method: str = "telex", modern_tones: bool = False) -> str:
    """Return the NFC text that typing ``keys`` with ``method`` produces.

    ``method`` is ``"telex"`` or ``"vni"``; ``modern_tones`` puts the tone of open
    oa, oe, uy on the second vowel ("hoà", "khoẻ", "thuý") instead of the first.
    """
    composer = Composer(method, modern_tones)
    composer.feed(keys)
    return composer.text
