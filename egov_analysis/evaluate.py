"""Score extracted indicator records against a hand-made gold CSV.

Gold columns: ``article,province,period,indicator_id,scope,value,denominator,unit,qualifier,quote``.
``period`` is ``YYYY-MM-DD/YYYY-MM-DD`` (a range), ``/YYYY-MM-DD`` (cumulative to a date),
``YYYY-MM-DD`` (as of a date) or empty (unknown).

Two levels, each with precision, recall and F1 over a one-to-one matching within an article:

* ``value``: same value (and same denominator);
* ``full``: value + indicator_id + province + period.

Rejected records are not predictions. ``unclassified`` records count as predictions (they
carry a value) but never match at the ``full`` level.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .errors import InputError

GOLD_COLUMNS = ["article", "province", "period", "indicator_id", "scope", "value", "denominator", "unit", "qualifier", "quote"]


@dataclass(frozen=True)
class Score:
    level: str
    true_positives: int
    predicted: int
    gold: int

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def read_gold(path: Path) -> pd.DataFrame:
    if not Path(path).exists():
        raise InputError("gold file not found", where=path, fix="give the path of a CSV with columns " + ",".join(GOLD_COLUMNS))
    gold = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in GOLD_COLUMNS if c not in gold.columns]
    if missing:
        raise InputError(f"gold file lacks column(s) {missing}", where=path, fix="the header must be: " + ",".join(GOLD_COLUMNS))
    bad = [i + 2 for i, v in enumerate(gold["value"]) if v and not _is_number(v)]
    if bad:
        raise InputError(f"non-numeric value on line(s) {bad}", where=path, fix="write values in base units, e.g. 7000000000")
    return gold


def _is_number(s: str) -> bool:
    try:
        float(s)
        return True
    except ValueError:
        return False


def period_key(start, end) -> str:
    start = start if isinstance(start, str) else ""
    end = end if isinstance(end, str) else ""
    if start and end and start == end:
        return start
    if not start and not end:
        return ""
    return f"{start}/{end}"


def _num(v) -> float | None:
    if v is None or v == "" or (isinstance(v, float) and math.isnan(v)):
        return None
    return float(v)


def _same(a, b) -> bool:
    a, b = _num(a), _num(b)
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def score(records: pd.DataFrame, gold: pd.DataFrame) -> dict[str, Score]:
    """Precision/recall/F1 at the ``value`` and ``full`` levels."""
    pred = records[records["status"] != "rejected"]
    results = {}
    for level in ("value", "full"):
        tp = 0
        for article, g in gold.groupby("article"):
            cands = pred[pred["article_id"] == article].to_dict("records")
            used = set()
            for grow in g.to_dict("records"):
                for j, r in enumerate(cands):
                    if j in used or not _same(r["value"], grow["value"]) or not _same(r["denominator"], grow["denominator"]):
                        continue
                    if level == "full" and not (
                        r["indicator_id"] == grow["indicator_id"]
                        and (r["province"] or "") == grow["province"]
                        and period_key(r["period_start"], r["period_end"]) == grow["period"]
                    ):
                        continue
                    used.add(j)
                    tp += 1
                    break
        results[level] = Score(level, tp, len(pred[pred["article_id"].isin(gold["article"].unique())]), len(gold))
    return results


def misses(records: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """Gold rows with no full match, with the closest extracted record's fields, for debugging rules."""
    pred = records[records["status"] != "rejected"]
    rows = []
    for grow in gold.to_dict("records"):
        cands = pred[(pred["article_id"] == grow["article"])]
        same_value = [r for r in cands.to_dict("records") if _same(r["value"], grow["value"]) and _same(r["denominator"], grow["denominator"])]
        full = [
            r for r in same_value
            if r["indicator_id"] == grow["indicator_id"] and (r["province"] or "") == grow["province"]
            and period_key(r["period_start"], r["period_end"]) == grow["period"]
        ]
        if not full:
            best = same_value[0] if same_value else None
            rows.append({
                "article": grow["article"], "gold_indicator": grow["indicator_id"], "gold_value": grow["value"],
                "gold_province": grow["province"], "gold_period": grow["period"],
                "got_indicator": best["indicator_id"] if best else "", "got_province": best["province"] if best else "",
                "got_period": period_key(best["period_start"], best["period_end"]) if best else "",
            })
    return pd.DataFrame(rows)
