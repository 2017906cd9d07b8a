"""Raw article text -> clean paragraphs and sentences, with offsets back to the raw text.

Steps, in order, each recorded in a cleaning log when it removes a line:
1. Unicode NFC (per grapheme cluster, so offsets stay exact) and whitespace normalisation
   (non-breaking and other odd spaces become a plain space, zero-width characters go,
   runs of spaces collapse, leading bullets go).
2. Web furniture: lines matching ``rules/furniture.csv`` (UI prompts, share bars, comment
   headers, image placeholders, photo captions, related-links headers with the list of
   headlines after them). Dateline, source and author lines are kept as metadata, not text.
3. Lines that are not Vietnamese, by the phonotactic test in :mod:`egov_analysis.language`.
4. Lines repeating an earlier line (scrapers repeat titles and lead paragraphs).
5. A trailing byline (a short line of capitalised names, "Hoàng Nam", "KHÁNH HÀ - QUANG
   MINH", "Thanh Hương - Sở TT&TT").

The first surviving line is the title; the rest are paragraphs, split into sentences. An
outlet prefix opening the lead ("(BLC) - ", "ICTnews - ") stays in the text and is also
recorded as the outlet.
Typos in the source stay as written. For every character of the cleaned body,
``offsets[i]``/``offsets_end[i]`` give its span in the raw (decoded) text.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from . import config
from .language import is_foreign_line

PARAGRAPH_SEP = "\n\n"

_SPACES = dict.fromkeys(map(ord, "\t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"), " ")
_DELETE = set("\u200b\u200c\u200d\u2060\ufeff\u00ad")
_LEADING_BULLETS = set("•·▪►▶●◦‣*-–—")
_NEEDS_NFC = re.compile(r"[\u0300-\u036f]")
_LINE = re.compile(r"[^\r\n]*")
# "(VnMedia) - ", "(BLC) - "; without parentheses only a name that cannot be a word
# ("ICTnews - ", "NDĐT - ", "VietNamNet - ", "VOV.VN - "): a second capital or a dot; or a
# newspaper named as one ("Báo Hà Giang - ").
_OUTLET_PREFIX = re.compile(
    r"^(?:\((?P<outlet>[A-Z][\w.&-]{1,30})\)\s*[-–—:]"
    r"|(?!TP\b|TP\.)(?P<bare>[A-ZĐ][\w&]*(?:[A-ZĐ.][\w.&]*)+)\s+[-–—]\s"
    r"|(?P<paper>Báo(?:\s+[A-ZĐÀ-Ỹ][^\W\d_]*){1,4})\s+[-–—]\s)"
)
_BYLINE_SEP = re.compile(r"\s*[-–—,/]\s*|\s+và\s+")
# "[.!?…]+" written as one mark then the rest: ``re`` skips ahead to a pattern that opens with
# a class, not to one that opens with a repeat.
_SENTENCE_END = re.compile(r"[.!?…][.!?…]*[\"”’)\]]*(?=\s+[\"“‘(\[]?[0-9A-ZĐÀ-Ỹ])")


@dataclass(frozen=True)
class Rule:
    rule_id: str
    action: str  # drop | published | outlet | author
    pattern: re.Pattern
    description: str


@lru_cache(maxsize=1)
def furniture_rules() -> tuple[Rule, ...]:
    """The furniture rule table (``rules/furniture.csv``), compiled once."""
    with open(config.RULES_DIR / "furniture.csv", encoding="utf-8") as fh:
        return tuple(
            Rule(r["rule_id"], r["action"], re.compile(r["pattern"], re.IGNORECASE), r["description"])
            for r in csv.DictReader(fh)
        )


@lru_cache(maxsize=1)
def abbreviations() -> frozenset[str]:
    with open(config.RULES_DIR / "abbreviations.csv", encoding="utf-8") as fh:
        return frozenset(r["abbreviation"] for r in csv.DictReader(fh))


@dataclass
class Line:
    """One raw line after character normalisation, with per-character raw offsets."""

    number: int  # 1-based line number in the raw text
    text: str
    starts: list[int]
    ends: list[int]
    raw_start: int
    raw_end: int
    bulleted: bool = False  # the raw line opened with a bullet ("- ", "• ")


@dataclass
class Cleaned:
    title: str
    body: str
    offsets: list[int]
    offsets_end: list[int]
    paragraphs: list[tuple[int, int]]  # (start, end) in body
    sentences: list[tuple[int, int, int]]  # (paragraph, start, end) in body
    log: list[dict] = field(default_factory=list)
    metadata: dict = field(default_factory=dict)


# Spaces that typesetting puts between groups of thousands ("7 075" with a no-break or thin space);
# a plain space is left alone: "mức độ 4 100%" is two numbers.
_GROUP_SPACES = frozenset("\u00a0\u202f\u2009")


def _short_run(out: list[str]) -> bool:
    """The digits just written are a group of one to three ("7", "1.250"), not a year ("năm 2019 120")."""
    n = 0
    while n < len(out) and out[-1 - n].isdigit():
        n += 1
    return n <= 3


def _group_follows(chars: list[str], i: int) -> bool:
    """Three digits from ``chars[i]``, and no fourth (nor a "%": no share is in the thousands)."""
    return (len(chars) >= i + 3 and all(c.isdigit() for c in chars[i:i + 3])
            and (len(chars) == i + 3 or not (chars[i + 3].isdigit() or chars[i + 3] in "%.,")))


def _normalise_line(raw: str, start: int, number: int) -> Line:
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    segment = raw[start : start + len(raw)]
    if _NEEDS_NFC.search(segment):
        # Compose per cluster (base + combining marks) so each output char keeps its raw span.
        i = 0
        n = len(segment)
        while i < n:
            j = i + 1
            while j < n and unicodedata.combining(segment[j]):
                j += 1
            composed = unicodedata.normalize("NFC", segment[i:j])
            for ch in composed:
                chars.append(ch)
                starts.append(start + i)
                ends.append(start + j)
            i = j
    else:
        chars = list(segment)
        starts = list(range(start, start + len(segment)))
        ends = [s + 1 for s in starts]
    out_c, out_s, out_e = [], [], []
    for i, (ch, s, e) in enumerate(zip(chars, starts, ends)):
        if ch in _DELETE:
            continue
        if ch in _GROUP_SPACES and out_c and out_c[-1].isdigit() and _group_follows(chars, i + 1) and _short_run(out_c):
            ch = "."  # "7\u00a0075": a no-break or thin space grouping thousands, written the Vietnamese way
        ch = ch.translate(_SPACES)
        if ch == " " and (not out_c or out_c[-1] == " "):
            continue
        out_c.append(ch)
        out_s.append(s)
        out_e.append(e)
    while out_c and out_c[-1] == " ":
        out_c.pop(), out_s.pop(), out_e.pop()
    # Leading bullets ("• Title") are layout, not text.
    k = 0
    while k < len(out_c) and (out_c[k] in _LEADING_BULLETS or out_c[k] == " ") and len(out_c) > k + 1:
        if out_c[k] in "-–—" and k + 1 < len(out_c) and out_c[k + 1].isdigit():
            break
        k += 1
    bulleted = False
    if k and out_c[k - 1] == " " or (k and out_c[k - 1] in _LEADING_BULLETS):
        bulleted = any(c in _LEADING_BULLETS for c in out_c[:k])
        out_c, out_s, out_e = out_c[k:], out_s[k:], out_e[k:]
    text = "".join(out_c)
    return Line(number, text, out_s, out_e, start, start + len(segment), bulleted)


def split_lines(raw: str) -> list[Line]:
    """Raw text -> normalised non-empty lines with their raw offsets."""
    lines = []
    number = 0
    for m in _LINE.finditer(raw):
        if m.start() == m.end() and m.start() > 0 and raw[m.start() - 1] not in "\r\n":
            continue  # the empty match right after a line's content
        number += 1
        line = _normalise_line(raw[m.start() : m.end()], 0, number)
        line.starts = [m.start() + s for s in line.starts]
        line.ends = [m.start() + e for e in line.ends]
        line.raw_start, line.raw_end = m.start(), m.end()
        if raw.startswith("\r\n", m.end()):
            pass
        if line.text:
            lines.append(line)
    return lines


def classify(line: Line) -> tuple[str, str, str | None]:
    """(action, rule_id, detail) for a line: action is keep, drop, drop_list or a metadata field."""
    for rule in furniture_rules():
        m = rule.pattern.match(line.text)
        if m:
            detail = m.groupdict().get(rule.action) if not rule.action.startswith("drop") else None
            return rule.action, rule.rule_id, detail
    foreign, share = is_foreign_line(line.text)
    if foreign:
        return "drop", "not_vietnamese", f"{share:.2f} of words are Vietnamese syllables"
    return "keep", "", None


def _is_list_item(line: Line, in_list) -> bool:
    """A line of a related-links list: bulleted like the first item, or (for an unbulleted
    list) a headline: short, no sentence-final full stop."""
    if in_list is True or (in_list == "first" and line.bulleted):
        return line.bulleted
    return len(line.text) <= 160 and not line.text.endswith((".", "…", ":", ";"))


def is_byline(text: str) -> bool:
    """A short line of names: capitalised words, joined by "-", ",", "/" or "và".

    >>> [is_byline(t) for t in ("Hoàng Nam", "KHÁNH HÀ - QUANG MINH", "Thanh Hương - Sở TT&TT", "Ảnh minh họa")]
    [True, True, True, False]
    """
    if len(text) > 60 or any(c.isdigit() for c in text) or text.endswith((".", ":", ";", "!", "?")):
        return False
    for name in _BYLINE_SEP.split(text):
        words = name.split()
        if not 1 <= len(words) <= 5:
            return False
        for w in words:
            if not (w[0].isupper() and all(c.isalpha() or c in "&." for c in w)):
                return False
    return True


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans in ``text``: a break after . ! ? … before a capital or digit.

    Abbreviations from ``rules/abbreviations.csv`` (TP., ThS., ...) do not end a sentence.

    >>> split_sentences("Năm 2016 tốt. TP. Cà Mau đạt 7.075 người.")
    [(0, 13), (14, 41)]
    """
    abbr = abbreviations()
    spans = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if text[m.start()] == ".":
            # the word before the full stop ("TP" in "TP. Cà Mau"), read backwards from it
            j = i = m.start()
            while i > start and not text[i - 1].isspace() and text[i - 1] != "(":
                i -= 1
            if i < j and text[i:j] in abbr:
                continue
        end = m.end()
        spans.append((start, end))
        start = end
        while start < len(text) and text[start] == " ":
            start += 1
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def clean_text(raw: str) -> Cleaned:
    """Clean one decoded article. Pure: the same input gives the same output."""
    lines = split_lines(raw)
    kept: list[Line] = []
    log: list[dict] = []
    meta: dict[str, str] = {}
    seen: dict[str, int] = {}

    def record(line: Line, action: str, rule: str, detail: str | None):
        log.append(
            {
                "line": line.number,
                "raw_start": line.raw_start,
                "raw_end": line.raw_end,
                "action": "dropped" if action.startswith("drop") else "metadata",
                "rule": rule,
                "detail": detail or "",
                "text": line.text[:160],
            }
        )

    in_list = None  # after a related-links header: None, or whether its items are bulleted
    for line in lines:
        action, rule, detail = classify(line)
        if action == "keep" and in_list is not None:
            if _is_list_item(line, in_list):
                in_list = line.bulleted if in_list == "first" else in_list
                record(line, "drop", "related_links_item", "a headline listed under a related-links header")
                continue
            in_list = None
        if action == "drop_list":
            in_list = "first"
        if action == "keep":
            key = line.text.casefold()
            if key in seen:
                record(line, "drop", "duplicate_line", f"repeats line {seen[key]}")
                continue
            seen[key] = line.number
            kept.append(line)
        else:
            if not action.startswith("drop") and detail:
                meta.setdefault(action, detail.strip())
            record(line, action, rule, detail)
    # A trailing byline: short, capitalised words, no digits or punctuation.
    if len(kept) > 2 and is_byline(kept[-1].text):
        byline = kept.pop()
        meta.setdefault("author", byline.text)
        record(byline, "author", "byline", byline.text)
    if kept:
        m = _OUTLET_PREFIX.match(kept[1].text) if len(kept) > 1 else None
        if m:
            meta.setdefault("outlet", m.group("outlet") or m.group("bare") or m.group("paper"))
    title = kept[0].text if kept else ""
    body_parts, offsets, offsets_end, paragraphs, sentences = [], [], [], [], []
    pos = 0
    for p_no, line in enumerate(kept[1:]):
        if body_parts:
            body_parts.append(PARAGRAPH_SEP)
            # Separators point at the end of the previous line in the raw text.
            offsets.extend([prev_end] * len(PARAGRAPH_SEP))
            offsets_end.extend([prev_end] * len(PARAGRAPH_SEP))
            pos += len(PARAGRAPH_SEP)
        body_parts.append(line.text)
        offsets.extend(line.starts)
        offsets_end.extend(line.ends)
        paragraphs.append((pos, pos + len(line.text)))
        for s, e in split_sentences(line.text):
            sentences.append((p_no, pos + s, pos + e))
        pos += len(line.text)
        prev_end = line.raw_end
    if "published" in meta:
        parsed = parse_vn_date(meta["published"])
        meta["published"] = parsed.isoformat() if parsed else None
    return Cleaned(title, "".join(body_parts), offsets, offsets_end, paragraphs, sentences, log, meta)


_MONTH_TH = re.compile(r"(?P<d>\d{1,2})\s+Th(?:áng)?\s*(?P<m>\d{1,2}),?\s+(?P<y>\d{4})", re.I)
_DMY = re.compile(r"(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})\s*[/.-]\s*(?P<y>\d{4})")
_LONG = re.compile(r"ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4})", re.I)
_ISO = re.compile(r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})")


def parse_vn_date(text: str) -> date | None:
    """A date written the Vietnamese way, or None.

    >>> parse_vn_date("12 Th3, 2019 lúc 18:41"), parse_vn_date("06:16, 27/06/2017")
    (datetime.date(2019, 3, 12), datetime.date(2017, 6, 27))
    """
    for pattern in (_ISO, _MONTH_TH, _LONG, _DMY):
        m = pattern.search(text)
        if m:
            try:
                return date(int(m["y"]), int(m["m"]), int(m["d"]))
            except ValueError:
                return None
    return None


def detect_metadata(raw: str) -> dict:
    """Title, published date (ISO), outlet and author as stated in an article's text."""
    cleaned = clean_text(raw)
    return {"title": cleaned.title, **{k: v for k, v in cleaned.metadata.items() if v}}


def latest_stated_date(text: str) -> date | None:
    """The latest full date (day/month/year) written in ``text``, or None.

    Used as an article's reference date when it has no publication date: "đến nay"
    (until now) in an undated article means "as of the latest event it reports".
    """
    found = []
    for pattern in (_DMY, _LONG):
        for m in pattern.finditer(text):
            try:
                found.append(date(int(m["y"]), int(m["m"]), int(m["d"])))
            except ValueError:
                pass
    return max(found) if found else None


def sentences_of(body: str) -> list[tuple[int, int, int]]:
    """(paragraph, start, end) of every sentence of a cleaned body, as :func:`clean_text` made them."""
    out = []
    pos = 0
    for p_no, para in enumerate(body.split(PARAGRAPH_SEP)):
        for s, e in split_sentences(para):
            out.append((p_no, pos + s, pos + e))
        pos += len(para) + len(PARAGRAPH_SEP)
    return out
