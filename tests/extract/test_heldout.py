"""Extraction on articles that are not the seeds, written by colleagues in the genre with their own
gold files: a development set the rules were tuned on (heldout/), a second set written blind
and tuned on after its first score (heldout2/), six more likewise (heldout3/ to heldout8/, the last
in the real seeds' style), five more in that style likewise (heldout9/ to heldout13/), and a
fourteenth in that style written blind and never tuned on (heldout14/). The thresholds guard the
measured level."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from click.testing import CliRunner

from egov_analysis import config
from egov_analysis.cli import cli
from egov_analysis.evaluate import read_gold, score
from tests.conftest import REPO

HERE = REPO / "tests" / "extract"


def _extract(tmp_path, name: str) -> pd.DataFrame:
    root = tmp_path / name
    (root / "data" / "raw" / "articles").mkdir(parents=True)
    shutil.copytree(REPO / "data" / "external", root / "data" / "external")
    (root / "data" / "raw" / "sources.csv").write_text(
        "article_id,file,title,published,outlet,url,language,sha256,retrieved\n", encoding="utf-8")
    for article in sorted((HERE / name / "articles").glob("*.txt")):
        shutil.copy(article, root / "data" / "raw" / "articles" / article.name)
    run = CliRunner()
    for args in (["add", *map(str, sorted((root / "data" / "raw" / "articles").glob("*.txt")))], ["clean"], ["extract", "--jobs", "1"]):
        result = run.invoke(cli, ["--root", str(root), *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
    return pd.read_parquet(config.paths(root).indicators_parquet)


@pytest.mark.parametrize("name,value_recall,value_f1,full_f1", [
    # Measured 2026-11-24 (value F1 / full F1; gold figures):
    # heldout (dev, 121 gold): 0.964 / 0.964.
    # heldout2 (written blind; 0.955 / 0.785 when first scored, then tuned on in session 2): 0.955 / 0.923.
    # heldout3 (written blind in session 2; 117 gold): 0.954 / 0.762 at its arrival, 0.954 / 0.778 after
    # the heldout2-driven rules, then tuned on: 0.967 / 0.893.
    ("heldout", 1.0, 0.96, 0.96),  # 0.968 / 0.968 with the heldout6 rules
    ("heldout2", 1.0, 0.96, 0.95),  # 0.955 / 0.931 with the heldout4 rules, 0.963 / 0.947 with the heldout5 ones, 0.967 / 0.951 with heldout6
    ("heldout3", 1.0, 0.97, 0.95),  # 0.971 / 0.896 with the phone-number rule, then 0.912, 0.916, 0.924 and 0.958 with the heldout5 to heldout8 rules
    # heldout4 (written blind in session 2; 112 gold): 0.961 / 0.747 with the rules before the heldout3
    # tuning, 0.961 / 0.781 after it; 0.978 / 0.795 once phone numbers are read as such; then tuned
    # on: 0.978 / 0.900.
    ("heldout4", 1.0, 0.97, 0.94),  # 0.978 / 0.926 with the heldout6 rules, 0.934 with heldout7, 0.943 with heldout8
    # heldout5 (written blind in session 2; 106 gold): 0.955 / 0.901 with the rules before the heldout4
    # tuning, 0.955 / 0.928 after it; then tuned on in session 3: 1.000 / 1.000.
    ("heldout5", 1.0, 0.99, 0.99),
    # heldout6 (written blind in session 3; 132 gold): 0.963 / 0.816 with the rules before the heldout5
    # tuning, 0.970 / 0.837 after it; then tuned on: 0.996 / 0.981.
    ("heldout6", 0.99, 0.99, 0.98),  # 0.996 / 0.989 with the heldout7 rules
    # heldout7 (written blind in session 3; 102 gold): 0.878 / 0.783 with the rules at the session's start,
    # 0.910 / 0.829 after the heldout5 tuning, 0.948 / 0.901 after the heldout6 tuning; then tuned on: 0.971 / 0.933.
    ("heldout7", 0.99, 0.96, 0.94),  # 0.947 with the heldout9 rules
    # heldout8 (written blind in session 3, modelled on the real seeds' style; 117 gold): 0.898 / 0.617 with
    # the rules at the session's start, 0.909 / 0.640 after the heldout5 tuning, 0.931 / 0.664 after the
    # heldout6 and heldout7 tuning; then tuned on (lists, tables, labels, furniture): 0.931 / 0.899.
    ("heldout8", 0.98, 0.92, 0.91),  # 0.916 with the heldout9 rules
    # heldout9 (written blind in session 3 in the real seeds' style; 121 gold): 0.846 / 0.671 with the rules at
    # the session's start, 0.883 / 0.701 after the heldout5 tuning, 0.924 / 0.748 after the heldout6-8 tuning;
    # then tuned on: 0.942 / 0.864.
    ("heldout9", 1.0, 0.93, 0.85),
    # heldout10 (written blind in session 3 in the real seeds' style; 107 gold): 0.902 / 0.604 with the rules at
    # the session's start and after the heldout5 tuning, 0.942 / 0.744 after the heldout6-9 tuning; then tuned
    # on: 0.991 / 0.898.
    ("heldout10", 1.0, 0.98, 0.92),  # 0.935 with the heldout12 rules
    # heldout11 (written blind in session 3 in the real seeds' style; 111 gold): 0.874 / 0.567 with the rules at
    # the session's start, 0.929 / 0.711 after the heldout5-10 tuning; then tuned on (tables): 0.991 / 0.857.
    ("heldout11", 1.0, 0.98, 0.88),  # 0.875 with the heldout12 rules, 0.893 with "lần lượt"
    # heldout12 (written blind in session 3 in the real seeds' style; 96 gold): 0.928 / 0.657 with the rules at
    # the session's start, 0.980 / 0.786 after the heldout5-11 tuning; then tuned on: 0.980 / 0.898.
    ("heldout12", 1.0, 0.97, 0.88),
    # heldout13 (written blind in session 3 in the real seeds' style; 96 gold): 0.937 / 0.673 with the rules at
    # the session's start, 0.980 / 0.816 after the heldout5-12 tuning; then tuned on (lists of short paragraphs): 0.929.
    ("heldout13", 1.0, 0.97, 0.92),
    # heldout14 (written blind in session 3 in the real seeds' style; 107 gold): 0.939 / 0.702 with the rules at
    # the session's start, 0.973 / 0.791 at its end (never tuned on).
    ("heldout14", 1.0, 0.97, 0.79),
])
def test_unseen_articles_score_at_their_level(tmp_path, name, value_recall, value_f1, full_f1):
    s = score(_extract(tmp_path, name), read_gold(HERE / name / "gold.csv"))
    assert s["value"].recall >= value_recall
    assert s["value"].f1 >= value_f1 and s["full"].f1 >= full_f1, {k: round(v.f1, 3) for k, v in s.items()}
