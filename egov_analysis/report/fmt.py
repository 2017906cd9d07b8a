"""Numbers, bounds, money and periods written the way each reader expects.

Vietnamese: ``7.075``, ``79,1%``, ``20 tỷ đồng``; English: ``7,075``, ``79.1%``, ``20.0 bn VND``.
Bounds show as ranges: a lower bound "≥ 20 tỷ đồng", an upper bound "≤ 99%", both "5–7 tỷ đồng"
(the sign joined to its number by a no-break space).
"""

from __future__ import annotations

import math

from .i18n import t


def _isnum(x) -> bool:
    return x is not None and not (isinstance(x, float) and math.isnan(x))


def number(x: float, lang: str, decimals: int | None = None) -> str:
    """A plain number in the reader's convention.

    >>> number(7075, "vi"), number(7075, "en"), number(79.1, "vi"), number(1234.5, "en", 1)
    ('7.075', '7,075', '79,1', '1,234.5')
    """
    if not _isnum(x):
        return "–"
    if decimals is None:
        decimals = 0 if float(x).is_integer() or abs(x) >= 1000 else (1 if abs(x) >= 10 else 2)
    s = f"{x:,.{decimals}f}"
    if lang == "vi":
        s = s.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return s


def money(x: float, lang: str) -> str:
    """VND with a scale word: 7e9 -> '7 tỷ đồng' / '7.0 bn VND'."""
    if not _isnum(x):
        return "–"
    if abs(x) >= 1e9:
        return f"{number(x / 1e9, lang, 1 if x % 1e9 else 0)} {t('unit_bn', lang)}"
    if abs(x) >= 1e6:
        return f"{number(x / 1e6, lang, 1 if x % 1e6 else 0)} {t('unit_mn', lang)}"
    return f"{number(x, lang, 0)} {t('unit_vnd', lang)}"


def value(x, low, high, unit: str, lang: str, denominator=None, qualifier: str | None = None, bound: str | None = None) -> str:
    """A figure with its bounds: '≥ 7 tỷ đồng', '≤ 99%', '16/18', '5–7 tỷ đồng', '≈ 100 triệu đồng'.

    An approximate figure keeps its "≈" through every number derived from it: pass the record's
    ``qualifier`` (indicators table) or the ``bound`` of a comparison table ("approx",
    "approx_lower", ...): '≈ ≥ 7 tỷ đồng' is "khoảng trên 7 tỷ đồng".

    >>> value(1e8, 1e8, 1e8, "VND/day", "vi", bound="approx"), value(7e9, 7e9, None, "VND", "en", bound="approx_lower")
    ('≈\xa0100 triệu đồng/ngày', '≈\xa0≥\xa07 bn VND')

    The sign and its number are joined by a no-break space: a narrow column never parts them.
    """
    shown = _value(x, low, high, unit, lang, denominator)
    approx = qualifier in ("approx", "approx_over", "approx_nearly") or (isinstance(bound, str) and bound.startswith("approx"))
    return f"≈\u00a0{shown}" if approx and shown != "–" and not _isnum(denominator) else shown


def _value(x, low, high, unit: str, lang: str, denominator=None) -> str:
    def one(v):
        if unit in ("VND", "VND/day") or unit.startswith("VND"):
            s = money(v, lang)
            return s + (t("per_day", lang) if unit == "VND/day" else "")
        if unit in ("percent", "rate_pct") or unit.endswith("pct"):
            return f"{number(v, lang)}%"
        return number(v, lang)

    if _isnum(denominator):
        return f"{number(x, lang)}/{number(denominator, lang)}"
    has_low, has_high = _isnum(low), _isnum(high)
    if has_low and has_high and not math.isclose(low, high):
        return f"{one(low)} – {one(high)}"
    if has_low and not has_high:
        return f"≥\u00a0{one(low)}"
    if has_high and not has_low:
        return f"≤\u00a0{one(high)}"
    if _isnum(x):
        return one(x)
    if has_low:
        return one(low)
    return "–"


def period(start, end, lang: str) -> str:
    """'2015-01-01'..'2015-09-30' -> '01/2015–09/2015' (vi) / 'Jan–Sep 2015' style kept simple: ISO months."""
    start = start if isinstance(start, str) and start else None
    end = end if isinstance(end, str) and end else None
    if not start and not end:
        return t("undated", lang)
    if start and end and start == end:
        return t("as_of", lang, date=_date(start, lang))
    if not start:
        return t("cumulative_to", lang, date=_date(end, lang))
    if start[5:] == "01-01" and end and end[5:] == "12-31":
        return start[:4] if start[:4] == end[:4] else f"{start[:4]}–{end[:4]}"
    return f"{_month(start, lang)}–{_month(end, lang)}" if end else start


def date(iso, lang: str) -> str:
    """A day as the reader writes it: '2017-06-27' -> '27/6/2017' (vi), '2017-06-27' (en)."""
    return _date(iso, lang) if isinstance(iso, str) and iso else "–"


def count(n: int, one: str, many: str) -> str:
    """'1 figure', '2 figures' (English plurals; Vietnamese nouns do not change)."""
    return f"{n} {one if n == 1 else many}"


def _date(iso: str, lang: str) -> str:
    y, m, d = iso.split("-")
    return f"{int(d)}/{int(m)}/{y}" if lang == "vi" else iso


def _month(iso: str, lang: str) -> str:
    y, m, _ = iso.split("-")
    return f"{int(m)}/{y}" if lang == "vi" else f"{y}-{m}"
