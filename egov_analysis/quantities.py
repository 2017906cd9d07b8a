"""Vietnamese numbers, scale words and qualifiers -> values with bounds, and why a number is not one.

``find_quantities`` returns every numeric expression of a text, in order and
non-overlapping, with offsets into the text and a ``kind``: ``quantity`` for a measured
amount, otherwise the reason it is not one (``date``, ``time``, ``year``, ``period``,
``reference``, ``level``, ``ordinal``).

>>> [(q.text, q.value, q.unit, q.qualifier) for q in find_quantities("tiết kiệm trên 7 tỷ đồng")]
[('trên 7 tỷ đồng', 7000000000.0, 'VND', 'over')]
>>> q = find_quantities("tỷ lệ đúng hạn gần 99%")[0]
>>> (q.value, q.value_low, q.value_high, q.unit, q.qualifier)
(99.0, None, 99.0, 'percent', 'nearly')
>>> [(q.text, q.kind) for q in find_quantities("mức độ 3,4 trong quý III/2017")]
[('3', 'level'), ('4', 'level'), ('quý III/2017', 'period')]

Conventions callers rely on:

* Numbers: '.' groups thousands (exactly 3 digits after it), ',' is the decimal comma:
  "7.075" = 7075, "79,1" = 79.1. A single '.' followed by 1-2 digits ("99.5%") is read as an
  English decimal point; "4.0"/"2.0" alone are version names (kind ``reference``).
* Bounds by qualifier: exact and approx -> value_low = value_high = value; over and
  approx_over -> value_low = value, value_high None; nearly and approx_nearly ->
  value_high = value, value_low None; vague ("vài tỷ đồng") -> value, value_low and
  value_high all None (no number is invented).
* Ranges ("từ 10 đến 15 tỷ đồng", "10-15%", "giai đoạn 2016 – 2018") -> value None,
  value_low/value_high the written ends (scale and unit shared: "10 – 15 triệu" =
  1e7..1.5e7); the qualifier is the one written before the range ("exact" if none).
* Ratios "16/18", "16 trên 18" -> value 16, denominator 18, unit "count"; a counted unit
  after it ("kết nối đến 11/11 huyện") keeps "x/y" a ratio after a word that dates a day/month.
* Ranks ("xếp thứ hạng 20/63", "đứng thứ 5") are kind ``quantity`` with unit ``rank``, and so
  is an ordinal listed right after one ("đứng thứ 12/63 và thứ 30/63").
* value is None for dates, times, references and calendar quarters; years carry the year,
  durations ("3 năm", "9 tháng đầu năm 2015") the count, levels the level.
* Units: VND (scale applied: "7 tỷ đồng" = 7e9), VND/day, USD, percent, count, rank;
  non-quantity kinds say "count". The counted noun is not part of the expression
  ("gần 272.000 hồ sơ" -> text "gần 272.000"); callers read it from the text after ``end``.
* "đến"/"tới" join a range only after "từ" or a qualifier ("tăng 100 đến 2020" is two
  numbers); a range whose ends are reversed ("30-4") is no range.
* Not returned at all: digits glued to letters ("4G", "H5N1", "COVID-19") and runs like
  phone numbers that are no Vietnamese number ("0290.3831.234").
* A bare 4-digit 1900-2099 is a year unless a counted noun follows ("có 2000 người");
  "1." or "2)" opening a line is an ordinal (a list item).
* The words behind all this are the tables in ``rules/``: ``scales.csv``,
  ``qualifiers.csv`` and ``non_quantities.csv``. Text must be NFC (``clean`` makes it so).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, fields
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from . import config
from .errors import InputError

QUALIFIERS = ("exact", "over", "nearly", "approx", "approx_over", "approx_nearly", "vague")
KINDS = ("quantity", "date", "time", "year", "period", "reference", "level", "ordinal")


@dataclass(frozen=True)
class Quantity:
    """One numeric expression with offsets into the text it came from.

    ``value`` is in the base unit (VND with the scale applied, 79.1 for "79,1%"); for
    ratios it is the numerator and ``denominator`` the rest. See the module docstring for
    bounds, ranges and kinds.
    """

    start: int  # whole expression (qualifier + number + scale + unit): text[start:end] == self.text
    end: int
    text: str
    number_start: int  # just the numeric part ("7.075", "16/18", "10 đến 15", "vài tỷ")
    number_end: int
    value: float | None
    value_low: float | None
    value_high: float | None
    denominator: float | None
    unit: str
    qualifier: str
    kind: str
    scale_word: str | None


# ---------------------------------------------------------------- number format

_VN_THOUSANDS = re.compile(r"-?\d{1,3}(?:\.\d{3})+(?:,\d+)?")
_VN_PLAIN = re.compile(r"-?\d+(?:,\d+)?")
_EN_DECIMAL = re.compile(r"-?\d+\.\d{1,2}")


def parse_number(s: str) -> float:
    """A number written the Vietnamese way -> float.

    >>> parse_number("7.075"), parse_number("79,1"), parse_number("272.000"), parse_number("1,5")
    (7075.0, 79.1, 272000.0, 1.5)

    A single '.' followed by 1-2 digits is an English decimal point ("99.5" = 99.5).
    Anything else ("1.2345", "7,075.5", "abc") raises ValueError.
    """
    t = s.strip().replace("\u2212", "-")
    if t.isdecimal():  # the common case, and what _VN_PLAIN would read
        return float(t)
    if _VN_THOUSANDS.fullmatch(t):
        return float(t.replace(".", "").replace(",", "."))
    if _VN_PLAIN.fullmatch(t) or _EN_DECIMAL.fullmatch(t):
        return float(t.replace(",", "."))
    raise ValueError(f"not a Vietnamese number: {s!r} (expected e.g. '7.075', '79,1' or '3864')")


def format_number(x: float, decimals: int | None = None) -> str:
    """A float -> Vietnamese digits: 7075 -> "7.075", 79.1 -> "79,1", (1.5, 2) -> "1,50".

    Without ``decimals`` the shortest digits that read back as ``x`` are used, so
    ``parse_number(format_number(x)) == x``.
    """
    d = Decimal(repr(float(x))) if decimals is None else round(Decimal(repr(float(x))), decimals)
    digits = format(d, "f") if decimals is None else format(d, f".{decimals}f")
    sign, digits = ("-", digits[1:]) if digits.startswith("-") else ("", digits)
    whole, _, frac = digits.partition(".")
    if decimals is None:
        frac = frac.rstrip("0")
    grouped = f"{int(whole):,}".replace(",", ".")
    if sign and not (int(whole) or frac.strip("0")):
        sign = ""  # no "-0"
    return sign + grouped + ("," + frac if frac else "")


# ---------------------------------------------------------------- rule tables

_WS = r"[^\S\n]"  # spaces that keep an expression on one line
_NUM = r"(?:\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+,\d+|\d+\.\d{1,2}|\d+)(?![.,]?\d)"
_NUM_REST = r"(?:\d{0,2}(?:\.\d{3})+(?:,\d+)?|\d*,\d+|\d*\.\d{1,2}|\d*)(?![.,]?\d)"  # _NUM after its 1st digit

# What each rule table may say; anything else is a typo an analyst should hear about.
_ALLOWED = {
    "scales.csv": ("type", {"scale", "currency", "percent", "per", "not_unit"}),
    "qualifiers.csv": ("meaning", {"over", "nearly", "approx", "exact", "vague", "range_from", "range_to", "ratio"}),
    "non_quantities.csv": ("kind", {*KINDS, "rank"}),
}
_APPLIES_TO = {"any", "day", "month", "year", "small", "dm", "district"}


class _Phrase(NamedTuple):
    meaning: str  # a qualifier meaning, or the kind a context word gives
    applies_to: str  # context words only: any | day | month | year | small | dm
    is_context: bool


class _Rules(NamedTuple):
    multiplier: dict[str, float]  # scale word -> factor
    currency: dict[str, str]  # currency word -> unit
    per: dict[str, str]  # "/ngày" -> "/day"
    before: dict[str, _Phrase]  # qualifiers and context words that precede a number
    before_rev: re.Pattern  # those phrases reversed, matched on the reversed text before a number
    before_seen: dict[str, _Phrase]  # a before_rev match as written -> its phrase (filled as met)
    before_last: frozenset[str]  # the last letters of those phrases, as before_rev spells them
    after_q: dict[str, str]  # "trở lên" -> over
    after_date: frozenset[str]  # words after "x/y" that keep it a date
    after_ratio: frozenset[str]  # counted nouns after "x/y" that make it a ratio after "đến", "tới"...
    year_joins: frozenset[str]  # duration phrases a following year joins ("tháng đầu năm")
    range_to: re.Pattern
    core: re.Pattern  # number shapes (with `suffix`'s groups), searched for: each opens with a digit
    suffix: re.Pattern  # what follows a number: duration word | scale + unit + after-qualifier
    scale_seen: dict[str, float]  # scale words as written ("nghìn tỷ") -> factor (filled as met)
    letters: re.Pattern  # expressions starting with a letter: vague amounts, quý III, Th3
    letter_anchor: re.Pattern
    level_next: re.Pattern  # a counted noun, then a level word and its number: "9 dịch vụ mức độ 4"
    anchor_finder: re.Pattern | None  # finds letter_anchor's words by a rarer letter (see _by_rarer_letter)
    anchor_offset: dict[str, int]  # that letter -> how far before it the word starts


def _digit() -> str:
    r"""``\d`` as a class of code points: `re` scans for one about twice as fast as for the
    category. Digits beyond the BMP are one range, checked by ``(?<=\d)``."""
    bmp = [c for c in range(0x10000) if chr(c).isdecimal()]  # what `\d` matches in a str
    runs = [[bmp[0], bmp[0]]]
    for c in bmp[1:]:
        if c == runs[-1][1] + 1:
            runs[-1][1] = c
        else:
            runs.append([c, c])
    return "[" + "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in runs) + r"\U00010000-\U0010ffff](?<=\d)"


def _words(s: str) -> str:
    return " ".join(s.lower().split())


def _alt(words, reverse: bool = False) -> str:
    """Regex alternation of literal phrases, longest first, any spacing between words.

    Case variants are spelled out (``re.IGNORECASE`` would also match exotic Unicode case
    pairs the tables do not list); ``reverse`` spells each phrase backwards. The alternation
    is written as a trie ("triệu|trăm" -> "tr(?:iệu|ăm)"): at a place only the phrases that
    are prefixes of one another can match, and the trie tries them longest first too, so it
    matches what the flat alternation matches, without trying every phrase at every place.
    """
    return _trie({v[::-1] if reverse else v: "" for w in words for v in (w, w.capitalize(), w.title(), w.upper())})


def _trie(tails: dict[str, str]) -> str:
    """Regex alternation of the literal phrases ``tails`` maps, each followed by its regex tail,
    written as a trie: at a place only phrases that are prefixes of one another can match, and
    the trie tries them longest first, like a flat longest-first alternation, without trying
    every phrase at every place. A space in a phrase is any run of spaces (_WS+).
    """
    root: dict = {}
    for phrase, tail in tails.items():
        node = root
        for ch in phrase:
            node = node.setdefault(ch, {})
        node[None] = tail

    def build(node: dict) -> str:
        branches = [(_WS + "+" if ch == " " else re.escape(ch)) + build(child)
                    for ch, child in sorted((k, v) for k, v in node.items() if k is not None)]
        if None in node:
            branches.append(node[None])
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return build(root) if root else ""  # like "|".join([]): matches the empty string


def _by_rarer_letter(phrases: dict[str, str]) -> tuple[re.Pattern | None, dict[str, int]]:
    """A regex that finds the ``phrases`` (each followed by its regex tail) at their first
    accented letter instead of their first letter, and letter -> offset of the phrase's start
    before it. Accented letters are rarer, so `re` tries a match at far fewer places ("h", "n"
    open a good part of all Vietnamese words). (None, {}) when one letter would need two offsets.
    """
    alts, offset = [], {}
    for phrase, tail in phrases.items():
        first_word = phrase.split(" ")[0]  # the look-behind must be fixed-width: no spaces in it
        i = next((k for k, ch in enumerate(first_word) if not ch.isascii()), 0)
        if offset.setdefault(phrase[i], i) != i:
            return None, {}
        alts.append(f"{re.escape(phrase[i])}(?<={re.escape(phrase[:i + 1])})(?={_trie({phrase[i + 1:]: tail})})")
    return re.compile("|".join(alts)), offset


def _read(name: str, columns: set[str]) -> list[dict]:
    path = config.RULES_DIR / name
    with open(path, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    missing = columns - set(rows[0] if rows else ())
    if missing:
        raise InputError(f"missing columns {sorted(missing)}", where=path, fix="restore the table header")
    for r in rows:
        r.update({k: unicodedata.normalize("NFC", v or "").strip() for k, v in r.items() if k})
    col, allowed = _ALLOWED[name]
    bad = [f"line {n}: {col} '{r[col]}'" for n, r in enumerate(rows, 2) if r[col] not in allowed]
    bad += [f"line {n}: applies_to '{r['applies_to']}'" for n, r in enumerate(rows, 2)
            if "applies_to" in r and r["applies_to"] not in _APPLIES_TO]
    if bad:
        raise InputError("unknown values: " + "; ".join(bad), where=path,
                         fix=f"use one of {sorted(allowed)} (applies_to: {sorted(_APPLIES_TO)})")
    return rows


@lru_cache(maxsize=1)
def rules() -> _Rules:
    """The three rule tables in ``rules/``, loaded and compiled once."""
    scales = _read("scales.csv", {"word", "type", "multiplier", "unit", "description"})
    quals = _read("qualifiers.csv", {"phrase", "position", "meaning", "description"})
    ctx = _read("non_quantities.csv", {"phrase", "position", "kind", "applies_to", "description"})

    def words(rows, **eq):
        return [r.get("word") or r["phrase"] for r in rows if all(r[k] == v for k, v in eq.items())]

    before = {_words(r["phrase"]): _Phrase(r["meaning"], "any", False) for r in quals if r["position"] == "before"}
    for r in ctx:
        if r["position"] == "before":
            if (p := _words(r["phrase"])) in before:
                raise InputError(f"'{p}' is both a qualifier and a context word",
                                 where=config.RULES_DIR / "non_quantities.csv", fix="keep it in one table")
            before[p] = _Phrase(r["kind"], r["applies_to"], True)
    after = words(ctx, position="after")
    currency = words(scales, type="currency")
    not_unit = rf"(?!(?:{_alt(words(scales, type='not_unit'))})(?!\w))"
    cur = rf"{not_unit}(?:{_alt(currency)})(?!\w)"
    # a scale word may touch its currency ("15 tỷđồng" is a common typo)
    scale1 = rf"{not_unit}(?:{_alt(words(scales, type='scale'))})(?:(?!\w)|(?={cur}))"
    scale = rf"{scale1}(?:{_WS}*{scale1})*"
    pct = rf"%|(?:{_alt(w for w in words(scales, type='percent') if w != '%')})(?!\w)"
    suffix = (
        rf"{_WS}+(?P<after>(?:{_alt(after)}))(?!\w)(?:{_WS}+(?P<year>(?:19|20)\d\d)(?!\d))?"
        rf"|(?:{_WS}*(?P<scale>{scale}))?"
        rf"(?:{_WS}*(?P<cur>{cur})(?:{_WS}*(?P<per>(?:{_alt(words(scales, type='per'))})(?!\w)))?"
        rf"|{_WS}*(?P<pct>{pct}))?"
        rf"(?:{_WS}+(?P<aq>(?:{_alt(words(quals, position='after'))}))(?!\w))?"
    )
    range_to, ratio = (rf"{_WS}+(?:{_alt(words(quals, position='between', meaning=m))}){_WS}+"
                       for m in ("range_to", "ratio"))
    # Quick tests that let `core` skip what cannot match, instead of trying it piece by piece:
    # the shapes before the number branch need one of these after the first digit run (a dot
    # or "Th" only after 1-2 digits) ...
    pre_first = rf"(?=\d*+[:a-z/\-–]|\d?+(?:\.|{_WS}+Th))"
    # ... and a range, a ratio or a suffix starts with one of these words or signs.
    tail_words = [*words(scales, type="scale"), *currency, *words(scales, type="percent"),
                  *words(quals, position="between"), *after, *words(quals, position="after")]
    tail_first = rf"(?={_WS}*+(?:{_alt(tail_words)}|[-–—~/]))"
    # `core` is searched for: it opens with the first digit of a number (as a class of code
    # points, which `re` skips ahead to fast) that is not inside a word or code ("H5N1",
    # "COVID-19", "1.2345"). So each shape below is written without its first digit, and the
    # groups ref, time, date, my and num start one character after the match.
    core = re.compile(
        rf"{_digit()}(?<!\w\d)(?<![^\W_][.,-]\d)(?:"
        rf"{pre_first}(?:"
        r"(?P<ref>\d{2,}:\d{4}(?!\d)|\d*[a-z]?(?:[-/]\d+[a-z]?)*[-/][A-ZĐ][\w&]*(?:[-/][\w&]+)*)"
        r"|(?P<time>\d?:\d{2}(?::\d{2})?(?!\d)|\d?h(?:\d{2})?(?!\w))"
        r"|(?P<date>(?:\d?(?P<ds>[-/.])\d{1,2}(?P=ds)(?:\d{4}|\d{2})|\d{3}-\d{1,2}-\d{1,2}"
        r"|\d?[-–]\d{1,2}/\d{1,2}(?:/\d{4})?)(?![\w/])"  # "15-16/5": two days of a month
        rf"|\d?{_WS}+Th\d{{1,2}},?{_WS}*\d{{4}}(?!\d))"
        r"|(?P<my>\d?/\d{4})(?![\d/]))"
        # A range, a ratio or a lone number: the number is read once (it has one reading at a
        # place), then the range end or the ratio's denominator, in that order, then -- unless
        # it is a ratio -- the suffix, so that one match does the work of `core` + `suffix`.
        rf"|(?P<num>{_NUM_REST})(?:{tail_first}"
        rf"(?:(?:{_WS}*(?P<lo_scale>{scale}))?(?:{_WS}*(?P<lo_unit>{cur}|{pct}))?"
        rf"(?P<sep>{_WS}*[-–—~]{_WS}*|{range_to})(?P<hi>{_NUM})"
        rf"|(?:/|{ratio})(?P<y>{_NUM})(?![\d/])"
        rf"|)(?(y)|(?:{suffix})))?)"
    )
    vague = words(quals, position="vague")
    letters = re.compile(
        rf"(?P<vague>(?:{_alt(vague)}))(?P<vs>{_WS}+{scale})"
        rf"|(?:quý){_WS}+(?P<qn>[IV]{{1,3}}(?!\w)(?:{_WS}*/{_WS}*\d{{4}}|{_WS}+(?:năm){_WS}+\d{{4}})?)(?!\d)"
        rf"|(?P<th>Th\d{{1,2}},?{_WS}*\d{{4}})(?!\d)"
    )
    # Where `letters` may match, found by literals `re` can skip ahead to (a group or an inline
    # flag around the words would disable that); `letters` then matches at each hit. A vague
    # word only counts before a scale word ("hàng tỷ", not "ngân hàng"): it looks ahead for one,
    # so the common words are no hits at all.
    anchors = {v: "" for v in ("quý", "Quý", "QUÝ")} | {"Th": r"(?=\d)"}
    anchors |= {v: rf"(?={_WS}+{scale})" for w in vague for v in (w, w.capitalize(), w.upper())}
    return _Rules(
        multiplier={_words(r["word"]): float(r["multiplier"]) for r in scales if r["type"] == "scale"},
        currency={_words(r["word"]): r["unit"] for r in scales if r["type"] == "currency"},
        per={_words(r["word"]): r["unit"] for r in scales if r["type"] == "per"},
        before=before,
        before_rev=re.compile(rf"{_WS}+(?P<p>{_alt(before, reverse=True)})(?!\w)"),
        before_seen={},
        before_last=frozenset(v[-1] for w in before for v in (w, w.capitalize(), w.title(), w.upper())),
        after_q={_words(r["phrase"]): r["meaning"] for r in quals if r["position"] == "after"},
        after_date=frozenset(_words(w) for w in words(ctx, position="after_date")),
        after_ratio=frozenset(_words(w) for w in words(ctx, position="after_ratio")),
        year_joins=frozenset(_words(a) for a in after if " " in a and a.endswith("năm")),
        range_to=re.compile(range_to),
        core=core,
        suffix=re.compile(suffix),
        scale_seen={},
        letters=letters,
        letter_anchor=re.compile(_trie(anchors)),
        level_next=re.compile(rf"{_WS}+(?:[^\W\d_]+{_WS}+){{1,5}}(?:{_alt(words(ctx, position='before', kind='level'))}){_WS}+\d"),
        anchor_finder=(finder := _by_rarer_letter(anchors))[0],
        anchor_offset=finder[1],
    )


# ---------------------------------------------------------------- extraction

_VERSION = re.compile(r"\d+\.0")
_LEVEL_LIST = re.compile(r"(\d{1,2}),(\d{1,2})")  # "mức độ 3,4" lists two levels
_LEVEL_JOIN = re.compile(rf"{_WS}*(?:,|;|/|-|–|và|hoặc){_WS}*")
_NEXT_WORD = re.compile(rf"{_WS}+([^\W\d_]+)(?:{_WS}+([^\W\d_]+))?")
_LIST_ITEM = re.compile(r"[.)](?:[^\S\n]|$)")
_LINE_START = re.compile(r"(?:^|\n)[^\S\n]*\(?$")
_MAX_SMALL = 10  # service levels and stages run 1-4; "mức 100" is no level
_NOT_VALUES = ("date", "time", "reference")
_NO_CHAIN = ()  # no qualifiers before a number (shared, never changed)


def find_quantities(text: str) -> list[Quantity]:
    """All numeric expressions in ``text``, in order, non-overlapping, each with its kind.

    >>> [(q.text, q.kind) for q in find_quantities("Năm 2018, gần 272.000 hồ sơ; sáng 12/3")]
    [('2018', 'year'), ('gần 272.000', 'quantity'), ('12/3', 'date')]
    """
    R = rules()
    out: list[Quantity] = []
    pos = 0
    n = len(text)
    rtext = text[::-1]  # _prefix reads the words before a number backwards, from here
    search = R.core.search
    while (m := search(text, pos)) is not None:
        found = _classify(text, rtext, m, out[-1] if out else None, R)
        pos = found[-1].end
        if pos < n and text[pos].isalnum() and text[pos - 1].isalnum():
            continue  # glued to letters: a code like "4G", not a number
        out.extend(found)
    extra = [_letter_expression(text, lm, R) for a in _letter_anchors(text, R)
             if not (a.start() and text[a.start() - 1].isalnum())
             and (lm := R.letters.match(text, a.start())) is not None]
    phones = _phone_numbers(text)
    if phones:  # one reference each, instead of its groups of digits read as figures
        out = [q for q in out if not any(s < q.end and q.start < e for s, e in phones)]
        extra += [_make(text, s, e, s, e, None, "count", "exact", "reference", None) for s, e in phones]
    if not extra:
        return out
    merged, last = [], -1
    for q in sorted(out + extra, key=lambda q: (q.start, -q.end)):
        if q.start >= last:
            merged.append(q)
            last = q.end
    return merged


# A Vietnamese phone number: an area or mobile prefix (0xx(x), in brackets or not; 1900/1800
# hotlines) and up to three groups of digits ("(0276) 3822 558", "0913.456.789", "1900 8198",
# "0228 3 636 555").
_PHONE = re.compile(rf"(?:\(0\d{{2,3}}\)|0\d{{2,3}}|1[89]00)(?:{_WS}?[.\-]?{_WS}?\d{{1,4}}){{1,3}}(?![\w]|[.,]\d)")


def _phone_numbers(text: str) -> list[tuple[int, int]]:
    """Spans of phone numbers in ``text``: 8 to 11 digits, not inside a word or a number."""
    spans = []
    for m in _PHONE.finditer(text):
        s, e = m.span()
        if s and (text[s - 1].isalnum() or text[s - 1] in ".,"):
            continue
        if 8 <= sum(ch.isdigit() for ch in m.group()) <= 11:
            spans.append((s, e))
    return spans


def _letter_anchors(text: str, R: _Rules):
    """What ``R.letter_anchor.finditer(text)`` yields, found faster by ``R.anchor_finder``:
    where it hits, the phrase starts ``R.anchor_offset`` before; letter_anchor confirms it
    there, and hits inside the anchor before are skipped, as finditer would."""
    if R.anchor_finder is None:
        yield from R.letter_anchor.finditer(text)
        return
    offset, anchor, last = R.anchor_offset, R.letter_anchor.match, -1
    for start in sorted({h.start() - offset[h[0]] for h in R.anchor_finder.finditer(text)}):
        if start >= last and (a := anchor(text, start)) is not None:
            last = a.end()
            yield a


# The shape a ``core`` match took, by the group that closed last (an alternative's outermost
# or final group): shapes that are never a value.
_NO_VALUE_SHAPES = {"ref": "reference", "time": "time", "date": "date"}


def _classify(text: str, rtext: str, m: re.Match, prev: Quantity | None, R: _Rules) -> list[Quantity]:
    s = m.start()
    shape = m.lastgroup
    if shape in _NO_VALUE_SHAPES:
        return [_make(text, s, m.end(), s, m.end(), None, "count", "exact", _NO_VALUE_SHAPES[shape], None)]
    floor = prev.end if prev else 0
    if (s <= floor or (c := text[s - 1]) == "\n" or not c.isspace()  # no _WS right before: no phrase
            or (s - 1 > floor and not (c := text[s - 2]).isspace() and c not in R.before_last)):
        ctx, ctx_start, chain = None, s, _NO_CHAIN  # (nor when the word before ends in no phrase's letter)
    else:
        ctx, ctx_start, chain = _prefix(rtext, s, floor, R)
    if ctx is not None and ctx.meaning == "ordinal" and _listed_after_rank(text, ctx_start, prev):
        ctx = ctx._replace(meaning="rank")
    if shape == "num":  # a lone number and nothing after it (no suffix group closed)
        return _single(text, s, m.end(), ctx, chain, prev, R, m)
    if shape == "my":  # "3/2019": a month, "quý 3/2017": a quarter, "61/2018": a document
        month = int(text[s:m.end("my")].split("/")[0])
        kind = ctx.meaning if ctx and ctx.meaning in ("period", "reference") else "date" if month <= 12 else "reference"
        return [_make(text, s, m.end(), s, m.end(), None, "count", "exact", kind, None)]
    hi, y = m.group("hi", "y")  # the number branch: a range, a ratio or a lone number
    if hi is not None:
        return _range(text, m, ctx, chain, prev, R)
    if y is not None:
        return _ratio(text, m, ctx, chain, prev, R)
    return _single(text, s, m.end("num"), ctx, chain, prev, R, m)


def _prefix(rtext: str, s: int, floor: int, R: _Rules):
    """The context word, or the chain of qualifiers, right before offset s (which has _WS
    right before it: the caller checks, as before_rev starts with it).

    Matching the reversed text (``rtext``, the whole text reversed) lets one anchored regex
    find the longest phrase ending at s; the phrases may reach back 48 characters, not before
    ``floor``. Returns (context or None, its start offset, [(meaning, start offset)] nearest first).
    """
    base = len(rtext) - s  # rtext[base:] is text[:s] reversed
    limit = base + s - (floor if floor > s - 48 else s - 48)
    match, seen = R.before_rev.match, R.before_seen
    chain: list[tuple[str, int]] = []
    pos = base
    while (m := match(rtext, pos, limit)) is not None:
        p = m["p"]
        if (phrase := seen.get(p)) is None:  # the same few spellings come back again and again
            phrase = seen[p] = R.before[_words(p[::-1])]
        pos = m.end()
        if phrase.is_context:
            return (None if chain else phrase), s - (pos - base), chain
        if phrase.meaning == "exact":  # a guard ("hơn nữa", "tốc độ"), not a qualifier
            break
        chain.append((phrase.meaning, s - (pos - base)))
    return None, s, chain


def _single(text, s, e, ctx, chain, prev, R, sm=None) -> list[Quantity]:
    """A lone number text[s:e] with the scale, unit, qualifier or context around it.

    ``sm`` is a match whose suffix groups were matched at e (``core`` matches so), if any.
    """
    raw = text[s:e]
    v = float(raw) if raw.isdecimal() else parse_number(raw)
    if sm is None:
        sm = R.suffix.match(text, e)
    start, qualifier, _ = _start_and_qualifier(chain, s, is_range=False) if chain else (s, "exact", False)
    if sm.lastgroup in (None, "num"):  # nothing after the number (the common case)
        after = None
    else:
        after, scale, cur, pct, aq = sm.group("after", "scale", "cur", "pct", "aq")
        if aq:
            qualifier = _combine([qualifier, R.after_q[_words(aq)]])
        if scale or cur or pct:  # a unit makes it an amount, whatever the context
            mult, scale_word, unit = _units(sm, R)
            return [_make(text, start, sm.end(), s, e, v * mult, unit, qualifier, "quantity", scale_word)]
    kind, unit, end = "quantity", "count", sm.end()
    if (v < 100 and text.startswith((".", ")"), e) and raw.isdigit() and _LIST_ITEM.match(text, e)
            and _LINE_START.search(text, max(0, s - 8), s)):
        kind = "ordinal"  # a numbered list item: "1. Về hạ tầng", "2) ..."
    elif ctx and _applies(ctx.applies_to, "n", v, None, raw):
        kind = ctx.meaning
        if kind == "level" and (lv := _LEVEL_LIST.fullmatch(raw)):
            return [_make(text, s + lv.start(i), s + lv.end(i), s + lv.start(i), s + lv.end(i),
                          float(lv[i]), "count", "exact", "level", None) for i in (1, 2)]
    elif (prev is not None and prev.kind == "level" and _small(v) and _LEVEL_JOIN.fullmatch(text, prev.end, s)
          and not R.level_next.match(text, e)):
        kind = "level"  # "mức độ 3 và 4"; but "mức độ 3 và 9 dịch vụ mức độ 4" counts 9 services
    elif after:
        kind = "period"  # "3 năm"; "9 tháng đầu năm 2015" takes its year along
        if sm["year"] and _words(after) not in R.year_joins:
            end = sm.end("after")
    elif "." in raw and _VERSION.fullmatch(raw):
        kind = "reference"  # "4.0", "2.0" are version names
    elif (len(raw) == 4 and 1900 <= v <= 2099 and raw.isdigit() and qualifier == "exact"  # _year
          and ((ctx is not None and ctx.meaning == "date") or not _followed_by_noun(text, e, R))):
        kind = "year"  # "đến 2020", "2019." -- but "2000 người" is a count
    if after and kind != "period":
        end = e
    if kind == "rank":
        kind, unit = "quantity", "rank"
    if kind in _NOT_VALUES:
        return [_make(text, s, e, s, e, None, unit, "exact", kind, None)]
    return [_make(text, start, end, s, e, v, unit, qualifier, kind, None)]


def _range(text, m, ctx, chain, prev, R) -> list[Quantity]:
    """"10-15%", "từ 10 đến 15 tỷ đồng", "2016 – 2018": value None, the ends as bounds.

    ``m`` is a ``core`` match of the range: its suffix groups were matched after the range.
    """
    s = m.start()
    e = m.end("hi")  # the range; m.end() is after its suffix
    start, qualifier, has_tu = _start_and_qualifier(chain, s, is_range=True)
    hi, lo_scale, lo_unit = m.group("hi", "lo_scale", "lo_unit")
    lo = text[s:m.end("num")]
    a, b = parse_number(lo), parse_number(hi)
    mult, scale_word, unit = _units(m, R)
    lo_mult = _multiplier(lo_scale, R) if lo_scale else mult  # "10 – 15 triệu": both in triệu
    if lo_unit and unit == "count":
        unit = R.currency.get(_words(lo_unit), "percent")
    low, high = a * lo_mult, b * mult
    bare = not (m["scale"] or m["cur"] or m["pct"] or lo_scale or lo_unit)
    if bare and ctx and ctx.meaning in _NOT_VALUES and _applies(ctx.applies_to, "range", a, b, lo):
        return [_make(text, s, e, s, e, None, "count", "exact", ctx.meaning, None)]  # "ngày 30-4"
    by_word = R.range_to.fullmatch(m["sep"]) is not None
    if low > high or (by_word and not has_tu and qualifier == "exact"):
        return _single(text, s, m.end("num"), ctx, chain, prev, R)  # no range: "100 đến 2020"
    if m["aq"]:
        qualifier = _combine([qualifier, R.after_q[_words(m["aq"])]])
    kind, end = "quantity", m.end()
    if bare:
        if ctx and _applies(ctx.applies_to, "range", a, b, lo):
            kind = ctx.meaning
        elif m["after"] or (_year(a, lo) and _year(b, hi)):
            kind = "period"
        if m["after"] and kind != "period":
            end = e
    if kind == "rank":
        kind, unit = "quantity", "rank"
    return [_make(text, start, end, s, e, None, unit, qualifier, kind, scale_word, low=low, high=high)]


def _ratio(text, m, ctx, chain, prev, R) -> list[Quantity]:
    """"16/18 Sở", "139/230 xã", "16 trên 18": value x, denominator y; or a date ("sáng 12/3")."""
    s = m.start()
    x_raw, y_raw = text[s:m.end("num")], m["y"]
    x, y = parse_number(x_raw), parse_number(y_raw)
    slash = text[m.end("num")] == "/"
    start, qualifier, _ = _start_and_qualifier(chain, s, is_range=False)
    kind, unit = "quantity", "count"
    if ctx and _applies(ctx.applies_to, "x", x, y, x_raw) and not (
            ctx.applies_to == "dm" and slash and x <= y and _followed_by(text, m.end(), R.after_ratio)):
        kind = ctx.meaning  # "đến 15/12"; but "kết nối đến 11/11 huyện" is a ratio
    elif not slash and x > y:
        return _single(text, s, m.end("num"), ctx, chain, prev, R)  # "5 trên 3" is no ratio
    elif slash and _daymonth(x, y) and (x > y or not _followed_by_noun(text, m.end(), R)):
        kind = "date"  # "30/6"; "1/3 đến ..."; but "10/10 huyện" is a ratio
    if kind == "rank":
        kind, unit = "quantity", "rank"
    if kind in _NOT_VALUES:
        return [_make(text, s, m.end(), s, m.end(), None, "count", "exact", kind, None)]
    return [_make(text, start, m.end(), s, m.end(), x, unit, qualifier, kind, None, den=y)]


def _letter_expression(text: str, lm: re.Match, R: _Rules) -> Quantity:
    """Expressions that start with a letter: "vài tỷ đồng", "quý III/2017", "Th3, 2019"."""
    if lm["vague"]:
        sm = R.suffix.match(text, lm.end())
        _, _, unit = _units(sm, R)
        kind, end = ("period", sm.end("after")) if sm["after"] else ("quantity", sm.end())
        vs = lm.start("vs") + len(lm["vs"]) - len(lm["vs"].lstrip())
        return _make(text, lm.start(), end, lm.start(), lm.end(), None, unit, "vague", kind, text[vs:lm.end()])
    if lm["qn"]:
        return _make(text, lm.start(), lm.end(), lm.start("qn"), lm.end(), None, "count", "exact", "period", None)
    return _make(text, lm.start(), lm.end(), lm.start(), lm.end(), None, "count", "exact", "date", None)


# ---------------------------------------------------------------- small helpers


_new, _setattr = object.__new__, object.__setattr__
assert [f.name for f in fields(Quantity)] == [  # _make spells the fields out, in this order
    "start", "end", "text", "number_start", "number_end", "value", "value_low", "value_high",
    "denominator", "unit", "qualifier", "kind", "scale_word"]


def _make(text, start, end, ns, ne, value, unit, qualifier, kind, scale_word, *, low=..., high=..., den=None):
    if low is ...:
        low, high = (value, value) if qualifier == "exact" else _bounds(value, qualifier)
    # What Quantity(...) does, without its frozen __init__ (one object.__setattr__ per field,
    # the dearest step when an article has hundreds of numbers): the fields' dict, in field order.
    q = _new(Quantity)
    _setattr(q, "__dict__", {
        "start": start, "end": end, "text": text[start:end], "number_start": ns, "number_end": ne,
        "value": value, "value_low": low, "value_high": high, "denominator": den, "unit": unit,
        "qualifier": qualifier, "kind": kind, "scale_word": scale_word})
    return q


def _bounds(value, qualifier):
    if value is None or qualifier == "vague":
        return None, None
    if qualifier in ("over", "approx_over"):
        return value, None
    if qualifier in ("nearly", "approx_nearly"):
        return None, value
    return value, value


def _combine(meanings: list[str]) -> str:
    """Qualifier meanings in a chain -> one qualifier: ["approx", "over"] -> "approx_over"."""
    m = {part for meaning in meanings for part in meaning.split("_")}
    if "approx" in m and "over" in m:
        return "approx_over"
    if "approx" in m and "nearly" in m:
        return "approx_nearly"
    return next((q for q in ("approx", "over", "nearly") if q in m), "exact")


def _start_and_qualifier(chain, s: int, *, is_range: bool):
    """Cut the chain at "từ" unless a range follows: (expression start, qualifier, has từ)."""
    if not chain:
        return s, "exact", False
    used, has_tu = [], False
    for meaning, start in chain:
        if meaning == "range_from":
            if not is_range:
                break
            has_tu = True
        used.append((meaning, start))
    return (used[-1][1] if used else s), _combine([mn for mn, _ in used]), has_tu


def _units(sm: re.Match, R: _Rules):
    """(multiplier, scale_word, unit) from a suffix match."""
    unit = "count"
    if sm["cur"]:
        unit = R.currency[_words(sm["cur"])] + (R.per[_words(sm["per"])] if sm["per"] else "")
    elif sm["pct"]:
        unit = "percent"
    return _multiplier(sm["scale"], R), sm["scale"], unit


def _multiplier(scale_words: str | None, R: _Rules) -> float:
    if not scale_words:
        return 1.0
    if (mult := R.scale_seen.get(scale_words)) is None:
        mult = 1.0
        for w in re.findall(r"\w+", scale_words.lower()):
            mult *= R.multiplier[w]  # "nghìn tỷ" = 1e3 * 1e9
        R.scale_seen[scale_words] = mult
    return mult


def _applies(applies_to: str, shape: str, a: float | None, b: float | None, raw: str) -> bool:
    """Does a context word fit this number? shape: n (single) | range | x (x/y)."""
    if applies_to == "any":
        return True
    if applies_to == "year":
        return shape == "n" and _year(a, raw)
    if applies_to == "small":
        if shape == "n" and (lv := _LEVEL_LIST.fullmatch(raw)):
            return _small(float(lv[1])) and _small(float(lv[2]))
        return shape in ("n", "range") and _small(a) and (shape == "n" or _small(b))
    if applies_to == "day":
        return (shape == "x" and _daymonth(a, b)) or (shape != "x" and a == int(a) and 1 <= a <= 31)
    if applies_to == "month":
        return shape == "n" and a == int(a) and 1 <= a <= 12
    if applies_to == "district":  # a numbered urban district or ward ("Quận 12", "Phường 3")
        return shape == "n" and raw.isdigit() and 1 <= a <= 24
    return shape == "x" and _daymonth(a, b)  # dm


def _year(v: float | None, raw: str) -> bool:
    return v is not None and len(raw) == 4 and raw.isdigit() and 1900 <= v <= 2099


def _small(v: float | None) -> bool:
    return v is not None and v == int(v) and 0 <= v <= _MAX_SMALL


def _daymonth(a, b) -> bool:
    return a == int(a) and b == int(b) and 1 <= a <= 31 and 1 <= b <= 12


def _followed_by_noun(text: str, end: int, R: _Rules) -> bool:
    """Is a counted noun next ("10/10 huyện", "2000 người") rather than "vừa qua", "năm", ","?"""
    w = _NEXT_WORD.match(text, end)
    if w is None:
        return False
    return _words(w[1]) not in R.after_date and (w[2] is None or _words(f"{w[1]} {w[2]}") not in R.after_date)


def _followed_by(text: str, end: int, words: frozenset[str]) -> bool:
    """Is the next word, or the next two, one of ``words``?"""
    w = _NEXT_WORD.match(text, end)
    return w is not None and (_words(w[1]) in words or (w[2] is not None and _words(f"{w[1]} {w[2]}") in words))


_NAME_LISTED = re.compile(rf"{_WS}*[,;]{_WS}*((?:[^\W\d_][\w.]*{_WS}+){{1,5}})")


def _listed_after_rank(text: str, start: int, prev: Quantity | None) -> bool:
    """Is ``start`` right after a rank and a list word, or a name listed after it? Then an
    ordinal word there ranks too: "đứng thứ 12/63 và thứ 30/63", "Huế đứng thứ 2/63, Quảng
    Ninh thứ 3/63" (every word of the name capitalised)."""
    if prev is None or prev.unit != "rank":
        return False
    if _LEVEL_JOIN.fullmatch(text, prev.end, start) is not None:
        return True
    name = _NAME_LISTED.fullmatch(text, prev.end, start)
    return name is not None and all(w[0].isupper() for w in name[1].split())
