"""HTML pieces the report notebooks display: headings, tables, figures with captions, notes.

Everything that comes from data (article text, quotes, names) is HTML-escaped here, so a
quote containing ``<script>`` shows as text. Tables are plain ``<table>`` markup that the
report template fits to the page.
"""

from __future__ import annotations

import base64
import html
import io

import pandas as pd


class Html:
    """A block of report HTML; notebooks display it (``_repr_html_``), tests read ``.html``."""

    def __init__(self, html_text: str):
        self.html = html_text

    def _repr_html_(self) -> str:
        return self.html

    def __add__(self, other: "Html") -> "Html":
        return Html(self.html + other.html)

    def __str__(self) -> str:
        return self.html


def esc(text) -> str:
    return html.escape("" if text is None or (isinstance(text, float) and pd.isna(text)) else str(text), quote=True)


def heading(text: str, level: int = 2) -> Html:
    return Html(f"<h{level}>{esc(text)}</h{level}>")


def paragraph(text: str, css: str = "") -> Html:
    cls = f' class="{esc(css)}"' if css else ""
    return Html(f"<p{cls}>{esc(text)}</p>")


def table(df: pd.DataFrame, caption: str | None = None, css: str = "egov-table") -> Html:
    """An escaped HTML table (all cells are text already formatted for the reader).

    Rows that read the same are shown once: a figure an article states twice ("hơn 7 tỷ đồng" in
    the lead, "trên 7 tỷ đồng" later) is one figure to the reader; its quotes stay in Sources.
    """
    df = df.drop_duplicates()
    head = "".join(f"<th>{esc(c)}</th>" for c in df.columns)
    rows = []
    for record in df.itertuples(index=False):
        rows.append("<tr>" + "".join(f"<td>{esc(v)}</td>" for v in record) + "</tr>")
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return Html(f'<table class="{esc(css)}">{cap}<thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>')


def figure(fig, caption: str, alt: str | None = None) -> Html:
    """A matplotlib figure as an embedded PNG in <figure> with its caption; closes the figure."""
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=150, bbox_inches="tight")
    plt.close(fig)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return Html(
        f'<figure class="egov-figure"><img src="data:image/png;base64,{data}" alt="{esc(alt or caption)}" '
        f'style="max-width:100%"/><figcaption>{esc(caption)}</figcaption></figure>'
    )


def note(text: str) -> Html:
    return Html(f'<div class="egov-note">{esc(text)}</div>')


def items(lines: list[str]) -> Html:
    return Html("<ul>" + "".join(f"<li>{esc(x)}</li>" for x in lines) + "</ul>")
