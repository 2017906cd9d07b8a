"""Period phrases in Vietnamese text -> ISO date ranges.

The phrases are a readable table, ``rules/periods.csv``. All rows are tried together, left to
right: the phrase that starts first wins, and of phrases starting at the same place the
earlier row wins ("tính đến hết tháng 6/2019" is an as-of date, not the month of June).
Examples:

>>> [(p.start_date, p.end_date) for p in find_periods("Riêng 9 tháng đầu năm 2015, tỷ lệ")]
[('2015-01-01', '2015-09-30')]
>>> [p.meaning for p in find_periods("tăng 1.746 tin so với năm 2015")]
['base']
>>> [(p.meaning, p.start_date) for p in find_periods("Tính đến ngày 30/6/2018, Cổng cung cấp")]
[('as_of_date', '2018-06-30')]

Meanings: a span (``year``, ``first_months``, ``last_months``, ``quarter``, ``month``,
``year_range``, ``date_range``, ``this_year``, ``past_year``, ``last_year``), a day (``as_of_date``), ``since_year`` (open
end), ``as_of`` and ``since_event`` (the reference date; no date written) and ``base`` (a
comparison year, never the figure's own period).

A span written without its year ("6 tháng đầu năm", "Trong quý I,") has ``year_missing``;
:func:`resolve` dates it in the year the caller knows from context, else in the year of the
reference date (the latest such span that has begun by then).
"""

from __future__ import annotations

import array
import calendar
import csv
import re
import sys
from re import _constants as sre_c, _parser as sre_parse
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from . import config

_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}
SPANS = frozenset({"year", "first_months", "last_months", "quarter", "month", "year_range", "date_range", "this_year", "past_year", "last_year"})
NO_DATE = frozenset({"as_of", "since_event"})
# How long after the reference date a span may still end and count as "this year's"
# (a report on "6 tháng đầu năm" is often published a few weeks before June ends).
_GRACE = timedelta(days=45)


@dataclass(frozen=True)
class Period:
    start: int
    end: int
    text: str
    meaning: str
    start_date: str | None
    end_date: str | None  # None for as_of / since_year (filled from the reference date)
    year_missing: bool = False
    params: tuple = ()  # the numbers the phrase gives (n months, quarter, month, day), for dating later

    @property
    def is_base(self) -> bool:
        return self.meaning == "base"

    @property
    def is_span(self) -> bool:
        return self.meaning in SPANS

    def in_year(self, year: int) -> tuple[str | None, str | None]:
        """The dates of a phrase written without its year, in ``year``."""
        if self.meaning in ("this_year", "past_year", "last_year"):
            return f"{year}-01-01", f"{year}-12-31"
        if self.meaning == "as_of_date" and dict(self.params).get("last_year"):
            return f"{year}-12-31", f"{year}-12-31"
        return _dates(self.meaning, {**dict(self.params), "y": str(year)}) or (None, None)


@dataclass(frozen=True)
class _Row:
    rule_id: str
    meaning: str
    groups: tuple[tuple[str, str], ...]  # (name in the row, name in the combined pattern)


_DIGIT = object()


def _openings(items: list, prefix: str, out: set) -> bool:
    """Collect the literal text a parsed pattern can open with (up to its first non-literal
    item), or ``_DIGIT``; False when it can open with anything else."""
    if not items:
        if prefix:
            out.add(prefix)
        return bool(prefix)
    op, av = items[0]
    rest = items[1:]
    if op is sre_c.LITERAL:
        return _openings(rest, prefix + chr(av), out)
    if prefix or op == "stop":
        out.add(prefix)
        return bool(prefix)
    if op in (sre_c.AT, sre_c.ASSERT, sre_c.ASSERT_NOT):
        return _openings(rest, prefix, out)
    if op is sre_c.SUBPATTERN:
        return _openings(list(av[3]) + rest, prefix, out)
    if op is sre_c.BRANCH:
        return all(_openings(list(alt) + rest, prefix, out) for alt in av[1])
    if op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT):
        low, _, sub = av
        ok = _openings(list(sub) + [("stop", None)], prefix, out)
        return ok and (low > 0 or _openings(rest, prefix, out))
    if op is sre_c.IN and av == [(sre_c.CATEGORY, sre_c.CATEGORY_DIGIT)]:
        out.add(_DIGIT)
        return True
    return False


@dataclass(frozen=True)
class _Table:
    starts: re.Pattern  # where a phrase can start, in lower-cased text
    after_space: re.Pattern  # the same openings after a space, looked ahead (group 1)
    after_other: re.Pattern  # ... after another non-word character
    rows_at: dict  # an opening found there -> the alternation of the rows that can open with it
    every_row: re.Pattern  # all rows (when the openings of some row cannot be read)
    rows: dict[str, _Row]  # by group name
    complete: bool


@lru_cache(maxsize=1)
def _table() -> _Table:
    """The rows, and where each can start.

    Trying every row at every character is slow. A phrase can only start at a word start with
    one of the literal openings of the rows ("so với", "tính", a digit...), read from the
    patterns themselves; there only the rows that open that way are tried, in table order.
    """
    with open(config.RULES_DIR / "periods.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    parts, by_group, opens = [], {}, []
    complete = True
    for i, r in enumerate(rows):
        names = re.findall(r"\(\?P<(\w+)>", r["pattern"])
        pattern = re.sub(r"\(\?P([<=])(\w+)", lambda m: f"(?P{m[1]}{m[2]}_{i}", r["pattern"])
        parts.append(f"(?P<r{i}>{pattern})")
        by_group[f"r{i}"] = _Row(r["rule_id"], r["meaning"], tuple((n, f"{n}_{i}") for n in names))
        found: set = set()
        complete &= _openings(list(sre_parse.parse(r["pattern"], re.IGNORECASE)), "", found)
        opens.append({o if o is _DIGIT else o.lower() for o in found})
    every_row = re.compile("|".join(parts), re.IGNORECASE)
    words = sorted({o for os in opens for o in os if o is not _DIGIT}, key=len, reverse=True)
    alts = [re.escape(w) for w in words] + ([r"\d"] if any(_DIGIT in os for os in opens) else [])
    starts = re.compile(r"(?<!\w)(?:" + "|".join(alts) + ")" if complete else r"(?<!\w)\w")
    # The same openings as a trie, found after the character before them: a literal space (or
    # a class) to open with lets ``re`` skip ahead, where the look-behind above makes it try
    # every position. Looked ahead, so an opening inside a longer one ("năm" in "trong năm")
    # is found too.
    # An opening is a candidate only where a row that opens with it matches: most "năm",
    # "trong" or numbers open no period. The rows are tried in the scan itself (in C), from
    # the opening just read, so only real phrases reach the loop in Python (where the row is
    # matched again on the text itself, to read it).
    plain = [re.sub(r"\(\?P<\w+>", "(?:", r["pattern"]) for r in rows]  # no group names: a row may be checked at several openings

    def rows_from(key) -> str:
        return "|".join(plain[i] for i, os in enumerate(opens)
                        if ((_DIGIT in os) if key is _DIGIT else any(o is not _DIGIT and key.startswith(o) for o in os)))

    checked = {w: rf"(?<=(?=(?i:{rows_from(w)})){re.escape(w)})" for w in words}
    digit_rows = rows_from(_DIGIT) if any(_DIGIT in os for os in opens) else ""
    anywhere = _trie(words, checked) + (rf"|\d(?<=(?=(?i:{digit_rows})).)" if digit_rows else "")
    after_space = re.compile(rf" (?=({anywhere}))")
    after_other = re.compile(rf"[{_not_word_or_space()}](?=({anywhere}))")
    rows_at = {}
    for key in [*words, _DIGIT]:
        # every opening that is a prefix of this one starts here too ("so" inside "so với")
        here = [i for i, os in enumerate(opens)
                if ((_DIGIT in os) if key is _DIGIT else any(o is not _DIGIT and key.startswith(o) for o in os))]
        if here:
            rows_at[key] = re.compile("|".join(parts[i] for i in here), re.IGNORECASE)
    return _Table(starts, after_space, after_other, rows_at, every_row, by_group, complete)


@lru_cache(maxsize=1)
def _not_word_or_space() -> str:
    """A character class body for what ``[^\\w ]`` matches, spelled out as ranges.

    ``re`` tests a spelled-out class of the Basic Multilingual Plane with one table lookup,
    ``\\w`` with several Unicode lookups per character: ~3x faster to scan with. Characters
    beyond it are all let in (callers check the hit).
    """
    codec = "utf-32-le" if sys.byteorder == "little" else "utf-32-be"
    bmp = array.array("I", range(0x10000)).tobytes().decode(codec, "surrogatepass")  # every code point, in order
    ranges = []
    for run in re.finditer(r"[^\w ]+", bmp):  # a run of them is a range of code points
        first, last = re.escape(run[0][0]), re.escape(run[0][-1])
        ranges.append(first if len(run[0]) == 1 else f"{first}-{last}")
    return "".join(ranges) + "\U00010000-\U0010ffff"


def _trie(words: list[str], end: dict[str, str] | None = None) -> str:
    """An alternation of ``words`` sharing prefixes, the longer continuation first (so it
    matches what the longest-first alternation matches); ``end[w]``, if given, is a pattern
    that must match (zero width) where ``w`` ends."""
    root: dict = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict, prefix: str) -> str:
        branches = [re.escape(ch) + build(child, prefix + ch) for ch, child in sorted(node.items()) if ch]
        if "" in node:
            branches.append(end[prefix] if end else "")
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return "(?:" + build(root, "") + ")" if root else "(?!)"


def _month_end(y: int, m: int) -> str:
    return f"{y:04d}-{m:02d}-{calendar.monthrange(y, m)[1]:02d}"


def _day(y: int, m: int, d: int) -> str | None:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


# A count of months written in words ("Chín tháng qua"), as the rows of periods.csv allow it.
_COUNT_WORDS = {"một": 1, "hai": 2, "ba": 3, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9, "mười": 10,
                "mười một": 11, "mười hai": 12}


def _count(text: str) -> int:
    text = " ".join(text.lower().split())
    return int(text) if text.isdigit() else _COUNT_WORDS[text]


def _dates(meaning: str, g: dict) -> tuple[str | None, str | None] | None:
    """(start, end) of a phrase with its numbers ``g``; None when they make no date."""
    y = int(g["y"]) if g.get("y") else None
    if y is None:
        return None
    if meaning in ("year", "base"):
        return f"{y}-01-01", f"{y}-12-31"
    if meaning.startswith(("first_months", "last_months")):
        kind = "first_months" if meaning.startswith("first_months") else "last_months"
        n = _count(g.get("n") or meaning.removeprefix(kind) or "12")
        n = min(max(n, 1), 12)
        return (f"{y}-01-01", _month_end(y, n)) if kind == "first_months" else (f"{y}-{13 - n:02d}-01", f"{y}-12-31")
    if meaning == "quarter":
        q = _ROMAN.get(g["q"].upper()) or (int(g["q"]) if g["q"].isdigit() else None)
        if q is None:  # a look-alike letter matched case-insensitively ("quý İ")
            return None, None
        return f"{y}-{3 * q - 2:02d}-01", _month_end(y, 3 * q)
    if meaning == "month":
        m = int(g["m"])
        return (f"{y}-{m:02d}-01", _month_end(y, m)) if 1 <= m <= 12 else None
    if meaning == "year_range":
        y2 = int(g["y2"])
        return (f"{y}-01-01", f"{y2}-12-31") if y2 >= y else None
    if meaning == "since_year":  # since a year, or a day ("từ ngày 1/7/2019")
        start = _day(y, int(g["m"]), int(g["d"])) if g.get("d") else f"{y}-01-01"
        return (start, None) if start else None
    if meaning == "date_range":
        y2 = int(g.get("y2") or y)
        a, b = _day(y, int(g["m"]), int(g["d"])), _day(y2, int(g["m2"]), int(g["d2"]))
        return (a, b) if a and b and a <= b else None
    if meaning == "as_of_date":
        if g.get("d"):
            day = _day(y, int(g["m"]), int(g["d"]))
        elif g.get("m"):
            day = _month_end(y, int(g["m"])) if 1 <= int(g["m"]) <= 12 else None
        elif g.get("q"):
            q = _ROMAN.get(g["q"].upper()) or (int(g["q"]) if g["q"].isdigit() else None)
            day = _month_end(y, 3 * q) if q else None
        else:
            day = f"{y}-12-31"
        return (day, day) if day else None
    return None


def find_periods(text: str, low: str | None = None) -> list[Period]:
    """Every period phrase in ``text``, in order, non-overlapping.

    ``low`` is ``text`` lower-cased with the same length, when the caller has it.
    """
    t = _table()
    if low is None:
        low = text.lower()
        if len(low) != len(text):
            low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    found: list[Period] = []
    pos = 0
    rows_at, every_row = t.rows_at, t.every_row
    for c, opening in _word_openings(low, t):
        if c < pos:
            continue  # inside the phrase found last
        pattern = every_row if not t.complete else rows_at[_DIGIT if opening.isdigit() else opening]
        # match(text, pos) keeps ^ and look-behinds relative to the whole text.
        m = pattern.match(text, c)
        if m is None:
            continue
        row = t.rows[m.lastgroup]
        g = {name: m.group(key) for name, key in row.groups if m.group(key) is not None}
        period = _period(m, row.meaning, g)
        if period is not None:
            found.append(period)
            pos = m.end()
    return found


def _word_openings(low: str, t: _Table) -> list[tuple[int, str]]:
    """(offset, opening) of every word start in ``low`` where a row can open, in text order."""
    if not t.complete:
        return [(c.start(), c.group()) for c in t.starts.finditer(low)]
    hits = [(m.end(), m[1]) for m in t.after_space.finditer(low)]
    other = [(m.end(), m[1]) for m in t.after_other.finditer(low)
             if not ((c := low[m.start()]).isalnum() or c == "_")]  # past the BMP: check
    if (first := t.starts.match(low)) is not None:
        other.append((0, first.group()))
    return sorted(hits + other) if other else hits


def _period(m: re.Match, meaning: str, g: dict) -> Period | None:
    s, e = m.span()
    if meaning in NO_DATE:
        return Period(s, e, m.group(), meaning, None, None)
    if meaning in ("this_year", "past_year", "last_year"):
        return Period(s, e, m.group(), meaning, None, None, year_missing=True)
    if meaning == "last_year_end":  # a day, 31 December of the year before the article's
        return Period(s, e, m.group(), "as_of_date", None, None, year_missing=True, params=(("last_year", "1"),))
    if meaning == "base" and g.get("y") is None:  # "so với năm trước": compared with, no year written
        return Period(s, e, m.group(), meaning, None, None, year_missing=True, params=(("last_year", "1"),))
    if g.get("y") is None and meaning == "date_range" and g.get("y2"):
        g = {**g, "y": g["y2"]}
    if g.get("y") is None:
        # Written without its year: check the numbers make a date in some year (2000 is a leap year).
        if _dates(meaning, {**g, "y": "2000"}) is None:
            return None
        return Period(s, e, m.group(), meaning, None, None, year_missing=True, params=tuple(sorted(g.items())))
    dates = _dates(meaning, g)
    if dates is None:
        return None
    return Period(s, e, m.group(), meaning, *dates)


def infer_year(period: Period, reference_date: str | None) -> int | None:
    """The year of a phrase written without one, from the reference date alone.

    The latest such span that has begun by the reference date (and ends no later than a few
    weeks after it): "quý IV" in an article of January 2019 is the fourth quarter of 2018.

    >>> infer_year(find_periods("6 tháng đầu năm, hệ thống")[0], "2018-08-15")
    2018
    >>> infer_year(find_periods("trong quý IV, hệ thống")[0], "2019-01-10")
    2018
    """
    if not reference_date:
        return None
    ref = date.fromisoformat(reference_date)
    if period.meaning == "this_year":
        return ref.year
    if period.meaning == "past_year":  # "năm qua" in a January review is last year; in a December one, this year
        return ref.year - 1 if ref.month <= 6 else ref.year
    if period.meaning == "last_year" or dict(period.params).get("last_year"):  # năm ngoái, năm trước
        return ref.year - 1
    end = period.in_year(ref.year)[1]
    if end is not None and date.fromisoformat(end) > ref + _GRACE:
        return ref.year - 1
    return ref.year


def resolve(period: Period, reference_date: str | None, year: int | None = None) -> tuple[str | None, str | None]:
    """(period_start, period_end) with as-of and open-ended periods closed by the reference date.

    A phrase written without its year is dated in ``year`` (the year its context gives), else
    in the year :func:`infer_year` reads from the reference date. "Năm nay" in an article dated
    within that year is the year so far (2019-01-01..2019-12-20 on 20 December).
    """
    if period.meaning in NO_DATE:
        return reference_date, reference_date
    start, end = period.start_date, period.end_date
    if period.year_missing:
        if period.meaning in ("this_year", "past_year", "last_year") or dict(period.params).get("last_year") or year is None:
            year = infer_year(period, reference_date)
        start, end = period.in_year(year) if year is not None else (None, None)
    if period.meaning == "since_year":
        return start, reference_date
    if period.meaning == "this_year" and reference_date and start and start <= reference_date < end:
        return start, reference_date  # "năm nay" said before the year is out: the year so far
    return start, end
