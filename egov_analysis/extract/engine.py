"""The rule engine: figures in cleaned sentences -> tidy indicator records with provenance.

For every quantity (:mod:`egov_analysis.quantities`) of kind ``quantity`` in a sentence that
is not part of a period phrase ("Vietnam ICT Index 2016"):

* indicator: the first rule of ``rules/indicator_rules.csv`` whose cues match the windows
  around the figure; a figure inside a parenthetical breakdown right after another figure
  ("594 chữ ký số (148 tổ chức và 446 cá nhân)") is a part of it and inherits its indicator;
  a figure no rule matches that is listed right after a classified one ("100% tỉnh, thành phố
  và khoảng 92% đơn vị cấp huyện") shares its indicator; no rule -> ``unclassified`` (kept,
  never dropped). A figure the table marks ``not_an_indicator`` (a target, a change, an
  investment, a phone number), or whose period lies after the article's reference date (a
  plan), is kept with status ``rejected``;
* province: the nearest province named before the figure in its clause, then after it, then
  earlier in the sentence; a national word ("cả nước", "các bộ, ngành, địa phương") ->
  Việt Nam; then the discourse: the province named last earlier in the paragraph, then (when
  the article names several provinces) the one named last in earlier paragraphs, sub-headings
  included ("Vĩnh Long: ..." / "Tỉnh đã cấp ..."); otherwise the article's main province (the
  one in the title, or named most often);
* period: a period phrase in the clause (nearest before, then after it up to the next
  figure), then earlier in the sentence; an as-of date ("Tính đến ngày 30/6/2018") dates a
  level on that day and makes a flow cumulative to it. A sentence without one: figures
  measured over a period (catalogue column ``measured_over``: flows, and rates such as the
  share of dossiers resolved on time) take the period the paragraph last named, then the
  lead's or the title's; an "đến nay"/"hiện" in the clause makes a flow cumulative to the
  reference date; anything else is as of the reference date (publication date, else the
  latest date the article states). A phrase without its year ("6 tháng đầu năm", "Trong quý
  I,") is dated in the year of the lead's or title's period, else of the reference date;
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
from .rules import NOT_AN_INDICATOR, first_rule, scopes_between, tables, window, windows_around

NATIONAL = "Việt Nam"
# ";", "(" or a full stop that is no decimal point ("[;(]|\.(?!\d)", written to open with a
# class: ``re`` skips ahead to a class, not to an alternation that opens with one), or ", trong đó"
# (the words after it describe the parts: "gần 51 triệu hồ sơ, trong đó số hồ sơ nộp trực tuyến ...").
_AFTER_STOP = re.compile(r"[;(.](?!(?<=\.)\d)|, [Tt]rong đó(?!\w)")  # also where a breakdown starts
# Patterns read the lower-cased body (``_Article.low``), so they are written in lower case.
# A verb or a clause break after the noun phrase that follows a figure. The words must start at
# a word start, checked in code (:func:`_at_word_start`): a pattern that opens with plain
# words lets ``re`` skip ahead fast, a look-behind does not.
_SCOPE_STOP = re.compile("|".join(rf"{w}(?!\w)" for w in (
    "đã", "được", "đạt", "có", "triển khai", "sử dụng", "cài đặt", "thực hiện", "với", "cho biết",
    "đảm bảo", "nhằm", "để", "kết nối", "giữa")) + r"|;|\(")
# A clause whose subject refers back to a system named before: "hệ thống này", or a bare
# "hệ thống"/"phần mềm" followed by a verb ("Đến nay, hệ thống đã được triển khai tại ...").
_ANAPHOR = re.compile(  # at a word start, checked in code
    r"(?:hệ thống|phần mềm)(?:\s+(?:này|trên|đó|nói trên)(?!\w)"
    r"|(?=\s+(?:đã|được|hiện|đang|cũng|vẫn|tiếp tục|vừa|mới|có|trong|vào|khi)(?!\w)))"
)
_PER_DAY = re.compile(r"(?<!\w)(?:mỗi ngày|một ngày|hàng ngày|hằng ngày|bình quân ngày|trung bình ngày)(?!\w)|/ngày")
# National scope besides the gazetteer's national words ("cả nước", "toàn quốc", "Việt Nam").
# (No look-behind for the word start: a pattern opening with plain words lets ``re`` skip
# ahead fast; the start is checked in code.)
_NATIONAL_WORDS = re.compile(r"(?:quy mô quốc gia|các bộ, ngành,? (?:và )?địa phương|bộ, ngành, địa phương)(?!\w)")
# Every phrase of _NATIONAL_WORDS contains one of these: an article without them needs no scan
# (the pattern opens with common letters, so ``re`` stops almost everywhere).
_NATIONAL_CLUES = ("quốc gia", "địa phương")
# A national word that is not the figure's unit: the country a province is compared with
# ("dẫn đầu cả nước", "đi đầu cả nước", "cao hơn bình quân cả nước"), or the end of an
# organisation's name ("Hội Tin học Việt Nam", "Tập đoàn Bưu chính Viễn thông Việt Nam").
_NOT_NATIONAL_BEFORE = re.compile(
    r"(?:(?<!\w)(?:dẫn đầu|đứng đầu|đi đầu|hàng đầu|top đầu|tốp đầu|đứng thứ \S+|xếp thứ \S+|xếp hạng|so với|hơn|top|tốp|nhất)"
    r"(?:\s+(?:mức\s+)?(?:bình quân|trung bình))?(?:\s+(?:trong|của|toàn))?\s*"
    r"|(?<!\w)(?:Hội|Hiệp hội|Tập đoàn|Tổng công ty|Công ty|Ngân hàng|Viện|Báo|Đài|Bưu điện|Thông tấn xã|Cục|Liên minh)(?:\s+[^\W\d]+){0,5}\s+)$"
)
# A figure listed right after another: only nouns and a list word between them.
_COORD_END = re.compile(r"(?:,|(?<!\w)(?:và|cùng|hoặc))\s*$")
_COORD_BLOCK = re.compile(r"[;:()\d]|(?<!\w)(?:trong đó|tăng|giảm|so với|đạt|gồm|riêng|bao gồm)(?!\w)")
# A figure named by a word that points back: "Riêng cấp xã, tỷ lệ này mới đạt khoảng 45%" measures
# what the last figure of its kind before it in the paragraph measures.
_POINTS_BACK = re.compile(r"(?<!\w)(?:tỷ lệ|tỉ lệ|con số|chỉ số|số lượng|mức) (?:này|đó|trên|nói trên)(?!\w)")
# What ends a target's reach in its clause: a word saying what holds now or already ("phấn đấu
# đạt 100%, trong khi hiện mới đạt 60%"), not "thực hiện"/"xuất hiện".
_CONTRAST_WORDS = "tuy nhiên|nhưng|song|trong khi"
_CARRY_STOP = re.compile(rf"(?<!\w)(?:(?<!thực )(?<!xuất )hiện|đến nay|{_CONTRAST_WORDS}|đã)(?!\w)")
# A level set apart as the topic at the head of the words before a figure ("Riêng cấp xã, tỷ lệ này
# mới đạt 45%"; "..., riêng cấp xã mới đạt 64,3%"; "Ở cấp huyện, ...").
_TOPIC = re.compile(r"(?:riêng|ở|đối với|còn|tại|với)\s+")
# A sentence whose subject is a national system or the ministry ("Theo Bộ Thông tin và Truyền
# thông, Trục liên thông văn bản quốc gia ... đã gửi, nhận hơn 1,8 triệu văn bản"; "Cổng Dịch vụ
# công quốc gia, ..., đã giúp ... tiết kiệm ..."): its figures are national unless it names a province.
_NATIONAL_SUBJECT = re.compile(r"(?:theo [^,.;]{1,80}, )?(?:trục liên thông văn bản quốc gia|cổng dịch vụ công quốc gia|"
                               r"bộ thông tin và truyền thông|bộ tt&tt|bộ tt-tt|bộ tt và tt)(?!\w)")
# A breakdown announced right after a figure ("124 đơn vị hành chính cấp xã, gồm 117 xã và 7 phường").
_NO_BREAKDOWN = re.compile(r"[;:()\d.]")
_BREAKDOWN_END = re.compile(r"(?<!\w)(?:bao gồm|gồm|trong đó)\s*:?\s*(?:có\s*)?$")
# A share of a flow: dossiers or documents (submitted online, on time, ...).
_FLOW_SHARE = re.compile(r"(?<!\w)(?:hồ sơ|văn bản)(?!\w)")
# The words that open a label before its colon and are not what it counts ("Số tài khoản người
# dùng: 8.412", "- Tổng số văn bản điện tử gửi, nhận: khoảng 742.000").
_LABEL_LEAD = re.compile(r"[\s\-–•+*]*(?:(?:tổng số|số lượng|số|tổng)\s+)?")
# A contrast between a figure and a period after it: the period is another statement's
# ("4 dịch vụ mức độ 4, tuy nhiên trong quý I chỉ có 312 hồ sơ").
_CONTRAST = re.compile(rf"(?<!\w)(?:{_CONTRAST_WORDS})(?!\w)")
# The country's own figure, named right before it ("cao hơn mức trung bình cả nước là 65%",
# "trong khi bình quân cả nước khoảng 8-9%"): unlike "cao hơn bình quân cả nước", it is national.
_NATIONAL_RIGHT_BEFORE = re.compile(r"(?<!dẫn đầu )(?<!đứng đầu )(?<!đi đầu )(?<!top đầu )(?<!tốp đầu )(?<!nhất )"
                                    r"(?<!\w)(?:cả nước|toàn quốc)\s*(?:là|khoảng|đạt|ở mức|chỉ|mới|chỉ đạt|mới đạt|chỉ khoảng)?\s*[:(]?\s*$")
# Words that open a paragraph going into the detail of the one before.
_GOES_ON = re.compile(r"(?:cụ thể|trong đó|riêng|bên cạnh đó|ngoài ra|đáng chú ý|chi tiết)(?!\w)")
# Scopes that name holders (of certificates, ...), not levels of government.
_HOLDERS = frozenset({"tổ chức", "cá nhân"})
# A word for a province or city in a sentence: then a sentence opening with the ministry is about it.
_PROVINCE_WORD = re.compile(r"(?<!\w)(?:tỉnh|thành phố|địa phương)(?!\w)")
# The province the article is about, named as such ("Toàn tỉnh", "của tỉnh").
_OUR_PROVINCE = re.compile(r"(?<!\w)(?:toàn tỉnh|của tỉnh|tỉnh ta|trên địa bàn tỉnh)(?!\w)")
# A figure an earlier one is compared with ("đạt 98.7%, cải thiện đáng kể so với mức 96,9% của năm 2016").
_COMPARED_WITH = re.compile(r"(?<!\w)so với(?:\s+(?:mức|con số|tỷ lệ|tỉ lệ|số))?\s*$")
# Levels listed before figures that follow them in order ("của cấp tỉnh, huyện, xã lần lượt là 99%,
# 95% và 80%").
_RESPECTIVELY = re.compile(r"(?<!\w)lần lượt(?:\s+(?:là|đạt|ở mức|chiếm))?(?!\w)")
# Spans a later sentence may inherit: not a programme's span ("giai đoạn 2016 - 2020").
_INHERITED = frozenset({"year", "first_months", "last_months", "quarter", "month", "date_range", "this_year", "past_year", "last_year"})
MAX_BEFORE = 160
MAX_AFTER = 120
_UNIT = {"VND": "VND", "percent": "percent", "count": "count", "ratio": "count", "rank": "rank", "USD": "USD"}


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


def _unit_kind(q: Quantity) -> str:
    if q.unit in ("VND", "VND/day"):
        return "VND"
    if q.unit in ("percent", "rank", "USD"):
        return q.unit
    if q.denominator is not None:
        return "ratio"
    return "count"


def _unit_kind_of_record(rec: dict) -> str:
    if rec["unit"] in ("VND", "VND/day"):
        return "VND"
    if rec["unit"] in ("percent", "rank", "USD"):
        return rec["unit"]
    if rec["denominator"] is not None:
        return "ratio"
    return "count"


def _record_id(article_id: str, sentence: str, qtext: str, k: int, prefix=None) -> str:
    """A stable id from the article, the sentence, the figure as written and its repeat number.

    ``prefix`` is ``hashlib.sha1(f"{article_id}|{sentence}|".encode())``, when the caller
    hashes several figures of one sentence.
    """
    h = prefix.copy() if prefix is not None else hashlib.sha1(f"{article_id}|{sentence}|".encode())
    h.update(f"{qtext}|{k}".encode())
    return h.hexdigest()[:16]


def _lower(text: str) -> str:
    """Lower case with the same length (offsets stay valid); a rare letter that lower-cases to
    two characters keeps its case."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


class _Article:
    """What one article's sentences share: text, phrases, mentions, periods, discourse state."""

    def __init__(self, article: dict, sentences: list[Sentence], gazetteer, kinds: dict[str, str], measured: dict[str, str]):
        self.body = body = article["body"]
        self.low = _lower(body)
        self.article_id = article["article_id"]
        self.ref = article.get("reference_date") or None
        self.kinds, self.measured = kinds, measured
        self.sentences = sentences
        self.tables = tables()
        mentions = gazetteer.find(body)
        title_mentions = gazetteer.find(article["title"])
        self.main = article_province(article["title"], title_mentions, mentions)
        self.mentions = [m for m in mentions if m.province != NATIONAL or not _NOT_NATIONAL_BEFORE.search(body, max(0, m.start - 60), m.start)]
        self.mention_starts = [m.start for m in self.mentions]
        # What a later sentence naming no unit may refer back to: provinces and national words.
        low = self.low
        self.national_words = [m.start() for m in _NATIONAL_WORDS.finditer(low) if not (m.start() and low[m.start() - 1].isalnum())
                               ] if any(w in low for w in _NATIONAL_CLUES) else []
        self.referents = sorted([(m.start, m.province) for m in self.mentions] + [(x, NATIONAL) for x in self.national_words])
        # Sections about several provinces: a sentence naming none continues the last one named
        # in an earlier paragraph, unless the title names the one province the article is about.
        named = {m.province for m in mentions if m.province != NATIONAL}
        self.several = len(named) >= 2 and len({m.province for m in title_mentions if m.province != NATIONAL}) != 1
        self.quantities = find_quantities(body)
        self.q_starts = [q.start for q in self.quantities]
        self.periods = periods_mod.find_periods(body, self.low)
        self.p_starts = [p.start for p in self.periods]
        self._occ: dict[int, tuple[list, list]] = {}
        self.rank_span: tuple[str, str, str] | None = None  # (start, end, phrase) of the last dated rank
        self.cities = _cities(gazetteer)
        self.headers: dict[int, int | None] = {}  # table row -> its header row (found once per row)
        # The year a phrase without one belongs to, and the span the article reports on:
        # the lead's (first prose sentence's) dated period, else the title's.
        title_periods = [p for p in periods_mod.find_periods(article["title"]) if not p.is_base and not p.year_missing]
        self.lead_no = _lead_no(sentences)
        lead = [p for p in self._sentence_periods(sentences[self.lead_no]) if not p.is_base and not p.year_missing] if sentences else []
        first = next((p for p in lead + title_periods if p.meaning in _INHERITED or p.meaning == "as_of_date"), None)
        self.year = int((first.end_date or first.start_date)[:4]) if first else None
        spans = [(p, self.resolve(p)) for p in lead + title_periods if p.meaning in _INHERITED]
        spans = [(p, d) for p, d in spans if self._not_future(d)]
        # The lead's own sentence has already read its periods clause by clause.
        self.lead_span = spans[0] if spans else None
        self.title_span = next(((p, d) for p, d in spans if any(p is t for t in title_periods)), None)

    # -- lookups -----------------------------------------------------------------------------

    def occurrences(self, s_no: int) -> tuple[list, list]:
        """Cue and scope phrases of sentence ``s_no``: (occurrences, their starts)."""
        got = self._occ.get(s_no)
        if got is None:
            sent = self.sentences[s_no]
            occ = self.tables.phrases.occurrences(self.low, sent.start, sent.end)
            got = self._occ[s_no] = (occ, [o[0] for o in occ])
        return got

    def _sentence_periods(self, sent: Sentence) -> list:
        lo, hi = bisect.bisect_left(self.p_starts, sent.start), bisect.bisect_left(self.p_starts, sent.end)
        return [p for p in self.periods[lo:hi] if p.end <= sent.end]

    def resolve(self, p) -> tuple[str | None, str | None]:
        return periods_mod.resolve(p, self.ref, self.year)

    def _not_future(self, dates) -> bool:
        return not (self.ref and dates[0] and dates[0] > self.ref)


def extract_article(article: dict, sentences: list[Sentence], gazetteer, catalogue_kinds: dict[str, str],
                    measured_over: dict[str, str] | None = None) -> list[dict]:
    """Indicator records for one cleaned article.

    ``article`` needs article_id, title, body, reference_date. ``catalogue_kinds`` maps
    indicator_id -> kind (stock/flow/rate/rank); ``measured_over`` maps indicator_id ->
    "period" or "date" (catalogue column; default: flows over a period, the rest at a date).
    """
    a = _Article(article, sentences, gazetteer, catalogue_kinds, measured_over or {})
    body = a.body
    records: list[dict] = []
    para = -1
    para_span = None  # (period, dates) the paragraph named last
    para_province = None  # the province the paragraph named last (before the current sentence)
    earlier_province = None  # the province named last in earlier paragraphs
    m_next = 0  # next mention not yet seen by the discourse
    para_records: list[dict] = []  # records of the paragraph's earlier sentences
    intro = item_kind = None  # a line ending with ":" whose items follow ("Tỷ lệ văn bản điện tử, chia theo cấp:")
    # (sentences, characters) of each paragraph: a short paragraph after an intro is one of its items,
    # also when it ends with a full stop ("- Đã cấp 8.960 chứng thư số cho các cơ quan. ...")
    para_size: dict[int, tuple[int, int]] = {}
    for sent in sentences:
        n, chars = para_size.get(sent.paragraph, (0, 0))
        para_size[sent.paragraph] = (n + 1, chars + len(sent.text))
    for s_no, sent in enumerate(sentences):
        # an item of the intro's list: a line that reads as one, or a short paragraph when the list
        # opened with one (its kind is set by its first item)
        n_sent, n_chars = para_size.get(sent.paragraph, (9, 9999))
        kind = "line" if _is_item(sent.text) else "para" if n_sent <= 2 and n_chars <= 300 else None
        item = intro is not None and kind is not None and item_kind in (None, kind)
        if item and item_kind is None and sent.paragraph != sentences[intro].paragraph:
            item_kind = kind
        if not item:
            intro = item_kind = None
        # Units named in earlier sentences feed the discourse (of their own paragraph).
        while m_next < len(a.referents) and a.referents[m_next][0] < sent.start:
            para_province = a.referents[m_next][1]
            m_next += 1
        if sent.paragraph != para and item:
            para = sent.paragraph  # an item continues its intro's paragraph
        if sent.paragraph != para:
            if para_province is not None:
                earlier_province = para_province
            # A paragraph that opens by going into detail ("Cụ thể, ở cấp tỉnh, ...") reports on the
            # span of the one before.
            kept = para_span if _GOES_ON.match(a.low, sent.start) else None
            para, para_span, para_province = sent.paragraph, kept, None
            para_records = []
        lo, hi = bisect.bisect_left(a.q_starts, sent.start), bisect.bisect_left(a.q_starts, sent.end)
        sp = a._sentence_periods(sent)
        taken = [(p.start, p.end) for p in sp]
        sent_qs = [q for q in a.quantities[lo:hi]
                   if q.kind == "quantity" and q.end <= sent.end and not any(s < q.end and q.start < e for s, e in taken)]
        if sent_qs:
            article_span = a.lead_span if s_no > a.lead_no else a.title_span
            got = _sentence_records(a, s_no, sent, sent_qs, sp, para_span, article_span, para_province, earlier_province, para_records,
                                    intro if item else None)
            records.extend(got)
            para_records.extend(got)
        if sent.text.rstrip().endswith(":"):
            intro = s_no
        elif s_no and _is_header_row(sent.text) and not _is_header_row(sentences[s_no - 1].text):
            intro = s_no - 1  # the line above a table ("(số liệu tính đến ngày 31/12/2020)") introduces it
        inherited = [p for p in sp if p.meaning in _INHERITED or (p.meaning == "since_year" and _year_to_date(a, p))]
        if inherited:
            dates = a.resolve(inherited[-1])
            if dates[0] and a._not_future(dates):
                para_span = (inherited[-1], dates)
    return records


def _label(a: _Article, s_no: int, occ: list, starts: list[int], lo: int, qs: int) -> tuple[bool, tuple[int, int, int]] | None:
    """(from a table's header?, the phrase masks as :func:`window`) of what names a figure from
    before it: the label of a "label: figure" line, or the header cell above a figure in a table
    row (which is also read as the words right before the figure: the row does not repeat them)."""
    body, sent = a.body, a.sentences[s_no]
    if "|" in sent.text:
        cell = body.count("|", sent.start, qs)
        header = a.headers.get(s_no, -1)
        if header == -1:
            header = a.headers[s_no] = _table_header(a, s_no, sent.text.count("|") + 1)
        header = header if cell else None
        masks = (0, 0, 0)
        if header is not None:
            h = a.sentences[header]
            bars = [i for i in range(h.start, h.end) if body[i] == "|"]
            c_lo = bars[cell - 1] + 1
            c_hi = bars[cell] if cell < len(bars) else h.end
            h_occ, h_starts = a.occurrences(header)
            masks = window(h_occ, h_starts, _LABEL_LEAD.match(a.low, c_lo, c_hi).end(), c_hi, a.low)
        # when the header names nothing ("Kết quả"), the row's own label: the nearest cell before the
        # figure's that has words ("1 | Số văn bản được ký số trong năm | 412.580")
        row_bars = [i for i in range(sent.start, qs) if body[i] == "|"] if not any(masks) else []
        for lo_bar, hi_bar in zip([sent.start - 1, *row_bars][-2::-1], row_bars[::-1]):
            if any(c.isalpha() for c in body[lo_bar + 1 : hi_bar]):
                own = window(occ, starts, _LABEL_LEAD.match(a.low, lo_bar + 1, hi_bar).end(), hi_bar, a.low)
                masks = (masks[0] | own[0], masks[1] | own[1], masks[2] | own[2])
                break
        if any(masks):
            return True, masks
    colon = body.rfind(":", lo, qs)
    if colon < 0 and _is_item(sent.text):
        # an item line whose label names all its figures ("- Tỷ lệ ...: cấp tỉnh 95%; cấp huyện 88,7%")
        colon = body.find(":", sent.start, qs)
        lo = sent.start
    if colon < 0 or (body[colon + 1 : qs].strip() and lo != sent.start):
        return None
    return False, window(occ, starts, _LABEL_LEAD.match(a.low, lo, colon).end(), colon, a.low)


_CITIES: dict[int, frozenset] = {}


def _cities(gazetteer) -> frozenset:
    """The centrally-run cities: "toàn tỉnh" never means one of them (read once per gazetteer)."""
    got = _CITIES.get(id(gazetteer))
    if got is None:
        table = getattr(gazetteer, "provinces", None)
        got = frozenset() if table is None or "kind" not in table else frozenset(
            name for name, kind in zip(table["name"], table["kind"]) if str(kind).startswith("thành phố"))
        _CITIES.clear()
        _CITIES[id(gazetteer)] = got
    return got


def _lead_no(sentences: list[Sentence]) -> int:
    """The lead: the first sentence of prose (eight words or more, ending as a sentence ends), past
    what is left of a page's masthead and menus ("Báo Gia Lai điện tử", "Thời sự", "Chính trị")."""
    for k, sent in enumerate(sentences[:40]):
        t = sent.text.rstrip()
        if len(t.split()) >= 8 and t.endswith((".", "!", "?", ":", '"', "”", ")")):
            return k
    return 0


def _is_item(text: str) -> bool:
    """A line that reads as an item of a list or a table row, not a sentence of prose."""
    t = text.rstrip()
    return "|" in t or (len(t) < 160 and not t.endswith((".", "!", "?")))


def _respective_scopes(a: _Article, sent_qs: list, clause_starts: list[int], E: int, scope_occ: list, scope_starts: list[int]) -> dict:
    """{figure index: [scope]} for figures after "lần lượt" that match, one for one and in order,
    the levels its clause names before it ("cấp tỉnh, huyện, xã lần lượt là 99%, 95% và 80%")."""
    out: dict[int, list[str]] = {}
    for ci, c_start in enumerate(clause_starts):
        c_end = clause_starts[ci + 1] - 1 if ci + 1 < len(clause_starts) else E
        m = _RESPECTIVELY.search(a.low, c_start, c_end) if "lần lượt" in a.low[c_start:c_end] else None
        if m is None:
            continue
        after = [i for i, q in enumerate(sent_qs) if m.end() <= q.start < c_end]
        levels: list[str] = []  # in the order the text names them
        pos = c_start
        for s_, e_, _bit in scope_occ:
            if pos <= s_ and e_ <= m.start():
                for level in scopes_between(scope_occ, scope_starts, s_, e_):
                    if level not in levels:
                        levels.append(level)
                pos = e_
        if len(after) >= 2 and len(levels) == len(after):
            out.update({i: [level] for i, level in zip(after, levels)})
    return out


def _is_row_number(body: str, line_start: int, qs: int, qe: int) -> bool:
    """The figure is the whole first cell of a table row ("1 | Tỷ lệ văn bản ... | 98,2%")."""
    bar = body.find("|", qe)
    end = body.find("\n", qe)
    end = len(body) if end < 0 else end
    return (body[qs:qe].isdigit() and qe - qs <= 3 and not body[line_start:qs].strip() and 0 <= bar < end and not body[qe:bar].strip()
            and any(c.isalpha() for c in body[bar:end]))  # a row "1 | Tỷ lệ ... | 98,2%", not "48.230 | 99,2%"


def _is_header_row(text: str) -> bool:
    """A table's header row: cells between bars, no digit ("STT | Chỉ tiêu | Kết quả")."""
    return "|" in text and not any(c.isdigit() for c in text)


def _table_header(a: _Article, s_no: int, cells: int) -> int | None:
    """The header row of the table whose row is sentence ``s_no``: the nearest earlier line with as
    many cells and no digit ("Cấp | Hồ sơ tiếp nhận | Tỷ lệ đúng hạn")."""
    for k in range(s_no - 1, max(-1, s_no - 60), -1):
        t = a.sentences[k].text
        if "|" not in t:
            return None
        if t.count("|") == cells - 1 and not any(c.isdigit() for c in t):
            return k
    return None


def _base_before(sp: list, body: str, paren: int):
    """The comparison base ("so với năm 2018") that ends right before the bracket at ``paren``."""
    for p in sp:
        if p.is_base and p.end <= paren and not body[p.end : paren].strip():
            return p
    return None


def _own_measure_mask(tables) -> int:
    """The phrases (bit mask) by which a clause names a measure of its own: "tỷ lệ", "số lượng"."""
    mask = 0
    for p in ("tỷ lệ", "tỉ lệ", "số lượng", "tổng số"):
        if (i := tables.phrases.ids.get(p)) is not None:
            mask |= 1 << i
    return mask


def _past_between(a: _Article, sp: list, lo: int, hi: int) -> bool:
    """A period that has already ended is named in [lo, hi): what follows is a result, not the
    target before it ("phấn đấu đến năm 2025 đạt 80%, trong năm 2020 tỷ lệ này là 45%")."""
    for p in sp:
        if lo <= p.start and p.end <= hi and not p.is_base and p.meaning not in periods_mod.NO_DATE:
            end = a.resolve(p)[1]
            if a.ref and end and end <= a.ref:
                return True
    return False


def _year_to_date(a: _Article, p) -> bool:
    """A span from a day of the reference year until then ("Từ đầu năm đến nay"): a later
    sentence of the paragraph reports on it too."""
    start = a.resolve(p)[0]
    return bool(a.ref and start and start[:4] == a.ref[:4])


def _sentence_records(a: _Article, s_no, sent, sent_qs, sp, para_span, article_span, para_province, earlier_province,
                      para_records: list[dict], intro: int | None = None) -> list[dict]:
    body, S, E = a.body, sent.start, sent.end
    text = sent.text
    occ, starts = a.occurrences(s_no)
    scope_occ = [o for o in occ if o[2] & a.tables.scope_ids]  # what scopes_between looks at
    scope_starts = [o[0] for o in scope_occ]
    # clauses end at ";" outside brackets ("98,62% (cấp tỉnh 99,4%; cấp huyện 97,85 %; cấp xã 98,7%)" is one)
    clause_starts = [S] + [m + 1 for m in _positions(body, ";", S, E) if body.rfind("(", S, m) <= body.rfind(")", S, m)]
    prev_same_para = s_no > 0 and a.sentences[s_no - 1].paragraph == sent.paragraph
    anaphors = _at_word_start(_ANAPHOR, a.low, S, E) if prev_same_para else []
    m_lo, m_hi = bisect.bisect_left(a.mention_starts, S), bisect.bisect_left(a.mention_starts, E)
    sent_mentions = [(m.start, m.end, m.province) for m in a.mentions[m_lo:m_hi] if m.end <= E]
    clause_national: dict[int, bool] = {}  # computed when needed: a national word in the clause
    clause_windows: dict[int, tuple] = {}
    seen_text: dict[str, int] = {}
    id_prefix = hashlib.sha1(f"{a.article_id}|{text}|".encode())
    # where the window after a figure stops: a clause break, a parenthesis, a full stop
    stops = [m.start() for m in _AFTER_STOP.finditer(body, S, E)]
    sent_records: list[tuple[Quantity, dict]] = []
    out = []
    respective = _respective_scopes(a, sent_qs, clause_starts, E, scope_occ, scope_starts)
    low_sent = a.low[S:E]  # words whose patterns are only worth trying where they occur
    has_country, has_compare = ("cả nước" in low_sent or "toàn quốc" in low_sent), "so với" in low_sent
    carry = None  # (clause, end of the figure, its record): a target whose verdict holds on in the sentence, across ";" too
    # ("phấn đấu 100% hồ sơ ... tại cấp xã; 100% dịch vụ công ... mức độ 4")
    phrases = _period_phrases(sp)
    # A level in an item of a list or table is dated by its intro line too ("(số liệu tính đến ngày
    # 31/12/2020)" above "4 | Số chứng thư số đã cấp | 3.962"); a flow keeps its own span.
    level_phrases = _period_phrases(a._sentence_periods(a.sentences[intro]) + sp) if intro is not None else phrases
    for i, q in enumerate(sent_qs):
        qs, qe = q.start, q.end
        ci = bisect.bisect_right(clause_starts, qs) - 1
        c_start = clause_starts[ci]
        c_end = clause_starts[ci + 1] - 1 if ci + 1 < len(clause_starts) else E
        prev_end = sent_qs[i - 1].end if i else S
        paren = body.rfind("(", S, qs)
        close = body.find(")", paren, E) if paren >= 0 else -1
        inside_paren = paren >= c_start and (close == -1 or close >= qe)
        b_start = max(c_start, prev_end, paren + 1 if inside_paren else S, qs - MAX_BEFORE)
        next_start = sent_qs[i + 1].start if i + 1 < len(sent_qs) else E
        si = bisect.bisect_left(stops, qe)
        a_end = min(c_end, next_start, stops[si] if si < len(stops) else E, qe + MAX_AFTER)
        w_clause = clause_windows.get(ci)
        if w_clause is None:
            w_clause = window(occ, starts, c_start, c_end, a.low)
            # The sentence before, when the clause refers back to it, and the line that
            # introduces a list item: their phrases are the clause's too.
            for back in ([s_no - 1] if any(c_start <= x < c_end for x in anaphors) else []) + ([intro] if intro is not None else []):
                prev = a.sentences[back]
                p_occ, p_starts = a.occurrences(back)
                w_clause = (w_clause[0] | window(p_occ, p_starts, prev.start, prev.end, a.low)[0], *w_clause[1:])
            clause_windows[ci] = w_clause
        slots = windows_around(occ, starts, b_start, qs, qe, a_end, a.low) + w_clause
        label = _label(a, s_no, occ, starts, b_start, qs)
        if label is not None:
            # What a "label: figure" line or a table's header names: read as the words around the
            # figure, and as its noun when no noun follows it ("- Số tài khoản người dùng: 8.412",
            # not "- Hội nghị truyền hình trực tuyến: 9 điểm cầu").
            inside, head, tail = label[1]
            no_noun = not slots[4]  # no phrase opens the words after the figure
            slots = (slots[0] | inside, slots[1], slots[2] | (tail if label[0] else 0),
                     slots[3] | (inside if no_noun else 0), slots[4] | (head if no_noun else 0), slots[5] | (tail if no_noun else 0),
                     *slots[6:])
        unit_kind = _unit_kind(q)
        # Scope: the noun phrase right after the figure ("139/230 xã, phường"); in a
        # breakdown with nothing after the figure, the words before it ("cấp tỉnh 3.134");
        # else a subject named before it ("Trung tâm ... đã tiếp nhận hơn 23.000 hồ sơ").
        # (Each lookup only when a scope phrase starts in its window: most figures have none.)
        head_scope = scope = respective.get(i, [])
        k = bisect.bisect_left(scope_starts, qe) if not scope else len(scope_starts)
        if k < len(scope_starts) and scope_starts[k] < a_end and not body[qe:a_end].lstrip().startswith((",", ")")):
            scope_stop = _at_word_start(_SCOPE_STOP, a.low, qe, a_end, first=True, unless=(";", "("))
            head_scope = scope = scopes_between(scope_occ, scope_starts, qe, scope_stop[0] if scope_stop else a_end)
        if not scope and "|" in text:  # a table row: the level its first cell names ("Cấp tỉnh | 48.230 | 99,2%")
            bar = body.find("|", S, qs)
            if bar >= 0:
                scope = scopes_between(scope_occ, scope_starts, S, bar)
        if not scope and (k := bisect.bisect_left(scope_starts, b_start)) < len(scope_starts) and scope_starts[k] < qs:
            if inside_paren:
                scope = scopes_between(scope_occ, scope_starts, b_start, qs)
            if not scope:
                scope = scopes_between(scope_occ, scope_starts, b_start, qs, before_only=True)
            if not scope:
                scope = _topic_scope(a.low, scope_occ, scope_starts, b_start, qs)
            if not scope:  # a level right before its figure ("cấp tỉnh 95%; cấp huyện 88,7%")
                lo_i, hi_i = bisect.bisect_left(scope_starts, b_start), bisect.bisect_left(scope_starts, qs)
                right = [o for o in scope_occ[lo_i:hi_i] if o[1] <= qs and not a.low[o[1]:qs].strip(" :")]
                if right:  # levels only: "đã tổ chức 56 cuộc họp" is a verb, not organisations
                    scope = [x for x in scopes_between(scope_occ, scope_starts, min(o[0] for o in right), qs) if x not in _HOLDERS]

        rule = first_rule(a.tables.by_unit[unit_kind], slots)
        if rule is None and ci > 0 and not slots[0] & _own_measure_mask(a.tables):
            # A clause that names no measure of its own continues the one before ("...ở cấp xã đạt
            # 80,6%; bình quân toàn tỉnh đạt 91,8%"; "kết nối 100% cơ quan cấp tỉnh, cấp huyện; 128/139
            # xã, phường"), unlike "...; tỷ lệ hồ sơ trực tuyến chỉ đạt 52,3%".
            before_clause = window(occ, starts, clause_starts[ci - 1], clause_starts[ci] - 1, a.low)[0]
            rule = first_rule(a.tables.by_unit[unit_kind], (slots[0] | before_clause, *slots[1:6], slots[6] | before_clause, *slots[7:]))

        # The country's figure named right before it ("cao hơn mức bình quân cả nước (khoảng 67%)").
        national_here = has_country and _NATIONAL_RIGHT_BEFORE.search(a.low, max(S, qs - 40), qs) is not None
        # A part of a breakdown in parentheses right after an earlier figure.
        parent = None
        if inside_paren and not national_here:
            for prev_q, prev_rec in reversed(sent_records):
                if prev_q.end <= paren and prev_rec["part_of"] is None:
                    between = body[prev_q.end : paren]
                    if len(between) <= 80 and not _AFTER_STOP.search(between):
                        parent = prev_rec
                    break
        rejected = None
        if "|" in text and _is_row_number(body, S, qs, qe):
            rejected = "a table's row number"
        if parent is not None and _unit_kind_of_record(parent) == unit_kind:
            indicator_id = parent["indicator_id"]
            how = f"part of {parent['record_id']}"
            if parent["status"] == "rejected":
                rejected = "part of a figure that is not an indicator"
        elif rule is not None:
            parent = None
            indicator_id = rule.indicator_id
            how = f"rule {rule.rule_id}"
        else:
            parent = None
            indicator_id, how = "unclassified", "no rule matched"
            listed = _listed_after(a.low, sent_records, q, unit_kind, bool(head_scope))
            if listed is not None:
                indicator_id = listed["indicator_id"]
                how = f"listed after {listed['record_id']}"
                if listed["status"] == "rejected":
                    indicator_id, rejected = NOT_AN_INDICATOR, listed["note"].split(";")[0]
            elif _POINTS_BACK.search(a.low, b_start, qs) and (back := _antecedent(para_records, out, unit_kind)) is not None:
                indicator_id = back["indicator_id"]
                how = f"'{_POINTS_BACK.search(a.low, b_start, qs).group()}' points back to {back['record_id']}"
        if (i and has_compare and parent is None and rejected is None and _COMPARED_WITH.search(a.low, max(b_start, qs - 30), qs)
                and (prev := sent_records[-1][1])["status"] == "extracted" and prev["indicator_id"] != "unclassified"
                and _unit_kind_of_record(prev) == unit_kind):
            indicator_id, how = prev["indicator_id"], f"compared with {prev['record_id']}"
        if (carry is not None and rejected is None and not _CARRY_STOP.search(a.low, carry[1], qs)
                and not _past_between(a, sp, carry[1], qs)):
            indicator_id, rejected = NOT_AN_INDICATOR, carry[2]["note"].split(";")[0]
            how = f"in the clause of {carry[2]['record_id']}"
        if indicator_id == NOT_AN_INDICATOR:
            indicator_id = "unclassified"
            if rejected is None:
                rejected = f"not an indicator: {rule.description}"

        unit = _UNIT[unit_kind]
        if unit == "VND" and (q.unit == "VND/day" or _PER_DAY.search(a.low, c_start, qs)):
            unit = "VND/day"
        if indicator_id == "ict_index_rank":
            unit = "rank"

        national = clause_national.get(ci)
        if national is None:
            # national words in the figure's clause ("...đạt 99,87%; bình quân cả nước con số này là 95,1%"
            # leaves the province's clause its own), or a sentence about a national system
            lo_c, hi_c = c_start, c_end
            w = bisect.bisect_left(a.national_words, lo_c)
            national = clause_national[ci] = (any(m[2] == NATIONAL and lo_c <= m[0] < hi_c for m in sent_mentions)
                                              or (w < len(a.national_words) and a.national_words[w] < hi_c)
                                              or (not sent_mentions and _NATIONAL_SUBJECT.match(a.low, S, E) is not None
                                                  and not _PROVINCE_WORD.search(a.low, S, E)))
        if national_here:
            province, p_how = NATIONAL, "the country named right before the figure"
        else:
            province, p_how = _province(sent_mentions, qs, c_start, c_end, national, para_province,
                                        earlier_province if a.several else None, a.main)
            if (p_how.endswith("paragraph") and province != a.main and (province == NATIONAL or province in a.cities)
                    and a.main != NATIONAL and a.main not in a.cities and _OUR_PROVINCE.search(a.low, c_start, c_end)):
                # "Toàn tỉnh đã gửi, nhận ..." after a sentence on Hà Nội or the country: the province the article is about
                province, p_how = a.main, "'toàn tỉnh': the article's province"
        if indicator_id == "ict_index_rank" and province == NATIONAL:
            indicator_id, how = "unclassified", f"{how}; a country's rank is another index's (Việt Nam xếp thứ 88/193)"
        kind = a.kinds.get(indicator_id, "stock")
        measured = a.measured.get(indicator_id) or ("period" if kind == "flow" else "date")
        if indicator_id == "unclassified" and unit_kind in ("percent", "count") and _FLOW_SHARE.search(a.low, b_start, a_end):
            measured = "period"  # dossiers or documents (submitted online, ...), or a share of them, are a period's flow
        if unit == "VND/day":  # an amount per day is a rate: dated like a level, never a span it inherits
            kind, measured = "rate", "date"
        period_start, period_end, t_how = _period(a, level_phrases if measured == "date" else phrases, qs, c_start, min(c_end, next_start),
                                                  kind, measured, para_span, article_span)
        if how.startswith("compared with"):  # "so với mức 96,9% của năm 2016": the year right after it
            own = next((p for p in phrases[1] if qe <= p.start <= qe + 12), None)
            if own is not None and (dates := a.resolve(own))[0]:
                period_start, period_end, t_how = *dates, f"'{own.text}' right after the figure compared with"
        if inside_paren and (base := _base_before(sp, body, paren)) is not None:
            # "tăng 5 bậc so với năm 2018 (xếp thứ 24/63)": the figure in brackets is the base's
            period_start, period_end = a.resolve(base)
            t_how = f"'{base.text}' right before its brackets"
        if indicator_id == "ict_index_rank":
            # Ranks in one article are of one edition of the index: a rank whose sentence and
            # paragraph name no year takes the year of the article's last dated rank.
            if t_how.startswith("as of the reference date") or t_how.endswith("in the lead or title"):
                if a.rank_span is not None:
                    period_start, period_end, t_how = *a.rank_span[:2], f"{a.rank_span[2]} of the article's earlier rank"
            elif period_start:
                a.rank_span = (period_start, period_end, t_how.split("' ")[0] + "'")
        if rejected is None and a.ref and period_start and period_start > a.ref:
            rejected = f"its period ({period_start}..{period_end}) lies after the article's date: a target or plan"

        k = seen_text.get(q.text, 0)
        seen_text[q.text] = k + 1
        note = f"{how}; province: {p_how}; period: {t_how}"
        if rejected is not None:
            note = f"{rejected}; {note}"
        rec = {
            "record_id": _record_id(a.article_id, text, q.text, k, id_prefix),
            "article_id": a.article_id,
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
            "quote_start": S,
            "quote_end": E,
            "value_text": q.text,
            "value_start": q.start,
            "value_end": q.end,
            "part_of": parent["record_id"] if parent is not None else None,
            "status": "rejected" if rejected is not None else "extracted",
            "note": note,
        }
        sent_records.append((q, rec))
        out.append(rec)
        if carry is None and rule is not None and rule.carries and indicator_id == "unclassified" and parent is None:
            carry = (ci, qe, rec)
    _listed_before(a, sent_records)
    return out


def _listed_before(a: _Article, sent_records: list) -> None:
    """Figures no rule classified, listed right before a classified share or count that says what
    they all measure ("100% sở, ngành, UBND cấp huyện và 198/235 xã, phường, thị trấn có trang
    thông tin điện tử"), take its indicator: each must name a level, and the indicator be one
    measured at a date (their periods stay right)."""
    for i in range(len(sent_records) - 2, -1, -1):
        (q, rec), (nq, nrec) = sent_records[i], sent_records[i + 1]
        if rec["indicator_id"] != "unclassified" or rec["status"] != "extracted" or rec["part_of"] or not rec["scope"]:
            continue
        target = nrec["indicator_id"]
        if target == "unclassified" or nrec["status"] != "extracted":
            continue
        kind = a.kinds.get(target, "stock")
        if (a.measured.get(target) or ("period" if kind == "flow" else "date")) != "date":
            continue
        uk, nuk = _unit_kind_of_record(rec), _unit_kind_of_record(nrec)
        if uk != nuk and not ({uk, nuk} <= {"percent", "ratio"} and target.endswith("_pct")):
            continue
        between = a.low[q.end : nq.start]
        if len(between) > 80 or not _COORD_END.search(between) or _COORD_BLOCK.search(between):
            continue
        rec["indicator_id"] = target
        rec["note"] = rec["note"].replace("no rule matched", f"listed before {nrec['record_id']}", 1)


def _topic_scope(low: str, scope_occ: list, scope_starts: list[int], lo: int, qs: int) -> list[str]:
    """The level a window [lo, qs) opens with as its topic ("Riêng cấp xã, ..."), up to its comma."""
    while lo < qs and low[lo] in " ,":
        lo += 1
    t = _TOPIC.match(low, lo, qs)
    if t is None:
        return []
    comma = low.find(",", t.end(), qs)
    return scopes_between(scope_occ, scope_starts, t.end(), comma if comma >= 0 else qs)


def _antecedent(para_records: list[dict], sent_records: list[dict], unit_kind: str) -> dict | None:
    """The last classified figure of ``unit_kind`` before, in the sentence, then the paragraph."""
    for recs in (sent_records, para_records):
        for rec in reversed(recs):
            if rec["status"] != "rejected" and rec["indicator_id"] != "unclassified" and _unit_kind_of_record(rec) == unit_kind:
                return rec
    return None


def _at_word_start(pattern: re.Pattern, text: str, lo: int, hi: int, first: bool = False,
                   unless: tuple[str, ...] = ()) -> list[int]:
    """Starts of the matches of ``pattern`` in text[lo:hi] that open at a word start, as with a
    leading ``(?<!\\w)`` (only the first when ``first``); a match in ``unless`` needs none."""
    out: list[int] = []
    pos = lo
    while (m := pattern.search(text, pos, hi)) is not None:
        s = m.start()
        if s and (text[s - 1].isalnum() or text[s - 1] == "_") and m.group() not in unless:
            pos = s + 1  # inside a word: look again from the next character
            continue
        out.append(s)
        if first:
            break
        pos = max(m.end(), s + 1)
    return out


def _positions(text: str, ch: str, lo: int, hi: int) -> list[int]:
    out = []
    i = text.find(ch, lo, hi)
    while i >= 0:
        out.append(i)
        i = text.find(ch, i + 1, hi)
    return out


def _listed_after(low: str, sent_records: list, q: Quantity, unit_kind: str, names_level: bool) -> dict | None:
    """The figure ``q`` is listed right after, when it shares its meaning, if any.

    A figure listed after one that is no indicator is none either ("phấn đấu 100% văn bản được
    ký số và 50% hồ sơ ..."). A share is classified like the one before it only when it names
    an administrative level ("100% tỉnh, thành phố và khoảng 92% đơn vị cấp huyện"); a count's
    own noun says what it counts ("1.000 hồ sơ và 200 phản ánh").
    """
    if not sent_records:
        return None
    prev_q, prev_rec = sent_records[-1]
    if prev_rec["status"] != "rejected":
        if prev_rec["indicator_id"] == "unclassified" or unit_kind not in ("percent", "ratio") or not names_level:
            return None
    between = low[prev_q.end : q.start]
    if prev_rec["status"] == "rejected" and len(between) <= 80 and _BREAKDOWN_END.search(between) and not _NO_BREAKDOWN.search(between):
        return prev_rec  # the parts of what is no indicator are none either
    if len(between) > 80 or _unit_kind_of_record(prev_rec) != unit_kind:
        return None
    if not _COORD_END.search(between) or _COORD_BLOCK.search(between):
        return None
    return prev_rec


def _province(mentions, qs, c_start, c_end, national, para_province, earlier_province, main) -> tuple[str, str]:
    in_clause_before = [m for m in mentions if c_start <= m[0] and m[1] <= qs]
    if in_clause_before:
        return in_clause_before[-1][2], "named before the figure"
    in_clause_after = [m for m in mentions if qs <= m[0] and m[1] <= c_end]
    if in_clause_after:
        return in_clause_after[0][2], "named after the figure"
    earlier = [m for m in mentions if m[1] <= c_start]
    if earlier:
        return earlier[-1][2], "named earlier in the sentence"
    if national:
        return NATIONAL, "national words in the sentence"
    if para_province is not None:
        return para_province, "named earlier in the paragraph"
    if earlier_province is not None:
        return earlier_province, "named last in an earlier paragraph"
    return main, "article's main unit"


def _period_phrases(sp: list) -> tuple[list, list, list]:
    """A sentence's period phrases as :func:`_period` reads them: (not a comparison base,
    those with a date, those without)."""
    usable = [p for p in sp if not p.is_base]
    explicit = [p for p in usable if p.meaning not in periods_mod.NO_DATE]
    no_date = [p for p in usable if p.meaning in periods_mod.NO_DATE]
    return usable, explicit, no_date


def _period(a: _Article, phrases, qs, c_start, c_end, kind, measured, para_span, article_span):
    """(start, end, how) of a figure at ``qs`` in the clause [c_start, c_end), from its sentence's
    ``phrases`` (:func:`_period_phrases`); a period after the figure counts only up to the next
    figure ("120 điểm ..., tiết kiệm 3 tỷ đồng mỗi năm")."""
    usable, explicit, no_date = phrases
    pick, where = None, ""
    before = [p for p in explicit if c_start <= p.start and p.end <= qs]
    # A "hiện"/"đến nay" nearer the figure than the dated phrase says when it holds ("Đến cuối
    # năm 2018, tỉnh có 97 dịch vụ, thì đến nay đã nâng lên 312 dịch vụ"; "tổng kết năm 2018
    # ..., hệ thống hiện đã triển khai tới 15/15 quận").
    now = [p for p in no_date if p.meaning == "as_of" and c_start <= p.start and p.end <= qs]
    if before and now and now[-1].start > before[-1].end and before[-1].meaning != "since_year":
        before = []  # (but "từ ngày 1/7/2019, đến nay" is one span: since then until now)
    if before and kind == "rank" and (years := [p for p in before if p.meaning == "year"]):
        before = years  # a rank is of its index's year ("Vietnam ICT Index 2016 ... công bố cuối năm 2016")
    if before:
        pick, where = before[-1], "before the figure"
    else:
        after = [p for p in explicit if qs <= p.start and p.end <= c_end and not _CONTRAST.search(a.low, qs, p.start)]
        if after:
            pick, where = after[0], "after the figure"
        elif not now:  # (with one, the figure is dated by it below)
            leading = [p for p in explicit if p.end <= c_start]
            if leading:
                pick, where = leading[-1], "earlier in the sentence"
    if pick is not None:
        start, end = a.resolve(pick)
        if pick.meaning == "since_year" and measured == "date" and kind != "flow":
            return end, end, f"as of the end of '{pick.text}' {where}"  # a level holds at a date
        if pick.meaning == "as_of_date" and kind == "flow":
            since = next((p for p in usable if p.meaning == "since_year"), None)
            return since.start_date if since else None, end, f"cumulative to '{pick.text}' {where}"
        if start is not None or end is not None:
            return start, end, f"'{pick.text}' {where}"
    if measured == "period":
        in_clause = [p for p in no_date if c_start <= p.start and p.end <= c_end]
        if in_clause and kind == "flow":
            return None, a.ref, f"cumulative to the reference date ('{in_clause[0].text}')"
        if para_span is not None:
            return (*para_span[1], f"'{para_span[0].text}' earlier in the paragraph")
        if article_span is not None:
            return (*article_span[1], f"'{article_span[0].text}' in the lead or title")
        if no_date and kind == "flow":
            return None, a.ref, f"cumulative to the reference date ('{no_date[0].text}')"
    if no_date:
        return a.ref, a.ref, f"as of the reference date ('{no_date[0].text}')"
    return a.ref, a.ref, "as of the reference date (no period stated)"
