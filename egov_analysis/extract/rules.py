"""The readable rule tables behind extraction, loaded once.

``rules/indicator_rules.csv``: which indicator a figure measures, from cue phrases in
three windows around it: ``before`` (from the clause start or the previous figure up to
the figure), ``after`` (from the figure to the next figure or clause break) and ``clause``
(the clause, plus the previous sentence when the clause refers back with "hệ thống này").
In a cue cell, ``&`` joins phrases that must all be present, ``|`` separates alternatives.
Rules are tried by ascending priority; the first whose cues and units match wins.

``rules/scopes.csv``: phrases naming the level or holder a figure is about (cấp tỉnh,
cấp huyện, Sở-ngành, tổ chức...).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache

from .. import config


def _phrase_regex(alternatives: list[str]) -> re.Pattern:
    """One alternation; a phrase must start at a word start. A one-word phrase must also end at
    a word end ("tin" is not "tính"); a longer phrase need not, so a missing space in the source
    ("văn bảnđược") does not hide it."""
    alts = sorted((a.strip() for a in alternatives if a.strip()), key=len, reverse=True)
    parts = [re.escape(a) + ("" if " " in a else r"(?!\w)") for a in alts]
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")", re.IGNORECASE)


@dataclass(frozen=True)
class Cue:
    """All of ``terms`` must match (each term a compiled alternation)."""

    terms: tuple[re.Pattern, ...]
    source: str

    @classmethod
    def parse(cls, cell: str) -> "Cue | None":
        cell = cell.strip()
        if not cell:
            return None
        return cls(tuple(_phrase_regex(t.split("|")) for t in cell.split("&")), cell)

    def matches(self, text: str) -> bool:
        return all(t.search(text) for t in self.terms)


@dataclass(frozen=True)
class IndicatorRule:
    priority: int
    indicator_id: str
    units: frozenset[str]
    before: Cue | None
    after: Cue | None
    clause: Cue | None
    not_in: Cue | None
    description: str

    @property
    def rule_id(self) -> str:
        return f"{self.indicator_id}#{self.priority}"


@lru_cache(maxsize=1)
def indicator_rules() -> tuple[IndicatorRule, ...]:
    with open(config.RULES_DIR / "indicator_rules.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    rules = []
    for r in rows:
        not_in = None
        if r["not_in"].strip():
            not_in = Cue((_phrase_regex(r["not_in"].split("|")),), r["not_in"])
        rules.append(
            IndicatorRule(
                int(r["priority"]),
                r["indicator_id"],
                frozenset(u.strip() for u in r["units"].split("|")),
                Cue.parse(r["before"]),
                Cue.parse(r["after"]),
                Cue.parse(r["clause"]),
                not_in,
                r["description"],
            )
        )
    return tuple(sorted(rules, key=lambda x: x.priority))


@lru_cache(maxsize=1)
def scope_rules() -> tuple[tuple[re.Pattern, tuple[str, ...], bool], ...]:
    """(pattern, scopes, also_before): a row with no scope only claims its words."""
    with open(config.RULES_DIR / "scopes.csv", encoding="utf-8") as fh:
        return tuple(
            (_phrase_regex(r["phrases"].split("|")), tuple(s for s in r["scope"].split(";") if s), r["also_before"] == "yes")
            for r in csv.DictReader(fh)
        )


SCOPE_ORDER = ["cấp tỉnh", "Sở-ngành", "trung tâm hành chính công", "cấp huyện", "cấp xã", "tổ chức", "cá nhân"]


def scopes_in(text: str, before_only: bool = False) -> list[str]:
    """Scopes named in ``text``, in a fixed order, each once; earlier table rows claim text first.

    ``before_only`` keeps only rows marked ``also_before`` (subjects such as the provincial
    public-administration centre, named before the figure they did).
    """
    found: set[str] = set()
    claimed: list[tuple[int, int]] = []
    for pattern, scopes, also_before in scope_rules():
        if before_only and not also_before and scopes:
            continue
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in claimed):
                continue
            claimed.append(m.span())
            found.update(scopes)
    return [s for s in SCOPE_ORDER if s in found] + sorted(found - set(SCOPE_ORDER))
