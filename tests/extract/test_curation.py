"""Analyst overrides: applied after extraction, never rewritten, reported when stale."""

from __future__ import annotations


import pandas as pd
import pytest

from egov_analysis.errors import CurationError
from egov_analysis.pipeline import run_clean, run_extract
from tests.conftest import write_overrides


@pytest.fixture
def extracted(project):
    run_clean(project)
    run_extract(project, jobs=1)
    return project


def _records(p):
    return pd.read_parquet(p.indicators_parquet)


def _rid(p, value):
    df = _records(p)
    return df.loc[df["value"] == value, "record_id"].iloc[0]


def test_reject_keeps_the_record_with_status_rejected(extracted):
    rid = _rid(extracted, 4.0)  # "4 cấp chính quyền": not an indicator
    write_overrides(extracted, [{"override_id": "o1", "action": "reject", "record_id": rid, "reason": "count of government tiers, not a figure"}])
    run_extract(extracted, jobs=1)
    row = _records(extracted).set_index("record_id").loc[rid]
    assert row["status"] == "rejected" and "o1" in row["note"]


def test_correct_replaces_only_the_given_fields(extracted):
    rid = _rid(extracted, 55.0)
    write_overrides(extracted, [{"override_id": "o2", "action": "correct", "record_id": rid, "value": "56", "reason": "Cổng + 55 trang = 56 sites"}])
    run_extract(extracted, jobs=1)
    row = _records(extracted).set_index("record_id").loc[rid]
    assert (row["value"], row["indicator_id"], row["status"]) == (56.0, "portals_count", "curated")


def test_add_creates_a_record_with_offsets_into_the_article(extracted):
    quote = "Cổng và 55 Trang Thông tin điện tử"
    write_overrides(extracted, [{"override_id": "o3", "action": "add", "article_id": "000_122b7f8943a07767", "quote": quote, "value_text": "Cổng",
                        "indicator_id": "portals_count", "province": "Cà Mau", "value": "1", "unit": "count", "reason": "the provincial portal itself"}])
    run_extract(extracted, jobs=1)
    row = _records(extracted).query("note.str.contains('o3')", engine="python").iloc[0]
    body = pd.read_parquet(extracted.articles_parquet).set_index("article_id").loc["000_122b7f8943a07767", "body"]
    assert body[row["quote_start"] : row["quote_end"]] == quote and row["status"] == "curated" and row["value"] == 1.0


def test_stale_override_is_reported_not_dropped(extracted):
    write_overrides(extracted, [{"override_id": "gone", "action": "reject", "record_id": "0000000000000000", "reason": "old"}])
    result = run_extract(extracted, jobs=1)
    report = pd.read_csv(extracted.processed / "curation_report.csv")
    assert report.loc[0, "override_id"] == "gone" and not report.loc[0, "is_applied"]
    assert any("override gone" in line and "did not apply" in line for line in result.summary_lines())


def test_overrides_file_is_never_rewritten_and_survives_reruns(extracted):
    rid = _rid(extracted, 4.0)
    write_overrides(extracted, [{"override_id": "o1", "action": "reject", "record_id": rid, "reason": "not a figure"}])
    before = extracted.overrides_csv.read_bytes()
    run_extract(extracted, jobs=1)
    run_extract(extracted, jobs=1)
    assert extracted.overrides_csv.read_bytes() == before
    assert _records(extracted).set_index("record_id").loc[rid, "status"] == "rejected"


def test_override_without_reason_or_with_words_for_numbers_is_an_error(extracted):
    write_overrides(extracted, [{"override_id": "o1", "action": "correct", "record_id": "x", "value": "7 tỷ", "reason": ""}])
    with pytest.raises(CurationError) as err:
        run_extract(extracted, jobs=1)
    assert "needs a reason" in str(err.value) and "not a number" in str(err.value) and "overrides.csv" in str(err.value)


def test_override_with_unknown_indicator_is_an_error(extracted):
    rid = _rid(extracted, 55.0)
    write_overrides(extracted, [{"override_id": "o2", "action": "correct", "record_id": rid, "indicator_id": "websites_total", "reason": "x"}])
    with pytest.raises(Exception, match="not in the catalogue"):
        run_extract(extracted, jobs=1)


@pytest.mark.parametrize("content", [b"override_id,action\n\xff\xfe bad bytes\n", b'override_id,action\n"unclosed,quote\n'])
def test_an_unreadable_overrides_file_names_itself_and_the_fix(project, content):
    from egov_analysis.curate import read_overrides

    project.overrides_csv.write_bytes(content)
    with pytest.raises(CurationError, match="overrides.csv") as e:
        read_overrides(project)
    assert "UTF-8 CSV" in str(e.value)
