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


def bar_chart(data: pd.DataFrame, *, x: str, y: str, label: str, bound: str | None = None, title: str = "", xlabel: str = "") -> "plt.Figure":
    """Horizontal bars of ``x`` by ``y`` with a value ``label`` column; ``bound`` column -> hatches."""
    theme()
    height = max(1.6, 0.42 * len(data) + 0.8)
    fig, ax = plt.subplots(figsize=(7.0, height))
    ordered = data.reset_index(drop=True)
    bars = ax.barh(ordered[y].astype(str), ordered[x], color=PALETTE[0], edgecolor="black", linewidth=0.6)
    for bar, (_, row) in zip(bars, ordered.iterrows()):
        b = row.get(bound) if bound else None
        if isinstance(b, str) and b in HATCH:
            bar.set_hatch(HATCH[b])
            bar.set_facecolor("white")
        ax.annotate(str(row[label]), (bar.get_width(), bar.get_y() + bar.get_height() / 2), xytext=(4, 0),
                    textcoords="offset points", va="center", fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    ax.set_ylabel("")
    ax.set_title(title, loc="left")
    ax.set_xlim(0, max(1.0, float(ordered[x].max())) * 1.25)
    fig.tight_layout()
    return fig
