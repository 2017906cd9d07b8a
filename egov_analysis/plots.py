"""One seaborn theme for every chart, readable when printed in grey-scale.

Colours come from a single dark-to-light grey-blue palette, and meaning never rests on colour
alone: lower bounds are hatched, upper bounds dotted, and bars carry value labels.
Charts use matplotlib's bundled DejaVu Sans, which has every Vietnamese letter (its mono
face does not: never use a monospace family in charts).
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402

PALETTE = ["#1f3b57", "#4f6d8a", "#8aa2b8", "#c3d0dc"]
HATCH = {"lower": "///", "approx_lower": "///", "upper": "...", "approx_upper": "..."}


def theme() -> None:
    """Apply the project theme (idempotent)."""
    sns.set_theme(
        context="paper",
        style="whitegrid",
        palette=PALETTE,
        font="DejaVu Sans",
        rc={"figure.dpi": 110, "axes.titleweight": "bold", "axes.spines.right": False, "axes.spines.top": False},
    )


def bar_chart(data: pd.DataFrame, *, x: str, y: str, label: str, bound: str | None = None, title: str = "", xlabel: str = "",
              percent: bool = False, legend: dict[str, str] | None = None) -> "plt.Figure":
    """Horizontal bars of ``x`` by ``y`` with a value ``label`` column; ``bound`` column -> hatches.

    Bar names are wrapped, never cut. ``percent`` keeps the axis at 0-100% (room right of it for
    the labels only). ``legend`` names the patterns in the reader's language ({"lower": "cận dưới",
    "upper": "cận trên"}); a pattern shows in the legend only when a bar has it.
    """
    import textwrap

    from matplotlib.patches import Patch

    theme()
    ordered = data.drop_duplicates(subset=[y, x, label]).reset_index(drop=True)  # a figure stated twice is one bar
    names = ["\n".join(textwrap.wrap(str(v), 38)) or str(v) for v in ordered[y]]
    lines = sum(n.count("\n") + 1 for n in names)
    height = max(1.6, 0.24 * lines + 0.2 * len(names) + 0.9)
    fig, ax = plt.subplots(figsize=(7.0, height))
    bars = ax.barh(range(len(names)), ordered[x], color=PALETTE[0], edgecolor="black", linewidth=0.6)
    ax.set_yticks(range(len(names)), names)
    used = set()
    for bar, (_, row) in zip(bars, ordered.iterrows()):
        b = row.get(bound) if bound else None
        if isinstance(b, str) and b in HATCH:
            bar.set_hatch(HATCH[b])
            bar.set_facecolor("white")
            used.add(HATCH[b])
        ax.annotate(str(row[label]), (bar.get_width(), bar.get_y() + bar.get_height() / 2), xytext=(4, 0),
                    textcoords="offset points", va="center", fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    ax.set_ylabel("")
    ax.set_title(title, loc="left")
    if percent:
        ax.set_xlim(0, 125)
        ax.set_xticks(range(0, 101, 20))
        ax.spines["bottom"].set_bounds(0, 100)
    else:
        ax.set_xlim(0, max(1.0, float(ordered[x].max())) * 1.25)
    if legend and used:
        handles = [Patch(facecolor=PALETTE[0], edgecolor="black", label=legend["exact"])] if "exact" in legend else []
        handles += [Patch(facecolor="white", edgecolor="black", hatch=HATCH[k], label=legend[k])
                    for k in ("lower", "upper") if k in legend and HATCH[k] in used]
        # below the axis, clear of the bars and their labels
        fig.legend(handles=handles, loc="lower center", ncol=len(handles), fontsize=7, frameon=False)
        fig.tight_layout(rect=(0, 0.3 / height, 1, 1))
    else:
        fig.tight_layout()
    return fig
