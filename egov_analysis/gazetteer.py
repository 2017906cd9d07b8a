"""The 63 provinces (before 1 July 2025), their spellings, and the 34 units of 2025.

``data/external/provinces.csv`` is the one encoder table for province names: every spelling
an analyst has seen (``variants``) maps to one canonical name. :class:`Gazetteer` finds those
spellings in text (:meth:`Gazetteer.find`) and resolves a name typed by a user
(:meth:`Gazetteer.resolve`); an unknown name is an error, never a silent pass.

Matching rules (they must hold for articles nobody has read yet):

- spellings with diacritics are matched against the text as written, case-insensitively;
- an ASCII spelling that is only a spelling with its diacritics stripped ("Ha Nam") matches only
  in a line written without diacritics, so "hà nằm" is never "Hà Nam";
- a mention starts and ends at a word boundary (Unicode letters and digits), so "Giang" in
  "Bắc Giang" is not "Hà Giang"; bare syllables such as "Nam" or "Bình" are not spellings;
- a bare name that is also an ordinary word (table :data:`COMMON_WORDS`) counts only when
  capitalised; prefixed forms ("tỉnh Hòa Bình") always count;
- the longest spelling at the leftmost position wins; mentions never overlap.

All spellings are compiled into one regular expression, a trie of alternatives, so
:meth:`Gazetteer.find` scans a text twice (after spaces, after other breaks) whatever the
number of spellings.
"""

from __future__ import annotations

import array
import difflib
import re
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from . import config
from .errors import InputError, ParameterError
from .reference import read_reference_csv

NATIONAL = "Việt Nam"  # pseudo-unit for national figures

# Words that name the whole country. "quốc gia" is left out on purpose: in this press it is
# the adjective of named national systems ("cơ sở dữ liệu quốc gia", "Cổng Dịch vụ công quốc
# gia", "Chương trình quốc gia"), not a statement about the country's own figure.
NATIONAL_WORDS = ("Việt Nam", "cả nước", "toàn quốc")

# Bare names that are also ordinary Vietnamese (or English) words in lower case. find()
# reports them only when every word is capitalised ("Hòa Bình", "HÒA BÌNH"), or with a prefix.
COMMON_WORDS = {
    "Hòa Bình": "hòa bình = peace",
    "Thái Bình": "thái bình = peace, tranquillity",
    "Hải Dương": "hải dương = ocean",
    "Cao Bằng": "cao bằng = as tall as",
    "Bình Định": "bình định = to pacify",
    "Hue": "English 'hue'",
}

# Spellings resolve() accepts but find() never reports: written bare in running text they
# usually name the person ("tư tưởng Hồ Chí Minh", "Đoàn TNCS Hồ Chí Minh"). The city is
# written "TP.HCM", "TP Hồ Chí Minh", "thành phố Hồ Chí Minh"..., which find() does report.
NOT_MENTIONS = {
    "Hồ Chí Minh": "the person, not the city",
    "Ho Chi Minh": "the person, not the city",
}

# Words right before a spelling that mean it is not the place ("Đoàn TNCS HCM": the youth union).
VETO_BEFORE = {
    "HCM": ("TNCS", "tư tưởng", "Chủ tịch"),
}

# Administrative prefixes resolve() strips when the whole input is not a known spelling,
# so "thành phố Đồng Nai" still resolves. Written folded (no diacritics), lower case.
PREFIXES = ("tinh", "thanh pho", "tp")

KINDS = ["tỉnh", "thành phố trực thuộc trung ương"]
REGIONS = [
    "Đồng bằng sông Hồng",
    "Trung du và miền núi phía Bắc",
    "Bắc Trung Bộ và duyên hải miền Trung",
    "Tây Nguyên",
    "Đông Nam Bộ",
    "Đồng bằng sông Cửu Long",
]
N_PROVINCES = 63
N_UNITS_2025 = 34


# --- text normalisation ------------------------------------------------------------------


def fold(text: str) -> str:
    """Strip Vietnamese diacritics: "Đắk Lắk" -> "Dak Lak".

    >>> fold("Thừa Thiên Huế")
    'Thua Thien Hue'
    """
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


_NOT_ALNUM = re.compile(r"[\W_]+")


def _lookup_key(name: str) -> str:
    """Key for resolve(): case, spacing and punctuation ignored ("TP. HCM" == "tp hcm")."""
    return _NOT_ALNUM.sub(" ", unicodedata.normalize("NFC", name).casefold()).strip()


_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2212"
_DASH_CLASS = "[" + re.escape(_DASHES) + "]"
_DASH_RUN = re.compile(rf"\s*{_DASH_CLASS}\s*")
_SPACE_RUN = re.compile(r"\s+")


def _match_key(text: str) -> str:
    """Key of a spelling as find() matches it: case-insensitive, any run of spaces, any dash."""
    text = unicodedata.normalize("NFC", text).lower()
    return _SPACE_RUN.sub(" ", _DASH_RUN.sub("-", text)).strip()


# A Latin letter carrying a diacritic (Vietnamese or otherwise), or a combining mark.
_DIACRITIC_CHARS = "".join(
    c for c in map(chr, range(0xC0, 0x250)) if c.isalpha()
) + "".join(map(chr, range(0x1E00, 0x1F00)))
_HAS_DIACRITIC = re.compile(f"[{re.escape(_DIACRITIC_CHARS)}\u0300-\u036f]")
_CONTEXT_CHARS = 300  # how far, within the line, we look for diacritics around an ASCII hit


# --- tables --------------------------------------------------------------------------------


def _fold_equals(a: str, b: str) -> bool:
    return fold(a).casefold() == fold(b).casefold()


def _ascii_is_folded(d: pd.DataFrame) -> bool:
    if not {"name", "name_ascii"} <= set(d.columns) or d[["name", "name_ascii"]].isna().any(axis=None):
        return True  # a missing column or value is listed by the column checks already
    return bool((d["name_ascii"].map(str.casefold) == d["name"].map(lambda s: fold(s).casefold())).all())


PROVINCES = pa.DataFrameSchema(
    {
        "code": pa.Column(str, pa.Check.str_matches(r"^\d{2}$"), unique=True),
        "name": pa.Column(str, pa.Check.str_length(min_value=2), unique=True),
        "name_ascii": pa.Column(str, pa.Check.str_matches(r"^[A-Za-z -]+$"), unique=True),
        "kind": pa.Column(str, pa.Check.isin(KINDS)),
        "region": pa.Column(str, pa.Check.isin(REGIONS)),
        "population": pa.Column("int64", pa.Check.gt(0), coerce=True),
        "population_year": pa.Column("int64", pa.Check.in_range(1990, 2100), coerce=True),
        "area_km2": pa.Column(float, pa.Check.gt(0), coerce=True),
        "districts_count": pa.Column("int64", pa.Check.ge(1), coerce=True),
        "communes_count": pa.Column("int64", pa.Check.ge(1), coerce=True),
        "name_2025": pa.Column(str, pa.Check.str_length(min_value=2)),
        "code_2025": pa.Column(str, pa.Check.str_matches(r"^\d{2}$")),
        "variants": pa.Column(str, pa.Check.str_length(min_value=2)),
    },
    checks=[
        pa.Check(lambda d: len(d) == N_PROVINCES, error=f"exactly {N_PROVINCES} rows, one per province"),
        pa.Check(_ascii_is_folded, error="name_ascii is name without diacritics"),
    ],
    strict=True,
    ordered=True,
    name="provinces.csv",
)

UNITS_2025 = pa.DataFrameSchema(
    {
        "name_2025": pa.Column(str, pa.Check.str_length(min_value=2), unique=True),
        "merged_from": pa.Column(str, pa.Check.str_length(min_value=2)),
        "seat": pa.Column(str, nullable=True),
        "code_2025": pa.Column(str, pa.Check.str_matches(r"^\d{2}$"), unique=True),
        "kind_2025": pa.Column(str, pa.Check.isin(KINDS)),
    },
    checks=[pa.Check(lambda d: len(d) == N_UNITS_2025, error=f"exactly {N_UNITS_2025} rows, one per 2025 unit")],
    strict=True,
    ordered=True,
    name="provinces_2025.csv",
)


def split_variants(cell: str) -> list[str]:
    """The ``;``-joined spellings of one provinces.csv cell, trimmed, empty ones dropped."""
    return [v.strip() for v in str(cell).split(";") if v.strip()]


def load_provinces(p: config.Paths | None = None) -> pd.DataFrame:
    """The validated gazetteer table ``data/external/provinces.csv`` (63 rows, in GSO-code order).

    ``code``/``code_2025`` are 2-digit strings; ``variants`` is the raw ``;``-joined cell
    (split it with :func:`split_variants`). Raises :class:`InputError` naming the file.
    """
    p = p or config.paths()
    return read_reference_csv(p.provinces_csv, PROVINCES)


def load_units_2025(p: config.Paths | None = None) -> pd.DataFrame:
    """The 34 provincial units after 1 July 2025, from ``data/external/provinces_2025.csv``.

    Columns: ``name_2025``, ``code_2025``, ``kind_2025``, ``merged_from`` (list of canonical
    2024 names, the unit giving the new name first), ``seat`` (blank for unchanged units).
    Checks that each of the 63 provinces in provinces.csv appears in exactly one unit.
    """
    p = p or config.paths()
    units = read_reference_csv(p.provinces_2025_csv, UNITS_2025)
    units["merged_from"] = units["merged_from"].map(split_variants)
    names = load_provinces(p)["name"].tolist()
    counts = Counter(old for olds in units["merged_from"] for old in olds)
    problems = [f"{n!r} is in no 2025 unit" for n in names if counts[n] == 0]
    problems += [f"{n!r} is in {c} 2025 units" for n, c in counts.items() if c > 1]
    problems += [f"{n!r} in merged_from is not a province name in provinces.csv" for n in counts if n not in names]
    if problems:
        raise InputError(
            "merged_from must list each of the 63 provinces exactly once:\n  - " + "\n  - ".join(problems),
            where=p.provinces_2025_csv,
            fix="write merged_from with the exact `name` strings of provinces.csv, ';'-joined, each once",
        )
    return units[["name_2025", "code_2025", "kind_2025", "merged_from", "seat"]]


# --- the gazetteer ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Mention:
    """A province (or national) mention: ``text == source[start:end]``.

    ``province`` is the canonical name, or :data:`NATIONAL` for "Việt Nam", "cả nước"...
    The span is the spelling matched, prefix included ("tỉnh Bắc Giang", "TP.HCM").
    """

    start: int
    end: int
    text: str
    province: str


@dataclass(frozen=True)
class _Spelling:
    province: str
    is_folded: bool  # ASCII copy of a spelling with diacritics: needs a line without diacritics
    needs_capitals: bool  # bare and ambiguous in lower case: every word must be capitalised
    veto: re.Pattern | None  # words right before it that mean it is not the place


_TOKEN_PATTERNS = {" ": r"\s+", "-": rf"\s*{_DASH_CLASS}\s*"}


def _trie_regex(keys: list[str]) -> str:
    """One alternation for many keys, merged by common prefix; longer continuations first."""
    trie: dict = {}
    for key in keys:
        node = trie
        for ch in key:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        ends_here = "" in node
        alternatives = [
            _TOKEN_PATTERNS.get(ch, re.escape(ch)) + emit(child) for ch, child in sorted(node.items()) if ch
        ]
        if not alternatives:
            return ""
        body = alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"
        # Greedy optional group: the engine tries the longer spelling first, then backs off.
        return f"(?:{body})?" if ends_here else body

    return emit(trie)


def _is_prefixed(spelling: str) -> bool:
    key = _lookup_key(fold(spelling))
    return any(key.startswith(prefix + " ") for prefix in PREFIXES)


_WORD_SEPARATORS = re.compile(rf"(?:\s|{_DASH_CLASS}|\.)+")


def _capitalised(text: str) -> bool:
    return all(word[0].isupper() for word in _WORD_SEPARATORS.split(text) if word)


class Gazetteer:
    """Province spellings -> canonical names, in text (:meth:`find`) and as input (:meth:`resolve`).

    >>> g = Gazetteer.load()
    >>> g.resolve("TP.HCM"), g.unit_2025("Bắc Giang")
    ('Hồ Chí Minh', 'Bắc Ninh')
    >>> [(m.text, m.province) for m in g.find("Sở TT&TT thành phố Cần Thơ")]
    [('thành phố Cần Thơ', 'Cần Thơ')]
    """

    def __init__(self, provinces: pd.DataFrame, units_2025: pd.DataFrame, *, where: str | Path = "provinces.csv"):
        self.provinces = provinces
        self.units_2025 = units_2025
        self._names = provinces["name"].tolist()
        self._to_2025 = dict(zip(provinces["name"], provinces["name_2025"]))
        self._check_2025(provinces, units_2025, where)

        spellings: dict[str, list[str]] = {
            row.name: [row.name, row.name_ascii, *split_variants(row.variants)] for row in provinces.itertuples()
        }
        spellings[NATIONAL] = list(NATIONAL_WORDS) + [fold(w) for w in NATIONAL_WORDS]

        self._exact: dict[str, str] = {}  # lookup key -> province
        self._folded: dict[str, set[str]] = {}  # folded lookup key -> provinces
        self._spellings: dict[str, _Spelling] = {}  # match key -> how find() treats it
        conflicts = []
        common = {_lookup_key(fold(w)) for w in COMMON_WORDS}
        not_mentions = {_match_key(w) for w in NOT_MENTIONS}
        veto = {
            _match_key(w): re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, before)) + r")\s*$", re.I)
            for w, before in VETO_BEFORE.items()
        }
        for province, forms in spellings.items():
            folded_forms = {_match_key(fold(f)) for f in forms if not f.isascii()}
            for form in forms:
                key = _lookup_key(form)
                if self._exact.setdefault(key, province) != province:
                    conflicts.append(f"{form!r} is a spelling of both {self._exact[key]!r} and {province!r}")
                self._folded.setdefault(_lookup_key(fold(form)), set()).add(province)
                mkey = _match_key(form)
                if mkey in not_mentions or mkey in self._spellings:
                    continue
                is_folded = form.isascii() and mkey in folded_forms
                bare = not _is_prefixed(form)
                self._spellings[mkey] = _Spelling(
                    province=province,
                    is_folded=is_folded,
                    needs_capitals=bare and (is_folded or _lookup_key(fold(form)) in common),
                    veto=veto.get(mkey),
                )
        if conflicts:
            raise InputError(
                "spellings must name one province each:\n  - " + "\n  - ".join(conflicts),
                where=where,
                fix="remove the spelling from all but one row's variants",
            )
        pattern = _trie_regex(sorted(self._spellings))
        self._regex = re.compile(rf"(?<!\w)(?:{pattern})(?![\w\u0300-\u036f])", re.IGNORECASE)
        # The same spellings matched in lower-cased text, case-sensitively and without the
        # look-behind, ~4x faster. It finds what the pattern above finds unless the text has a
        # character that re.IGNORECASE folds unlike str.lower ("ı", "ſ", "İ"): such a text
        # takes the exact path. Used as is at the start of a text; elsewhere found from the
        # character before the word: a pattern that opens with a literal space (or a class)
        # lets ``re`` skip ahead to it, where one that opens with the first letters of the
        # spellings stops at nearly every letter (~1.5x slower). Looked ahead, so a spelling
        # inside a longer one ("Giang" in "Bắc Giang") is found too.
        self._lower_regex = re.compile(rf"(?:{pattern})(?![\w\u0300-\u036f])")
        self._after_space = re.compile(rf" (?=((?:{pattern})(?![\w\u0300-\u036f])))")
        self._after_other = re.compile(rf"[{_not_word_lowered()}](?=((?:{pattern})(?![\w\u0300-\u036f])))")
        self._odd_case = _odd_case_chars("".join(sorted(set("".join(self._spellings)))))
        self._keys: dict[str, str] = {}  # text matched -> its match key (few distinct ones)

    @staticmethod
    def _check_2025(provinces: pd.DataFrame, units: pd.DataFrame, where: str | Path) -> None:
        unit_of = {
            old: (u.name_2025, u.code_2025)
            for u in units.itertuples()
            for old in (split_variants(u.merged_from) if isinstance(u.merged_from, str) else u.merged_from)
        }
        wrong = []
        for r in provinces.itertuples():
            found = unit_of.get(r.name)
            if found != (r.name_2025, r.code_2025):
                theirs = f"{found[0]}/{found[1]}" if found else "no unit"
                wrong.append(f"{r.name}: provinces.csv says {r.name_2025}/{r.code_2025}, provinces_2025.csv says {theirs}")
        if wrong:
            raise InputError(
                "name_2025/code_2025 disagree with provinces_2025.csv:\n  - " + "\n  - ".join(wrong),
                where=where,
                fix="copy name_2025 and code_2025 from the unit whose merged_from lists the province",
            )

    @classmethod
    def load(cls, p: config.Paths | None = None) -> Gazetteer:
        """The gazetteer built from ``provinces.csv`` + ``provinces_2025.csv`` (cached until they change)."""
        p = p or config.paths()
        stamp = tuple(
            (str(f), f.stat().st_mtime_ns, f.stat().st_size) if f.is_file() else (str(f), None, None)
            for f in (p.provinces_csv, p.provinces_2025_csv)
        )
        cached = _CACHE.get(stamp)
        if cached is None:
            cached = cls(load_provinces(p), load_units_2025(p), where=p.provinces_csv)
            _CACHE.clear()  # one gazetteer at a time is all a process needs
            _CACHE[stamp] = cached
        return cached

    # -- finding mentions in text --

    def find(self, text: str) -> list[Mention]:
        """Every province or national mention in ``text``, in text order, non-overlapping.

        Offsets index ``text`` as given (also when it is not NFC-normalised).

        >>> [(m.start, m.text, m.province) for m in Gazetteer.load().find("tỉnh Bắc Giang xếp thứ 20/63")]
        [(0, 'tỉnh Bắc Giang', 'Bắc Giang')]
        """
        if unicodedata.is_normalized("NFC", text):
            return self._find_nfc(text, text, None)
        composed, origin = _nfc_with_offsets(text)
        return self._find_nfc(composed, text, origin)

    def _find_nfc(self, text: str, original: str, origin: list[int] | None) -> list[Mention]:
        mentions = []
        typos = []  # capitalised names of two words that lost their diacritics in accented text ("Ninh Binh")
        pos = 0
        # ``in`` per character: a class would be tested at every character (~8x slower).
        lowered = not any(c in text for c in self._odd_case)
        for start, end in (self._lowered_spans(text) if lowered else self._exact_spans(text)):
            if start < pos:
                continue  # inside the mention found last
            found = text[start:end]
            key = self._keys.get(found)
            if key is None:
                if len(self._keys) > 4096:
                    self._keys.clear()
                key = self._keys[found] = _match_key(found)
            spelling = self._spellings.get(key)
            if spelling is None or not self._accept(text, start, end, spelling):
                if spelling is not None and spelling.is_folded and " " in found.strip() and _capitalised(found):
                    typos.append((start, end, spelling.province))
                continue  # a shorter spelling may still start further on
            pos = end
            if origin is not None:
                start, end = origin[start], origin[end]
            mentions.append(Mention(start, end, original[start:end], spelling.province))
        if typos:
            # ...count only for a province the text also names with its diacritics: a typo, not a
            # person's name written without them ("Thanh Hoa")
            named = {m.province for m in mentions}
            for start, end, province in typos:
                if origin is not None:
                    start, end = origin[start], origin[end]
                if province in named and not any(m.start < end and start < m.end for m in mentions):
                    mentions.append(Mention(start, end, original[start:end], province))
            mentions.sort(key=lambda m: m.start)
        return mentions

    def _exact_spans(self, text: str):
        """Every (start, end) where a spelling starts at a word start in ``text``, in order."""
        pos = 0
        while (m := self._regex.search(text, pos)) is not None:
            yield m.span()
            pos = m.start() + 1

    def _lowered_spans(self, text: str) -> list[tuple[int, int]]:
        """The same, matched in ``text`` lower-cased (it has no character in ``_odd_case``)."""
        low = text.lower()
        spans = [m.span(1) for m in self._after_space.finditer(low)]  # a space lower-cases from a space only
        # The class lets in a little more than "not a word character": check the text.
        other = [m.span(1) for m in self._after_other.finditer(low)
                 if not ((c := text[m.start()]).isalnum() or c == "_")]
        if (first := self._lower_regex.match(low)) is not None:
            other.append(first.span())
        return sorted(spans + other) if other else spans

    @staticmethod
    def _accept(text: str, start: int, end: int, spelling: _Spelling) -> bool:
        if spelling.needs_capitals and not (_capitalised(text[start:end])):
            return False
        if spelling.veto is not None and spelling.veto.search(text, max(0, start - 40), start):
            return False
        if spelling.is_folded:
            lo = max(text.rfind("\n", 0, start) + 1, start - _CONTEXT_CHARS)
            hi = text.find("\n", end)
            hi = min(len(text) if hi < 0 else hi, end + _CONTEXT_CHARS)
            if _HAS_DIACRITIC.search(text, lo, start) or _HAS_DIACRITIC.search(text, end, hi):
                return False
        return True

    # -- resolving names --

    def resolve(self, name: str) -> str:
        """Canonical province name for any known spelling; case, spacing, punctuation and
        diacritics do not matter. National words ("Việt Nam", "cả nước") give :data:`NATIONAL`.

        Raises :class:`ParameterError` for an unknown name, suggesting the closest valid names.

        >>> Gazetteer.load().resolve("bac giang")
        'Bắc Giang'
        """
        found = self._lookup(name)
        if found is not None:
            return found
        key = _lookup_key(fold(str(name)))
        for prefix in PREFIXES:
            if key.startswith(prefix + " "):
                found = self._lookup(key[len(prefix) + 1 :])
                if found is not None:
                    return found
        close = self.suggest(name)
        raise ParameterError(
            f"unknown province {name!r}",
            where="province",
            fix=(f"did you mean {', '.join(repr(c) for c in close)}? " if close else "")
            + "use a name from Gazetteer.names() or a spelling listed in data/external/provinces.csv",
        )

    def _lookup(self, name: str) -> str | None:
        key = _lookup_key(str(name))
        if key in self._exact:
            return self._exact[key]
        candidates = self._folded.get(_lookup_key(fold(str(name))), set())
        if len(candidates) == 1:
            return next(iter(candidates))
        if len(candidates) > 1:
            raise ParameterError(
                f"{name!r} without diacritics could be {', '.join(sorted(candidates))}",
                where="province",
                fix="write the name with its diacritics",
            )
        return None

    def suggest(self, name: str, n: int = 3) -> list[str]:
        """Up to ``n`` canonical names closest to ``name`` (by spelling, ignoring diacritics)."""
        keys = {}
        for key, provinces in self._folded.items():
            for province in provinces:
                if province != NATIONAL:
                    keys.setdefault(key, province)
        close = difflib.get_close_matches(_lookup_key(fold(str(name))), list(keys), n=len(keys), cutoff=0.6)
        out: list[str] = []
        for key in close:
            if keys[key] not in out:
                out.append(keys[key])
        return out[:n]

    def unit_2025(self, province: str) -> str:
        """The 2025 unit (after Resolution 202/2025/QH15) holding a pre-2025 province.

        Any spelling is accepted; :data:`NATIONAL` maps to itself.
        """
        canonical = self.resolve(province)
        return NATIONAL if canonical == NATIONAL else self._to_2025[canonical]

    def names(self) -> list[str]:
        """The 63 canonical names, in GSO-code order."""
        return list(self._names)


_CACHE: dict[tuple, Gazetteer] = {}


@lru_cache(maxsize=8)
def _odd_case_chars(letters: str) -> str:
    """The characters a case-insensitive match and a match in lower-cased text treat
    differently for ``letters`` ("ı" and "İ" match "i" case-insensitively, "ſ" matches "s", but
    their str.lower() is no "i" or "s"); empty if there are none.

    Read from ``re`` itself, over every code point, so it holds for the table as it is.
    """
    codec = "utf-32-le" if sys.byteorder == "little" else "utf-32-be"
    letter = re.compile(f"[{re.escape(letters)}]", re.IGNORECASE)
    cased = set()
    for block in range(0, 0x110000, 0x10000):  # a plane at a time: little memory
        chars = array.array("I", range(block, block + 0x10000)).tobytes().decode(codec, "surrogatepass")
        cased.update(letter.findall(chars))
    odd = sorted(c for c in cased if len(c.lower()) != 1 or any(
        p != c.lower() and re.fullmatch(re.escape(p), c, re.IGNORECASE) for p in letters))
    return "".join(odd)


@lru_cache(maxsize=1)
def _not_word_lowered() -> str:
    """A character class body, spelled out as ranges, for what ``[^\\w ]`` matches and the
    lower case of each such character: in lower-cased text it matches wherever the text has
    a character that is not a word character nor a space.

    ``re`` tests a spelled-out class of the Basic Multilingual Plane with one table lookup,
    ``\\W`` with Unicode lookups per character. Characters beyond it are all let in (callers
    check the character in the text).
    """
    codec = "utf-32-le" if sys.byteorder == "little" else "utf-32-be"
    bmp = array.array("I", range(0x10000)).tobytes().decode(codec, "surrogatepass")  # every code point, in order
    breaks = set(re.findall(r"[^\w ]", bmp))
    breaks.update(c.lower() for c in list(breaks) if len(c.lower()) == 1)
    ranges = []
    for run in re.finditer(f"[{re.escape(''.join(sorted(breaks)))}]+", bmp):  # a run of them is a range
        first, last = re.escape(run[0][0]), re.escape(run[0][-1])
        ranges.append(first if len(run[0]) == 1 else f"{first}-{last}")
    return "".join(ranges) + "\U00010000-\U0010ffff"


def _nfc_with_offsets(text: str) -> tuple[str, list[int]]:
    """NFC-compose ``text``; ``origin[i]`` is the offset in ``text`` of composed character i.

    Composition only happens inside a starter + combining marks cluster, so each cluster is
    composed on its own. ``origin`` has one extra entry, ``len(text)``, for end offsets.
    """
    parts: list[str] = []
    origin: list[int] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        cluster = unicodedata.normalize("NFC", text[i:j])
        parts.append(cluster)
        # A cluster composes to one character here; if it does not, its marks map to its start.
        origin.extend([i] * len(cluster))
        i = j
    origin.append(n)
    return "".join(parts), origin
