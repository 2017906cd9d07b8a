"""Is a line Vietnamese? A phonotactic test, not a word list.

Vietnamese is written in single syllables that follow a strict shape:
optional onset consonant (b, ch, gh, ngh, qu, tr, ...) + vowel nucleus + optional coda
(c, ch, m, n, ng, nh, p, t, or a semi-vowel written i/y/o/u), plus at most one tone mark.
Words of German, English, French... mostly break that shape ("veröffentlicht", "press",
"zählenden"). The share of a line's words that are well-formed syllables separates
Vietnamese lines from foreign ones without any list of foreign words.

All-capital tokens (CNTT, TT&TT, ISO) and tokens with digits are acronyms/codes and do not
vote. Lines with fewer than ``MIN_WORDS`` voting words are too short to judge.
"""

from __future__ import annotations

import re
import unicodedata

# Tone marks: grave, acute, hook above, tilde, dot below.
_TONES = {"\u0300", "\u0301", "\u0309", "\u0303", "\u0323"}
_ONSETS = "ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|b|c|d|đ|g|h|k|l|m|n|p|r|s|t|v|x"
# Nuclei with their optional glide, written without tone marks (base letters keep ă â ê ô ơ ư).
_NUCLEI = (
    "uyê|uya|ươ|ưa|iê|ia|yê|ya|uô|ua|oa|oă|oe|uâ|uê|uy|uơ|"
    "a|ă|â|e|ê|i|o|ô|ơ|u|ư|y"
)
_CODAS = "ng|nh|ch|c|m|n|p|t|i|y|o|u"
_SYLLABLE = re.compile(rf"^(?:{_ONSETS})?(?:{_NUCLEI})(?:{_CODAS})?$")
_WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*", re.UNICODE)

MIN_WORDS = 3
THRESHOLD = 0.5


def _strip_tone(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word.lower())
    kept = "".join(ch for ch in decomposed if ch not in _TONES)
    return unicodedata.normalize("NFC", kept)


def is_syllable(word: str) -> bool:
    """True when ``word`` has the shape of one Vietnamese syllable.

    >>> is_syllable("nghiệp"), is_syllable("Tỉnh"), is_syllable("press")
    (True, True, False)
    """
    return bool(_SYLLABLE.match(_strip_tone(word)))


def _voting_words(text: str) -> list[str]:
    words = []
    for match in _WORD.finditer(text):
        for part in match.group().split("-"):
            if part and not (part.isupper() and len(part) > 1):
                words.append(part)
    return words


def vietnamese_share(text: str) -> float:
    """Share of voting words in ``text`` that are Vietnamese syllables (1.0 if none vote)."""
    words = _voting_words(text)
    if not words:
        return 1.0
    return sum(is_syllable(w) for w in words) / len(words)


def is_foreign_line(line: str) -> tuple[bool, float]:
    """(True, share) when ``line`` has enough words to judge and most are not Vietnamese."""
    words = _voting_words(line)
    if len(words) < MIN_WORDS:
        return False, 1.0
    share = sum(is_syllable(w) for w in words) / len(words)
    return share < THRESHOLD, share
