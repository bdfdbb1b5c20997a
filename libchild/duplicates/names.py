"""How two children's names compare: equal, diacritics only, a spelling variant, one typo.

Names are compared on three keys, each computed once per distinct name:

* the **exact key**: lower case, NFC, apostrophes and hyphens removed, spaces
  collapsed (diacritics kept);
* the **folded key** (:func:`libchild.text.fold`): no diacritics either;
* the **spelled key**: the folded words with the spellings that writers of minority
  names use interchangeably made one: ``gi`` and ``d`` at the start of a word
  (Giàng/Dàng), ``tr`` and ``ch`` (Tráng/Cháng), ``s`` and ``x`` (Sùng/Xùng),
  ``ngh`` and ``ng``, and ``y`` and ``i`` (Ly/Li, Vy/Vi);

and the **sound key**, the spelled key without the middle words that many entries
leave out (``A``, ``Seo``, ``Mí`` of HMông names; ``Văn``, ``Thị``): Vàng A Páo and Vàng
Páo share it. The sound key is the blocking key of the name; the relation of two
names is one of :data:`NAME_RELATIONS`.

>>> spelled("Giàng A Sử"), sound_key("Giàng A Sử"), sound_key("Dàng Sử")
('dang a xu', 'dang xu', 'dang xu')
>>> relation(NameKeys.of("Vàng A Páo"), NameKeys.of("Vàng Páo"))
'spelling'
>>> relation(NameKeys.of("Nguyễn Văn An"), NameKeys.of("Nguyễn Văn Anh"))
'typo_given'
"""

from __future__ import annotations

import unicodedata

import attrs

from libchild.text.fold import fold

__all__ = [
    "ALIKE_PERSON",
    "FILLER_WORDS",
    "NAME_RELATIONS",
    "OTHER_PERSON",
    "SAME_PERSON",
    "NameKeys",
    "exact_key",
    "one_typo",
    "person_link",
    "relation",
    "sound_key",
    "spelled",
]

#: Relations of two names, strongest first (``missing``: either name is absent).
NAME_RELATIONS = ("exact", "diacritics", "spelling", "typo_given", "typo_other", "other",
                  "missing")

#: Middle words that a second entry often leaves out or adds (folded).
FILLER_WORDS = frozenset({"a", "seo", "mi", "van", "thi"})

# Apostrophes and hyphens, removed as fold() removes them.
_PUNCT = {ord(c): None for c in "'’‘`´-‐‑‒–—ʼ"}


def exact_key(name: str) -> str:
    """Case-, spacing- and punctuation-insensitive form that keeps the diacritics."""
    lowered = unicodedata.normalize("NFC", name).lower().translate(_PUNCT)
    return " ".join(lowered.split())


def _spell_word(word: str) -> str:
    if word.startswith("gi"):
        rest = word[2:]
        word = "d" + (rest if rest and rest[0] in "aeiouy" else "i" + rest)
    elif word.startswith("tr"):
        word = "ch" + word[2:]
    elif word.startswith("ngh"):
        word = "ng" + word[3:]
    elif word.startswith("s"):
        word = "x" + word[1:]
    return word.replace("y", "i")


_FILLERS_SPELLED = frozenset(_spell_word(w) for w in FILLER_WORDS)


def _spelled_words(folded: str) -> tuple[str, ...]:
    return tuple(_spell_word(w) for w in folded.split(" ") if w)


def spelled(name: str) -> str:
    """Return the spelled key of ``name`` (see the module docstring)."""
    return " ".join(_spelled_words(fold(name)))


def _without_fillers(words: tuple[str, ...]) -> tuple[str, ...]:
    if len(words) <= 2:
        return words
    middle = [w for w in words[1:-1] if w not in _FILLERS_SPELLED]
    return (words[0], *middle, words[-1])


def sound_key(name: str) -> str:
    """Return the blocking key of ``name``: spelled, middle filler words left out."""
    return " ".join(_without_fillers(_spelled_words(fold(name))))


@attrs.frozen(slots=True)
class NameKeys:
    """The keys of one name, computed once (names repeat a lot in a register)."""

    exact: str
    folded: str
    spelled: tuple[str, ...]
    sound: str

    @classmethod
    def of(cls, name: str) -> NameKeys:
        """Return the keys of ``name`` (a non-empty string)."""
        folded = fold(name)
        words = _spelled_words(folded)
        return cls(exact_key(name), folded, words, " ".join(_without_fillers(words)))


def one_typo(a: str, b: str) -> bool:
    """Return whether ``a`` and ``b`` differ by exactly one edit or adjacent swap."""
    la, lb = len(a), len(b)
    if a == b or abs(la - lb) > 1:
        return False
    if la > lb:
        a, b, la, lb = b, a, lb, la
    i = 0
    while i < la and a[i] == b[i]:
        i += 1
    if la == lb:
        if a[i + 1:] == b[i + 1:]:
            return True
        return i + 1 < la and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2:] == b[i + 2:]
    return a[i:] == b[i + 1:]


def _one_filler_apart(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    if len(a) > len(b):
        a, b = b, a
    if len(b) != len(a) + 1 or len(a) < 2:
        return False
    return any(b[i] in _FILLERS_SPELLED and b[:i] + b[i + 1:] == a for i in range(1, len(b) - 1))


def relation(a: NameKeys | None, b: NameKeys | None) -> str:
    """Return how two names compare, one of :data:`NAME_RELATIONS`.

    A typo is one inserted, deleted or replaced letter or two adjacent letters
    swapped in the folded name; ``typo_given`` when it lies in the last word of both
    names (Nguyễn Văn An / Nguyễn Văn Anh: also how brothers and sisters are named),
    ``typo_other`` elsewhere.
    """
    if a is None or b is None:
        return "missing"
    if a.exact == b.exact:
        return "exact"
    if a.folded == b.folded:
        return "diacritics"
    if a.spelled == b.spelled or _one_filler_apart(a.spelled, b.spelled):
        return "spelling"
    fa, fb = a.folded, b.folded
    if one_typo(fa, fb):
        i = 0
        while i < len(fa) and i < len(fb) and fa[i] == fb[i]:
            i += 1
        last = max(fa.rfind(" "), fb.rfind(" "))
        return "typo_given" if i > last else "typo_other"
    return "other"


#: How two adults' names compare (see :func:`person_link`).
SAME_PERSON, ALIKE_PERSON, OTHER_PERSON = 2, 1, 0


def person_link(a: NameKeys | None, b: NameKeys | None) -> int | None:
    """How two adults' names compare: :data:`SAME_PERSON` (equal without diacritics, or
    a spelling variant), :data:`ALIKE_PERSON` (one typo apart: Lò Văn Inh / Lò Văn
    Tính is a typo or two men), :data:`OTHER_PERSON`; None when either is absent."""
    if a is None or b is None:
        return None
    if a.folded == b.folded or a.spelled == b.spelled or _one_filler_apart(a.spelled, b.spelled):
        return SAME_PERSON
    return ALIKE_PERSON if one_typo(a.folded, b.folded) else OTHER_PERSON
