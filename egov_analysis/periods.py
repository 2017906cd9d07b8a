"""Period phrases in Vietnamese text -> ISO date ranges.

The phrases are a readable table, ``rules/periods.csv``, tried in order (the first
matching rule claims the span). Examples:

>>> [(p.start_date, p.end_date) for p in find_periods("Riêng 9 tháng đầu năm 2015, tỷ lệ")]
[('2015-01-01', '2015-09-30')]
>>> [p.meaning for p in find_periods("tăng 1.746 tin so với năm 2015")]
['base']
"""

from __future__ import annotations

import calendar
import csv
import re
from dataclasses import dataclass
from functools import lru_cache

from . import config

_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}


@dataclass(frozen=True)
class Period:
    start: int
    end: int
    text: str
    meaning: str  # year, first_months, quarter, month, year_range, since_year, as_of, base
    start_date: str | None
    end_date: str | None  # None for as_of / since_year (filled from the reference date)

    @property
    def is_base(self) -> bool:
        return self.meaning == "base"


@lru_cache(maxsize=1)
def _rules() -> tuple[tuple[str, re.Pattern], ...]:
    with open(config.RULES_DIR / "periods.csv", encoding="utf-8") as fh:
        return tuple((r["meaning"], re.compile(r["pattern"], re.IGNORECASE)) for r in csv.DictReader(fh))


def _month_end(y: int, m: int) -> str:
    return f"{y:04d}-{m:02d}-{calendar.monthrange(y, m)[1]:02d}"


def _dates(meaning: str, g: dict) -> tuple[str | None, str | None]:
    y = int(g["y"]) if g.get("y") else None
    if meaning in ("year", "base"):
        return f"{y}-01-01", f"{y}-12-31"
    if meaning.startswith("first_months"):
        n = int(g.get("n") or meaning.removeprefix("first_months") or 12)
        n = min(max(n, 1), 12)
        return f"{y}-01-01", _month_end(y, n)
    if meaning == "last_months":
        n = min(max(int(g["n"]), 1), 12)
        return f"{y}-{13 - n:02d}-01", f"{y}-12-31"
    if meaning == "quarter":
        q = _ROMAN.get(g["q"].upper()) or int(g["q"])
        return f"{y}-{3 * q - 2:02d}-01", _month_end(y, 3 * q)
    if meaning == "month":
        m = int(g["m"])
        if not 1 <= m <= 12:
            return None, None
        return f"{y}-{m:02d}-01", _month_end(y, m)
    if meaning == "year_range":
        y2 = int(g["y2"])
        return (f"{y}-01-01", f"{y2}-12-31") if y2 >= y else (None, None)
    if meaning == "since_year":
        return f"{y}-01-01", None
    return None, None  # as_of


# Every period phrase holds a year or an as-of word: the rules only need to run near one.
_TRIGGER = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)|hiện|đến nay|đến thời điểm", re.IGNORECASE)
_REACH_BEFORE, _REACH_AFTER = 60, 40


def _windows(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for m in _TRIGGER.finditer(text):
        lo, hi = max(0, m.start() - _REACH_BEFORE), min(len(text), m.end() + _REACH_AFTER)
        if spans and lo <= spans[-1][1]:
            spans[-1] = (spans[-1][0], hi)
        else:
            spans.append((lo, hi))
    return spans


def find_periods(text: str) -> list[Period]:
    """Every period phrase in ``text``, in order, non-overlapping (earlier rules win)."""
    taken: list[tuple[int, int]] = []
    found: list[Period] = []
    windows = _windows(text)
    for meaning, pattern in _rules():
        # finditer(text, lo, hi) keeps ^ and look-behinds relative to the whole text.
        for m in (m for lo, hi in windows for m in pattern.finditer(text, lo, hi)):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            start_date, end_date = _dates(meaning, m.groupdict())
            if meaning != "as_of" and start_date is None:
                continue
            taken.append((s, e))
            found.append(Period(s, e, m.group(), meaning, start_date, end_date))
    return sorted(found, key=lambda p: p.start)


def resolve(period: Period, reference_date: str | None) -> tuple[str | None, str | None]:
    """(period_start, period_end) with as-of and open-ended periods closed by the reference date."""
    if period.meaning == "as_of":
        return reference_date, reference_date
    if period.meaning == "since_year":
        return period.start_date, reference_date
    return period.start_date, period.end_date
