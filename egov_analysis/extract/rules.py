"""The readable rule tables behind extraction, loaded once.

``rules/indicator_rules.csv``: which indicator a figure measures, from cue phrases in
three windows around it: ``before`` (from the clause start or the previous figure up to
the figure), ``after`` (from the figure to the next figure or clause break) and ``clause``
(the clause, plus the previous sentence when the clause refers back with "hệ thống này" or
a bare "hệ thống đã ..."). ``not_in`` vetoes a rule when a phrase is in ``before`` or ``after``.

In a cue cell, ``&`` joins phrases that must all be present, ``|`` separates alternatives.
A phrase written ``^văn bản`` must open its window (in ``after``: the noun right after the
figure, "186.420 văn bản"); ``tăng$`` must close it (in ``before``: the word right before
the figure, "tăng 15%"). Matching ignores case; a phrase starts at a word start, and a
one-word phrase also ends at a word end ("tin" is not "tính").

Rules are tried by ascending priority; the first whose cues and units match wins. The
pseudo-indicator ``not_an_indicator`` marks figures that are no indicator value at all (a
target, a year-on-year change, an investment, a hotline number): the engine keeps them as
rejected records, so they are never reported as figures but stay visible to curators. A rule
marked ``carries`` (a target verb: "phấn đấu 100% văn bản ... và đưa tối thiểu 30% dịch vụ")
holds for the later figures of its sentence too (across ";": a list of targets), up to a word that
says what holds now ("hiện", "đã", "trong khi", ...).

``rules/scopes.csv``: phrases naming the level or holder a figure is about (cấp tỉnh,
cấp huyện, Sở-ngành, tổ chức...).

Every phrase of both tables is found in one pass over a sentence (:class:`Phrases`); the
windows then only look up which phrases they contain.
"""

from __future__ import annotations

import bisect
import csv
import re
from dataclasses import dataclass
from functools import lru_cache

from .. import config
from ..errors import InputError

NOT_AN_INDICATOR = "not_an_indicator"
UNIT_KINDS = frozenset({"VND", "percent", "count", "ratio", "rank", "USD"})


def _norm(phrase: str) -> str:
    return " ".join(phrase.lower().split())


def _trie_regex(phrases: list[str]) -> str:
    """One regex matching the longest of ``phrases`` at a place, written as a trie.

    A flat alternation of a few hundred phrases makes ``re`` try every one at every place;
    sharing prefixes ("văn bản", "văn bản điện tử", "văn phòng") tries each letter once.
    A one-word phrase must end at a word end.
    """
    trie: dict = {}
    for p in phrases:
        node = trie
        for ch in p:
            node = node.setdefault(ch, {})
        node[""] = " " not in p  # end of a phrase: does it need a word end?

    def build(node: dict) -> str:
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if "" in node:  # a phrase ends here: longer phrases first, then this one
            branches.append(r"(?!\w)" if node[""] else "")
        if len(branches) == 1:
            return branches[0]
        return "(?:" + "|".join(branches) + ")"

    return build(trie)


class Phrases:
    """A fixed set of phrases, each found wherever it starts at a word start.

    Text is matched lower-cased. A multi-word phrase need not end at a word end, so a missing
    space in the source ("văn bảnđược") does not hide it; a one-word phrase must.
    """

    def __init__(self, phrases):
        self.phrases = sorted(set(phrases), key=lambda p: (-len(p), p))
        self.ids = {p: i for i, p in enumerate(self.phrases)}
        self._pattern = re.compile(_trie_regex(self.phrases)) if self.phrases else None
        # A match is the longest phrase at its start; the shorter phrases that are its word
        # prefixes start there too ("văn bản" inside "văn bản điện tử").
        self._at_start: list[tuple[tuple[int, int], ...]] = []
        for p in self.phrases:
            self._at_start.append(tuple(
                (1 << self.ids[q], len(q)) for q in self.phrases
                if p.startswith(q) and (len(q) == len(p) or " " in q or not (p[len(q)].isalnum() or p[len(q)] == "_"))
            ))
        self._at_phrase = dict(zip(self.phrases, self._at_start))

    def occurrences(self, low: str, lo: int, hi: int) -> list[tuple[int, int, int]]:
        """(start, end, 1 << phrase id) of every phrase in ``low[lo:hi]`` (lower-cased text), by start."""
        out: list[tuple[int, int, int]] = []
        if self._pattern is None:
            return out
        search, append, at_phrase = self._pattern.search, out.append, self._at_phrase
        pos = lo
        while (m := search(low, pos, hi)) is not None:
            s = m.start()
            pos = s + 1
            if s and ((c := low[s - 1]).isalnum() or c == "_"):
                continue
            for bit, n in at_phrase[m.group()]:
                append((s, s + n, bit))
        return out


def window(occ: list, starts: list[int], lo: int, hi: int, low: str) -> tuple[int, int, int]:
    """(phrases inside [lo, hi), those opening it, those closing it) from a sentence's
    occurrences, each a set of phrase ids written as a bit mask (bit ``id`` set).

    Spaces (and, at the end, commas) around the window's text do not count.
    """
    i, j = bisect.bisect_left(starts, lo), bisect.bisect_left(starts, hi)
    if i == j:
        return 0, 0, 0
    first = lo
    while first < hi and low[first] == " ":
        first += 1
    last = hi
    while last > lo and low[last - 1] in " ,":
        last -= 1
    inside = head = tail = 0
    for s, e, bit in occ[i:j]:
        if e <= hi:
            inside |= bit
            if s == first:
                head |= bit
            if e == last:
                tail |= bit
    return inside, head, tail


def windows_around(occ: list, starts: list[int], lo: int, qs: int, qe: int, hi: int, low: str) -> tuple:
    """:func:`window` of [lo, qs) followed by :func:`window` of [qe, hi): the six masks of the
    windows before and after a figure at [qs, qe), in one call (the engine asks for both)."""
    i, k = bisect.bisect_left(starts, lo), bisect.bisect_left(starts, qe)
    j = bisect.bisect_left(starts, hi)
    before = after = (0, 0, 0)
    if i < k and starts[i] < qs:
        before = window(occ, starts, lo, qs, low)
    if k < j:
        after = window(occ, starts, qe, hi, low)
    return before + after


# A figure's windows as nine sets, in this order; a cue's phrase is looked up in one of them.
SLOTS = {("before", "free"): 0, ("before", "head"): 1, ("before", "tail"): 2,
         ("after", "free"): 3, ("after", "head"): 4, ("after", "tail"): 5,
         ("clause", "free"): 6, ("clause", "head"): 7, ("clause", "tail"): 8}


@dataclass(frozen=True)
class Cue:
    """All of ``terms`` must match; a term is any of its (slot, phrase-id bit mask) alternatives."""

    terms: tuple[tuple[tuple[int, int], ...], ...]
    source: str


def _split_cue(cell: str) -> list[list[tuple[str, str]]]:
    """'a|^b & c$' -> [[('free','a'), ('head','b')], [('tail','c')]]."""
    terms = []
    for part in cell.split("&"):
        alts = []
        for a in part.split("|"):
            a = a.strip()
            if not a:
                continue
            if a.startswith("^"):
                alts.append(("head", _norm(a[1:])))
            elif a.endswith("$"):
                alts.append(("tail", _norm(a[:-1])))
            else:
                alts.append(("free", _norm(a)))
        if alts:
            terms.append(alts)
    return terms


def _cue(terms: list[list[tuple[str, str]]], ids: dict[str, int], source: str, column: str) -> Cue | None:
    if not terms:
        return None
    built = []
    for alts in terms:
        by_slot: dict[int, int] = {}
        for where, phrase in alts:
            if column == "not_in":  # a veto looks in before and after
                slots = {"free": (0, 3), "head": (4,), "tail": (2,)}[where]
            else:
                slots = (SLOTS[column, where],)
            for slot in slots:
                by_slot[slot] = by_slot.get(slot, 0) | (1 << ids[phrase])
        built.append(tuple(sorted(by_slot.items())))
    return Cue(tuple(built), source)


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
    carries: bool = False  # the verdict holds for the later figures of the sentence (a target verb)

    @property
    def rule_id(self) -> str:
        return f"{self.indicator_id}#{self.priority}"

    @property
    def terms(self) -> tuple:
        """Every term of the three positive cues, anchored ones (the most selective) first."""
        terms = [t for c in (self.after, self.before, self.clause) if c is not None for t in c.terms]
        return tuple(sorted(terms, key=lambda t: not any(slot % 3 for slot, _ in t)))

    @property
    def veto(self) -> tuple:
        """The ``not_in`` alternatives as (slot, phrase ids)."""
        return tuple(alt for t in self.not_in.terms for alt in t) if self.not_in is not None else ()


def first_rule(rules: tuple, slots: tuple) -> "IndicatorRule | None":
    """The first of ``rules`` (compiled by :func:`tables`) whose cues match a figure's ``slots``
    (the nine bit masks of :func:`window` for before, after and clause)."""
    present = 0
    for mask in slots:
        present |= mask
    for rule, needs, terms, veto in rules:
        if not needs & present:
            continue  # no phrase of its first term anywhere around the figure
        for slot, ids in veto:
            if ids & slots[slot]:
                break
        else:
            for term in terms:
                for slot, ids in term:
                    if ids & slots[slot]:
                        break
                else:
                    break  # no alternative of this term is there
            else:
                return rule
    return None


@dataclass(frozen=True)
class ScopeRow:
    phrase_ids: int  # bit mask
    scopes: tuple[str, ...]
    also_before: bool


@dataclass(frozen=True)
class Tables:
    phrases: Phrases
    rules: tuple[IndicatorRule, ...]
    by_unit: dict[str, tuple[tuple[IndicatorRule, int, tuple, tuple], ...]]  # (rule, needs, terms, veto), by priority
    scopes: tuple[ScopeRow, ...]
    scope_ids: int  # bit mask of every phrase of the scope table


def _read(name: str) -> list[dict]:
    """The rows of a rules table; a row with more or fewer cells than the header is refused (a
    cell holding a comma must be quoted)."""
    path = config.RULES_DIR / name
    with open(path, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for line, row in enumerate(rows, start=2):
        if None in row or any(v is None for v in row.values()):
            raise InputError(f"line {line} has {'more' if None in row else 'fewer'} cells than the header", where=path,
                             fix="put a cell that holds a comma in double quotes, and give every row all the header's columns")
    return rows


@lru_cache(maxsize=1)
def tables() -> Tables:
    """Both tables, with every phrase they name in one :class:`Phrases`."""
    rule_rows = _read("indicator_rules.csv")
    scope_rows = _read("scopes.csv")
    cells = [(r, {c: _split_cue(r[c]) for c in ("before", "after", "clause")}, _split_cue(r["not_in"])) for r in rule_rows]
    scope_phrases = [[_norm(p) for p in r["phrases"].split("|") if p.strip()] for r in scope_rows]
    everything = [p for _, cs, ni in cells for terms in (*cs.values(), ni) for alts in terms for _, p in alts]
    phrases = Phrases(everything + [p for ps in scope_phrases for p in ps])
    rules = []
    for r, cs, ni in cells:
        units = frozenset(u.strip() for u in r["units"].split("|"))
        if not units <= UNIT_KINDS:
            raise InputError(f"rule {r['indicator_id']}#{r['priority']} names unknown unit(s) {sorted(units - UNIT_KINDS)}",
                             where=config.RULES_DIR / "indicator_rules.csv", fix=f"use units from {sorted(UNIT_KINDS)}, joined by |")
        rules.append(IndicatorRule(
            int(r["priority"]), r["indicator_id"], units,
            *(_cue(cs[c], phrases.ids, r[c], c) for c in ("before", "after", "clause")),
            _cue(ni, phrases.ids, r["not_in"], "not_in"), r["description"], (r.get("carries") or "").strip() == "yes",
        ))
    seen: dict[int, str] = {}
    for rule in rules:
        if rule.priority in seen:
            raise InputError(f"two rules have priority {rule.priority} ({seen[rule.priority]} and {rule.indicator_id}): their order is undefined",
                             where=config.RULES_DIR / "indicator_rules.csv", fix="give each rule its own priority")
        seen[rule.priority] = rule.indicator_id
    rules.sort(key=lambda x: x.priority)
    by_unit = {u: tuple((r, _needs(r.terms), r.terms, r.veto) for r in rules if u in r.units) for u in UNIT_KINDS}
    scopes = tuple(
        ScopeRow(sum(1 << phrases.ids[p] for p in set(ps)), tuple(s for s in r["scope"].split(";") if s), r["also_before"] == "yes")
        for r, ps in zip(scope_rows, scope_phrases)
    )
    mask = 0
    for row in scopes:
        mask |= row.phrase_ids
    return Tables(phrases, tuple(rules), by_unit, scopes, mask)


def _needs(terms: tuple) -> int:
    """The phrases (bit mask) one of which a figure's windows must hold for ``terms`` to match:
    those of the first term, in any slot (every bit when there is no term)."""
    if not terms:
        return -1
    mask = 0
    for _, ids in terms[0]:
        mask |= ids
    return mask


def indicator_rules() -> tuple[IndicatorRule, ...]:
    return tables().rules


SCOPE_ORDER = ["cấp tỉnh", "Sở-ngành", "trung tâm hành chính công", "cấp huyện", "cấp xã", "tổ chức", "cá nhân"]


def scopes_between(occ: list, starts: list[int], lo: int, hi: int, before_only: bool = False) -> list[str]:
    """Scopes named in [lo, hi) of a sentence's phrase occurrences, in a fixed order, each once.

    Earlier table rows claim text first; within a row, matches do not overlap (the longest at
    the leftmost start wins). ``before_only`` keeps only rows marked ``also_before``
    (subjects such as the provincial public-administration centre, named before the figure).
    """
    i, j = bisect.bisect_left(starts, lo), bisect.bisect_left(starts, hi)
    t = tables()
    inside = [o for o in occ[i:j] if o[1] <= hi and o[2] & t.scope_ids]
    if not inside:
        return []
    present = 0
    for o in inside:
        present |= o[2]
    found: set[str] = set()
    claimed: list[tuple[int, int]] = []
    for row in t.scopes:
        ids = row.phrase_ids
        if not ids & present or (before_only and not row.also_before and row.scopes):
            continue  # none of its phrases here (it can claim nothing), or not a subject
        row_end = -1
        for s, e, pid in inside:
            if not pid & ids or s < row_end:
                continue
            # the longest phrase of this row at this start comes first (occurrences keep that order)
            row_end = e
            if any(s < ce and cs < e for cs, ce in claimed):
                continue
            claimed.append((s, e))
            found.update(row.scopes)
    return [s for s in SCOPE_ORDER if s in found] + sorted(found - set(SCOPE_ORDER))


def scopes_in(text: str, before_only: bool = False) -> list[str]:
    """Scopes named in ``text`` (see :func:`scopes_between`).

    >>> scopes_in("139/230 xã, phường, thị trấn")
    ['cấp xã']
    """
    low = text.lower()
    occ = tables().phrases.occurrences(low, 0, len(low))
    return scopes_between(occ, [o[0] for o in occ], 0, len(low), before_only)
