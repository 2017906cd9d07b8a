"""Executed notebook -> one self-contained, offline HTML report.

The nbconvert template ``templates/report_offline`` drops the CDN scripts of the ``lab``
template (require.js, MathJax, mermaid, widgets), sets fonts that carry every Vietnamese
letter and adds the print CSS. This module adds the title block and the table of contents,
then checks that nothing in the page would be fetched from the network.
"""

from __future__ import annotations

import copy
import html
import re
import threading
import unicodedata
from pathlib import Path

import nbformat

from egov_analysis import config
from egov_analysis.errors import RenderError

TEMPLATE_NAME = "report_offline"
FRONT_MATTER_MARKER = "<!--egov:front-matter-->"

# Words the report itself prints, by language.
_TOC_TITLE = {"vi": "Mục lục", "en": "Contents"}

_exporters: dict[str, object] = {}
_lock = threading.Lock()


def export_html(
    nb: nbformat.NotebookNode | str | Path,
    *,
    title: str,
    meta: dict[str, str],
    lang: str = "vi",
) -> str:
    """Render an executed notebook as a standalone HTML report and return the HTML text.

    Code inputs and prompts are hidden; images are embedded as ``data:`` URIs. ``title`` and
    ``meta`` (label -> value, shown in order, e.g. ``{"Tỉnh": "Bắc Giang", "Kỳ": "2024"}``)
    form the title block; both are HTML-escaped. The table of contents lists the h2/h3
    headings the notebook outputs. Raises :class:`RenderError` if the page would load
    anything over the network (e.g. an ``<img src="https://...">`` in a markdown cell).

    Example::

        page = export_html("reports/bac-giang.ipynb", title="Báo cáo Bắc Giang",
                           meta={"Tỉnh": "Bắc Giang", "Dữ liệu": "v3"})
    """
    if isinstance(nb, (str, Path)):
        where = str(nb)
        image_dir = str(Path(nb).parent)
        nb = nbformat.read(str(nb), as_version=4)
    else:
        # Markdown images are relative to the source notebook papermill recorded.
        input_path = nb.metadata.get("papermill", {}).get("input_path")
        where = input_path or f"notebook titled {title!r}"
        image_dir = str(Path(input_path).parent) if input_path else ""
    # Own copy: the <title> comes from nb.metadata.title and must not change the caller's nb.
    nb = copy.deepcopy(nb)
    nb.metadata["title"] = title

    resources = {"metadata": {"name": title, "path": image_dir}}
    with _lock:  # nbconvert exporters are not safe to share between threads
        body, _ = _exporter(lang).from_notebook_node(nb, resources=resources)
    if FRONT_MATTER_MARKER not in body:
        raise RenderError(
            "the report template did not place the title block marker",
            where=config.TEMPLATES_DIR / TEMPLATE_NAME / "index.html.j2",
            fix=f"restore {FRONT_MATTER_MARKER} in its body_header block",
        )

    body, headings = _anchor_headings(body)
    body = _fit_tables(body)
    front = _title_block(title, meta) + _toc(headings, lang)
    body = body.replace(FRONT_MATTER_MARKER, front, 1)

    remote = find_network_references(body)
    if remote:
        raise RenderError(
            f"the report would load {len(remote)} resource(s) from the network, "
            f"e.g. {remote[0]!r}",
            where=where,
            fix="embed the resource in the notebook output (data: URI or inline SVG) instead "
            "of linking it; reports must open offline",
        )
    return body


HIDE_TAG = "report-hide"


def _exporter(lang: str):
    exporter = _exporters.get(lang)
    if exporter is None:
        from nbconvert import HTMLExporter

        exporter = HTMLExporter(
            template_name=TEMPLATE_NAME,
            extra_template_basedirs=[str(config.TEMPLATES_DIR)],
            embed_images=True,
            exclude_input=True,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
            language_code=lang,
        )
        # Cells tagged "report-hide" (e.g. a notebook's how-to-use introduction) are for
        # analysts in JupyterLab, not for readers of the report.
        from nbconvert.preprocessors import TagRemovePreprocessor

        exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags={HIDE_TAG}), enabled=True)
        _exporters[lang] = exporter
    return exporter


def _title_block(title: str, meta: dict[str, str]) -> str:
    esc = html.escape
    rows = "".join(
        f"<dt>{esc(str(key))}</dt><dd>{esc(str(value))}</dd>" for key, value in meta.items()
    )
    meta_html = f'<dl class="egov-meta">{rows}</dl>' if rows else ""
    return (
        '<header class="egov-title-block">'
        f'<h1 class="egov-title">{esc(title)}</h1>{meta_html}</header>\n'
    )


def _toc(headings: list[tuple[int, str, str]], lang: str) -> str:
    """Nested ordered list of (level, id, text) for levels 2 and 3."""
    if not headings:
        return ""
    parts = ["<ol>"]
    open_sub = False
    for level, anchor, text in headings:
        link = f'<a href="#{html.escape(anchor, quote=True)}">{html.escape(text)}</a>'
        if level == 3:
            if not open_sub:
                # An h3 before any h2 still needs a parent item to nest in.
                if parts[-1] == "<ol>":
                    parts.append('<li class="egov-toc-orphan">')
                else:
                    parts[-1] = parts[-1].removesuffix("</li>")
                parts.append("<ol>")
                open_sub = True
            parts.append(f"<li>{link}</li>")
        else:
            if open_sub:
                parts.append("</ol></li>")
                open_sub = False
            parts.append(f"<li>{link}</li>")
    if open_sub:
        parts.append("</ol></li>")
    parts.append("</ol>")
    title = html.escape(_TOC_TITLE.get(lang, _TOC_TITLE["en"]))
    return (
        f'<nav class="egov-toc" aria-label="{title}">'
        f'<p class="egov-toc-title">{title}</p>{"".join(parts)}</nav>\n'
    )


_HEADING = re.compile(r"<h([23])(\s[^>]*)?>(.*?)</h\1\s*>", re.IGNORECASE | re.DOTALL)
_ID_ATTR = re.compile(r"""\sid\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_ANCHOR_LINK = re.compile(r"<a\b[^>]*class=\"anchor-link\"[^>]*>.*?</a>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def _anchor_headings(page: str) -> tuple[str, list[tuple[int, str, str]]]:
    """Find h2/h3 in the notebook body, give each an id, return (page, [(level, id, text)])."""
    start = page.find(FRONT_MATTER_MARKER)
    if start < 0:
        start = page.find("<body")
    head, body = page[:start], page[start:]
    taken = set(m.group(1) or m.group(2) or m.group(3) for m in _ID_ATTR.finditer(page))
    headings: list[tuple[int, str, str]] = []

    def visit(m: re.Match) -> str:
        level, attrs, inner = int(m.group(1)), m.group(2) or "", m.group(3)
        text = html.unescape(_TAG.sub("", _ANCHOR_LINK.sub("", inner)))
        text = " ".join(text.split())
        if not text:
            return m.group(0)
        found = _ID_ATTR.search(attrs)
        if found:
            anchor = html.unescape(found.group(1) or found.group(2) or found.group(3))
        else:
            anchor = _unique(_slug(text), taken)
            attrs = f'{attrs} id="{html.escape(anchor, quote=True)}"'
        headings.append((level, anchor, text))
        return f"<h{level}{attrs}>{inner}</h{level}>"

    return head + _HEADING.sub(visit, body), headings


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_text = ascii_text.encode("ascii", "ignore").decode()
    slug = re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-").lower()
    return slug or "section"


def _unique(slug: str, taken: set[str]) -> str:
    candidate, n = slug, 2
    while candidate in taken:
        candidate, n = f"{slug}-{n}", n + 1
    taken.add(candidate)
    return candidate


# Width a table may take on an A4 page: 210 mm - 2 x 12 mm margins = 186 mm = 703 CSS px,
# less the cell and output-area padding of the lab template, with some slack.
PRINT_WIDTH_PX = 660
_BASE_FONT_PX = 13.0  # --jp-ui-font-size1, the lab template's table font size
_MIN_FONT_PX = 6.0
# Average advance of a character in DejaVu Sans, in em (digits are 0.64; bold ~10 % wider).
_CHAR_EM = {"td": 0.64, "th": 0.70}
_CELL_PAD_EM = 0.8  # left + right padding of .egov-fit cells (report.css), plus a border
_TABLE = re.compile(r"<table\b[^>]*>.*?</table\s*>", re.IGNORECASE | re.DOTALL)
_ROW = re.compile(r"<tr\b[^>]*>(.*?)</tr\s*>", re.IGNORECASE | re.DOTALL)
_CELL = re.compile(r"<(t[hd])\b([^>]*)>(.*?)</t[hd]\s*>", re.IGNORECASE | re.DOTALL)
_COLSPAN = re.compile(r"colspan\s*=\s*[\"']?(\d+)", re.IGNORECASE)


def _fit_tables(page: str) -> str:
    """Shrink the font of tables too wide for the page, so that numbers stay on one line.

    CSS alone cannot do it: a table never gets narrower than its longest unbreakable cell
    contents, and letting every cell break anywhere splits numbers across lines. So estimate
    each column's narrowest width (its longest word) and scale the table's font until the
    columns fit ``PRINT_WIDTH_PX``. Below ``_MIN_FONT_PX`` give up and let cells break anywhere.
    """

    def fit(m: re.Match) -> str:
        table = m.group(0)
        widths: dict[int, float] = {}
        for row in _ROW.finditer(table):
            col = 0
            for cell in _CELL.finditer(row.group(1)):
                kind, attrs, inner = cell.group(1).lower(), cell.group(2), cell.group(3)
                span = _COLSPAN.search(attrs)
                span = int(span.group(1)) if span else 1
                text = html.unescape(_TAG.sub(" ", inner))
                longest = max((len(word) for word in text.split()), default=0)
                need = (longest * _CHAR_EM[kind] + _CELL_PAD_EM) / span
                for c in range(col, col + span):
                    widths[c] = max(widths.get(c, 0.0), need)
                col += span
        need_em = sum(widths.values())
        if len(widths) < 2 or need_em * _BASE_FONT_PX <= PRINT_WIDTH_PX:
            return table
        font_px = PRINT_WIDTH_PX / need_em
        cls = "egov-fit" if font_px >= _MIN_FONT_PX else "egov-fit egov-fit-break"
        font_px = max(font_px, _MIN_FONT_PX)
        open_tag = table[: table.index(">")]
        style = f"font-size:{font_px:.1f}px"
        open_tag = _add_attr(open_tag, "class", cls)
        open_tag = _add_attr(open_tag, "style", style, sep=";")
        return open_tag + table[table.index(">"):]

    return _TABLE.sub(fit, page)


def _add_attr(open_tag: str, name: str, value: str, sep: str = " ") -> str:
    pattern = re.compile(rf"""(\s{name}\s*=\s*)(["'])(.*?)\2""", re.IGNORECASE | re.DOTALL)
    found = pattern.search(open_tag)
    if found:
        merged = f"{value}{sep}{found.group(3)}"
        quote = found.group(2)
        return open_tag[: found.start()] + f"{found.group(1)}{quote}{merged}{quote}" + open_tag[found.end():]
    return f'{open_tag} {name}="{value}"'


# Attributes and CSS constructs that make a browser fetch something. Plain <a href> links are
# navigation, not loads, so a link to a source article is allowed.
_REMOTE = re.compile(r"^\s*(?:https?:)?//", re.IGNORECASE)
_LOADING_ATTR = re.compile(
    r"<(?P<tag>[a-zA-Z][a-zA-Z0-9-]*)\b(?P<attrs>[^>]*)>", re.DOTALL
)
_ATTR = re.compile(
    r"""\s(?P<name>src|href|srcset|poster|data|action|xlink:href|background)\s*=\s*"""
    r"""(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s>]+))""",
    re.IGNORECASE,
)
_CSS_URL = re.compile(r"""url\(\s*['"]?\s*((?:https?:)?//[^)'"\s]+)""", re.IGNORECASE)
_CSS_IMPORT = re.compile(r"""@import\s+['"]((?:https?:)?//[^'"]+)""", re.IGNORECASE)
_JS_IMPORT = re.compile(r"""\bimport\s*\(\s*['"]((?:https?:)?//[^'"]+)""", re.IGNORECASE)


def find_network_references(page: str) -> list[str]:
    """URLs in ``page`` that a browser would fetch over the network (empty list = offline).

    Looks at src/srcset/poster/data and <link>/<use>/<image> href attributes, CSS ``url()``
    and ``@import``, and JS ``import()``. ``<a href="https://...">`` links are not loads and
    are not reported.
    """
    found: list[str] = []
    for tag in _LOADING_ATTR.finditer(page):
        name = tag.group("tag").lower()
        for attr in _ATTR.finditer(" " + tag.group("attrs")):
            attr_name = attr.group("name").lower()
            value = html.unescape(attr.group("dq") or attr.group("sq") or attr.group("bare") or "")
            if attr_name in ("href", "xlink:href") and name in ("a", "area"):
                continue  # a link the reader may follow, not a load
            urls = [u.strip().split(" ")[0] for u in value.split(",")] if attr_name == "srcset" else [value]
            found.extend(u for u in urls if _REMOTE.match(u))
    for pattern in (_CSS_URL, _CSS_IMPORT, _JS_IMPORT):
        found.extend(m.group(1) for m in pattern.finditer(page))
    return found
