"""The rule engine: figures in cleaned sentences -> tidy indicator records with provenance.

For every quantity (:mod:`egov_analysis.quantities`) of kind ``quantity`` in a sentence:

* indicator: the first rule of ``rules/indicator_rules.csv`` whose cues match the windows
  around the figure; a figure inside a parenthetical breakdown right after another figure
  ("594 chữ ký số (148 tổ chức và 446 cá nhân)") is a part of it and inherits its indicator;
  no rule -> ``unclassified`` (kept, never dropped);
* province: the nearest province named before the figure in its clause, then after it, then
  earlier in the sentence; a national word ("cả nước", "quốc gia") -> Việt Nam; otherwise the
  article's main province (the one in the title, or named most often);
* period: a period phrase in the clause (nearest before, then after), then earlier in the
  sentence; for flows (money saved, documents sent) then the paragraph's and the lead
  sentence's explicit period (the period the article reports on); "đến nay"/"hiện" -> as of
  the reference date (for a flow: cumulative to it, start unknown); finally as of the
  reference date (publication date, else the latest date the article states);
* scope: the level or holder named next to the figure (``rules/scopes.csv``).

Everything here is pure: one article in, a list of record dicts out.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections import Counter
from dataclasses import dataclass

from .. import periods as periods_mod
from ..quantities import Quantity, find_quantities
from .rules import indicator_rules, scopes_in

NATIONAL = "Việt Nam"
_CLAUSE_BREAK = re.compile(r";")
_AFTER_STOP = re.compile(r"[;(]|\.(?!\d)")
_SCOPE_STOP = re.compile(r"(?<!\w)(?:đã|được|đạt|có|triển khai|sử dụng|cài đặt|thực hiện|với|cho biết|đảm bảo|nhằm|để|kết nối|giữa)(?!\w)|[;(]", re.IGNORECASE)
_ANAPHOR = re.compile(r"(?<!\w)(?:hệ thống này|phần mềm này|hệ thống trên|phần mềm trên|hệ thống đó)(?!\w)", re.IGNORECASE)
_PER_DAY = re.compile(r"(?<!\w)(?:mỗi ngày|một ngày|hàng ngày|hằng ngày|bình quân ngày|trung bình ngày)(?!\w)|/ngày", re.IGNORECASE)
_NATIONAL_WORDS = re.compile(r"(?<!\w)(?:cả nước|toàn quốc|quy mô quốc gia|trên toàn quốc|Việt Nam)(?!\w)", re.IGNORECASE)
MAX_BEFORE = 160
MAX_AFTER = 120


@dataclass(frozen=True)
class Sentence:
    index: int
    paragraph: int
    start: int
    end: int
    text: str


def article_province(title: str, mentions_title: list, mentions_body: list) -> str:
    """The article's main unit: the province in the title, else the one named most often
    (at least twice), else national."""
    provinces = [m.province for m in mentions_title if m.province != NATIONAL]
    if provinces:
        return provinces[0]
    counts = Counter(m.province for m in mentions_body if m.province != NATIONAL)
    if counts:
        (top, n), *rest = counts.most_common()
        if n >= 2 and (not rest or rest[0][1] < n):
            return top
    return NATIONAL


def _window_rule(q: Quantity, before: str, after: str, clause: str, unit_kind: str):
    for rule in indicator_rules():
        if unit_kind not in rule.units:
            continue
        if rule.not_in and rule.not_in.matches(before + " " + after):
            continue
        if rule.before and not rule.before.matches(before):
            continue
        if rule.after and not rule.after.matches(after):
            continue
        if rule.clause and not rule.clause.matches(clause):
            continue
        return rule
    return None


def _unit_kind(q: Quantity) -> str:
    if q.unit in ("VND", "VND/day"):
        return "VND"
    if q.unit in ("percent", "rank", "USD"):
        return q.unit
    if q.denominator is not None:
        return "ratio"
    return "count"


def _record_id(article_id: str, sentence: str, qtext: str, k: int) -> str:
    return hashlib.sha1(f"{article_id}|{sentence}|{qtext}|{k}".encode()).hexdigest()[:16]


def _clause_bounds(text: str, pos: int) -> tuple[int, int]:
    starts = [0] + [m.end() for m in _CLAUSE_BREAK.finditer(text)]
    i = bisect.bisect_right(starts, pos) - 1
    start = starts[i]
    end = starts[i + 1] - 1 if i + 1 < len(starts) else len(text)
    return start, end


def extract_article(article: dict, sentences: list[Sentence], gazetteer, catalogue_kinds: dict[str, str]) -> list[dict]:
    """Indicator records for one cleaned article.

    ``article`` needs article_id, title, body, reference_date. ``catalogue_kinds`` maps
    indicator_id -> kind (stock/flow/rate/rank).
    """
    body = article["body"]
    article_id = article["article_id"]
    ref = article.get("reference_date") or None
    mentions = gazetteer.find(body)
    mention_starts = [m.start for m in mentions]
    main = article_province(article["title"], gazetteer.find(article["title"]), mentions)
    quantities = [q for q in find_quantities(body)]
    q_starts = [q.start for q in quantities]
    lead_period = None
    para_periods: dict[int, list] = {}
    records: list[dict] = []
    # Period phrases never span sentences: find them once in the body, then share them out.
    body_periods = periods_mod.find_periods(body)
    p_starts = [p.start for p in body_periods]
    for s_no, sent in enumerate(sentences):
        text = sent.text
        p_lo, p_hi = bisect.bisect_left(p_starts, sent.start), bisect.bisect_left(p_starts, sent.end)
        sp = [_shift(p, sent.start) for p in body_periods[p_lo:p_hi] if p.end <= sent.end]
        explicit = [p for p in sp if p.meaning not in ("as_of", "base")]
        if s_no == 0 and explicit:
            lead_period = explicit[0]
        lo, hi = bisect.bisect_left(q_starts, sent.start), bisect.bisect_left(q_starts, sent.end)
        sent_qs = [q for q in quantities[lo:hi] if q.end <= sent.end and q.kind == "quantity"]
        m_lo, m_hi = bisect.bisect_left(mention_starts, sent.start), bisect.bisect_left(mention_starts, sent.end)
        sent_mentions = [(m.start - sent.start, m.end - sent.start, m.province) for m in mentions[m_lo:m_hi]]
        prev_text = sentences[s_no - 1].text if s_no and sentences[s_no - 1].paragraph == sent.paragraph else ""
        seen_text: Counter = Counter()
        sent_records: list[tuple[Quantity, dict]] = []
        for i, q in enumerate(sent_qs):
            qs, qe = q.start - sent.start, q.end - sent.start
            c_start, c_end = _clause_bounds(text, qs)
            prev_end = sent_qs[i - 1].end - sent.start if i else 0
            paren = text.rfind("(", 0, qs)
            close = text.find(")", paren) if paren >= 0 else -1
            inside_paren = paren >= c_start and (close == -1 or close >= qe)
            b_start = max(c_start, prev_end, paren + 1 if inside_paren else 0, qs - MAX_BEFORE)
            before = text[b_start:qs]
            next_start = sent_qs[i + 1].start - sent.start if i + 1 < len(sent_qs) else len(text)
            stop = _AFTER_STOP.search(text, qe)
            a_end = min(c_end, next_start, stop.start() if stop else len(text), qe + MAX_AFTER)
            after = text[qe:a_end]
            clause = text[c_start:c_end]
            if _ANAPHOR.search(clause) and prev_text:
                clause = prev_text + " " + clause
            unit_kind = _unit_kind(q)

            # A part of a breakdown in parentheses right after an earlier figure.
            parent = None
            if inside_paren:
                for prev_q, prev_rec in reversed(sent_records):
                    if prev_q.end - sent.start <= paren and prev_rec["part_of"] is None:
                        between = text[prev_q.end - sent.start : paren]
                        if len(between) <= 80 and not _AFTER_STOP.search(between):
                            parent = prev_rec
                        break
            rule = _window_rule(q, before, after, clause, unit_kind)
            if parent is not None and _unit_kind_of_record(parent) == unit_kind:
                indicator_id = parent["indicator_id"]
                how = f"part of {parent['record_id']}"
            elif rule is not None:
                parent = None
                indicator_id = rule.indicator_id
                how = f"rule {rule.rule_id}"
            else:
                parent = None
                indicator_id = "unclassified"
                how = "no rule matched"

            unit = {"VND": "VND", "percent": "percent", "count": "count", "ratio": "count", "rank": "rank", "USD": "USD"}[unit_kind]
            if unit == "VND" and (q.unit == "VND/day" or _PER_DAY.search(text[c_start:qs])):
                unit = "VND/day"
            if indicator_id == "ict_index_rank":
                unit = "rank"

            province, p_how = _province(sent_mentions, qs, c_start, c_end, text, main)
            kind = catalogue_kinds.get(indicator_id, "stock")
            period_start, period_end, t_how = _period(sp, qs, c_start, c_end, kind, ref, para_periods.get(sent.paragraph), lead_period if s_no else None)

            # Scope: the noun phrase right after the figure ("139/230 xã, phường"); in a
            # breakdown with nothing after the figure, the words before it ("cấp tỉnh 3.134");
            # else a subject named before it ("Trung tâm ... đã tiếp nhận hơn 23.000 hồ sơ").
            scope_stop = _SCOPE_STOP.search(after)
            head = after[: scope_stop.start()] if scope_stop else after
            scope = [] if head.lstrip().startswith((",", ")")) else scopes_in(head)
            if not scope and inside_paren:
                scope = scopes_in(before)
            if not scope:
                scope = scopes_in(before, before_only=True)

            k = seen_text[q.text]
            seen_text[q.text] += 1
            rec = {
                "record_id": _record_id(article_id, text, q.text, k),
                "article_id": article_id,
                "indicator_id": indicator_id,
                "province": province,
                "period_start": period_start,
                "period_end": period_end,
                "scope": "; ".join(scope) if scope else None,
                "value": q.value,
                "value_low": q.value_low,
                "value_high": q.value_high,
                "denominator": q.denominator,
                "unit": unit,
                "qualifier": q.qualifier,
                "quote": text,
                "quote_start": sent.start,
                "quote_end": sent.end,
                "value_text": q.text,
                "value_start": q.start,
                "value_end": q.end,
                "part_of": parent["record_id"] if parent is not None else None,
                "status": "extracted",
                "note": f"{how}; province: {p_how}; period: {t_how}",
            }
            sent_records.append((q, rec))
        records.extend(r for _, r in sent_records)
        if explicit:
            para_periods.setdefault(sent.paragraph, explicit)
    return records


def _shift(p, offset: int):
    return periods_mod.Period(p.start - offset, p.end - offset, p.text, p.meaning, p.start_date, p.end_date)


def _unit_kind_of_record(rec: dict) -> str:
    if rec["unit"] in ("VND", "VND/day"):
        return "VND"
    if rec["unit"] in ("percent", "rank", "USD"):
        return rec["unit"]
    if rec["denominator"] is not None:
        return "ratio"
    return "count"


def _province(mentions, qs, c_start, c_end, text, main) -> tuple[str, str]:
    in_clause_before = [m for m in mentions if c_start <= m[0] and m[1] <= qs]
    if in_clause_before:
        return in_clause_before[-1][2], "named before the figure"
    in_clause_after = [m for m in mentions if qs <= m[0] and m[1] <= c_end]
    if in_clause_after:
        return in_clause_after[0][2], "named after the figure"
    earlier = [m for m in mentions if m[1] <= c_start]
    if earlier:
        return earlier[-1][2], "named earlier in the sentence"
    if _NATIONAL_WORDS.search(text):
        return NATIONAL, "national words in the sentence"
    return main, "article's main unit"


def _period(sp, qs, c_start, c_end, kind, ref, para, lead):
    usable = [p for p in sp if p.meaning != "base"]
    explicit = [p for p in usable if p.meaning != "as_of"]
    before = [p for p in explicit if c_start <= p.start and p.end <= qs]
    if before:
        return (*periods_mod.resolve(before[-1], ref), f"'{before[-1].text}' before the figure")
    after = [p for p in explicit if qs <= p.start and p.end <= c_end]
    if after:
        return (*periods_mod.resolve(after[0], ref), f"'{after[0].text}' after the figure")
    leading = [p for p in explicit if p.end <= c_start]
    if leading:
        return (*periods_mod.resolve(leading[-1], ref), f"'{leading[-1].text}' earlier in the sentence")
    as_of = [p for p in usable if p.meaning == "as_of"]
    if kind == "flow":
        # A flow belongs to the period the article reports on, when it states one.
        if para:
            return (*periods_mod.resolve(para[0], ref), f"'{para[0].text}' earlier in the paragraph")
        if lead is not None:
            return (*periods_mod.resolve(lead, ref), f"'{lead.text}' in the lead sentence")
        if as_of:
            return None, ref, f"cumulative to the reference date ('{as_of[0].text}')"
    if as_of:
        return ref, ref, f"as of the reference date ('{as_of[0].text}')"
    return ref, ref, "as of the reference date (no period stated)"
