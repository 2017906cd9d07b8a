"""``reports/index.html``: one self-contained page listing every report in the manifest.

No script, no external stylesheet, every value HTML-escaped; links are relative, so the
``reports/`` folder can be opened from disk, copied, or served as it is.
"""

from __future__ import annotations

import html

from .. import __version__

_LANG_HEADINGS = {"vi": "Tiếng Việt / Vietnamese", "en": "Tiếng Anh / English"}
_STATUS = {
    "ok": "ok",
    "failed": "lỗi ở lần dựng gần nhất / last build failed",
    "withdrawn": "không còn số liệu / no longer in the data",
}

_CSS = """
body{font-family:'DejaVu Sans','Noto Sans',sans-serif;margin:2em auto;max-width:1000px;padding:0 1em;color:#222}
h1{color:#1f4e79;font-size:1.6em}h2{color:#1f4e79;font-size:1.2em;margin-top:1.6em}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.35em .6em;border-bottom:1px solid #c8d3de;vertical-align:top}
th{background:#eef3f8}.failed{color:#a40000}.withdrawn{color:#777}.note{font-size:.85em;color:#555}
"""


def render_index(manifest: dict, *, updated: str) -> str:
    """The index page for ``manifest`` (see :mod:`.manifest`)."""
    esc = html.escape
    reports = manifest.get("reports", {})
    sections = []
    for lang in sorted({e.get("lang", "") for e in reports.values()}, key=lambda x: (x != "vi", x)):
        rows = []
        entries = sorted(
            (e for e in reports.values() if e.get("lang") == lang),
            key=lambda e: (e.get("kind") != "overview", e.get("name", "")),
        )
        for e in entries:
            published = e.get("published", {})
            links = []
            for fmt in ("html", "pdf"):
                pub = published.get(fmt)
                if pub:
                    links.append(f'<a href="{esc(pub["path"], quote=True)}">{fmt.upper()}</a>')
            generated = max((pub.get("generated", "") for pub in published.values()), default="")
            status = e.get("status", "")
            note = ""
            if status == "failed" and e.get("error"):
                err = e["error"]
                where = f"cell {err['cell_index']}: " if err.get("cell_index") is not None else f"{err.get('step', '')}: "
                what = f"{err.get('ename', '')} {err.get('evalue', '')}".strip() or err.get("message", "")
                note = f'<div class="note">{esc(where + what)} ({esc(e.get("finished", ""))})</div>'
            rows.append(
                f'<tr class="{esc(status, quote=True)}"><td>{esc(e.get("title", e.get("name", "")))}</td>'
                f'<td>{" · ".join(links) or "—"}</td><td>{esc(generated or "—")}</td>'
                f"<td>{esc(_STATUS.get(status, status))}{note}</td></tr>"
            )
        heading = _LANG_HEADINGS.get(lang, lang)
        sections.append(
            f'<section lang="{esc(lang, quote=True)}"><h2>{esc(heading)}</h2><table>'
            "<thead><tr><th>Báo cáo / Report</th><th>Tệp / Files</th>"
            "<th>Thời điểm tạo (UTC) / Generated (UTC)</th><th>Trạng thái / Status</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table></section>"
        )
    body = "".join(sections) or "<p>Chưa có báo cáo nào. / No reports yet.</p>"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="vi"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>Báo cáo ứng dụng CNTT / E-government reports</title>"
        f"<style>{_CSS}</style></head><body>"
        "<h1>Báo cáo ứng dụng CNTT trong cơ quan nhà nước<br>"
        "<small>E-government reports</small></h1>"
        f'<p class="note">Cập nhật / Updated: {esc(updated)} · egov-analysis {esc(__version__)} · '
        'chi tiết / details: <a href="manifest.json">manifest.json</a></p>'
        f"{body}</body></html>\n"
    )
