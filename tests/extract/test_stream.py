"""Extraction streams the corpus: batches, workers and curation across batches change nothing
in the published tables, and a failure part-way leaves the previous tables in place."""

from __future__ import annotations


import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from egov_analysis.errors import InputError
from egov_analysis.extract import stream
from egov_analysis.pipeline import extract_corpus, read_articles, run_clean, run_extract
from egov_analysis.schemas import INDICATORS
from tests.conftest import write_overrides


@pytest.fixture
def cleaned(project):
    run_clean(project)
    return project


def _outputs(p):
    return {path.name: path.read_bytes() for path in (p.indicators_csv, p.curation_report_csv)} | {
        "parquet": pd.read_parquet(p.indicators_parquet)}


def _same(a, b):
    assert a["indicators.csv"] == b["indicators.csv"]
    assert a["curation_report.csv"] == b["curation_report.csv"]
    pd.testing.assert_frame_equal(a["parquet"], b["parquet"])


def test_record_columns_are_the_engines_and_the_schemas(cleaned):
    article = next(read_articles(cleaned))
    stream._init(*_catalogue_state(cleaned))
    (first, *_) = stream.extract_one(article)
    assert tuple(first) == stream.COLUMNS
    assert set(stream.COLUMNS) == set(INDICATORS.columns)


def _catalogue_state(p):
    from egov_analysis.catalogue import load_catalogue, measured_over
    from egov_analysis.gazetteer import Gazetteer

    cat = load_catalogue(p)
    return Gazetteer.load(p), dict(zip(cat["indicator_id"], cat["kind"])), measured_over(cat)


def test_small_batches_and_workers_publish_the_same_bytes(cleaned):
    run_extract(cleaned, jobs=1)
    whole = _outputs(cleaned)
    run_extract(cleaned, jobs=1, batch_bytes=1)  # a batch per article
    _same(whole, _outputs(cleaned))
    run_extract(cleaned, jobs=2, batch_bytes=3000)
    _same(whole, _outputs(cleaned))
    in_memory = extract_corpus(cleaned).indicators
    pd.testing.assert_frame_equal(in_memory, whole["parquet"])


def test_parquet_keeps_string_columns_typed_when_a_batch_has_none(cleaned):
    run_extract(cleaned, jobs=1, batch_bytes=1)
    schema = pq.read_schema(cleaned.indicators_parquet)
    assert schema.field("part_of").type == pa.string() and schema.field("scope").type == pa.string()


def test_curation_across_batches_reports_like_the_whole_corpus(cleaned):
    run_extract(cleaned, jobs=1)
    records = pd.read_parquet(cleaned.indicators_parquet)
    last_article = records["article_id"].max()
    late = records[records["article_id"] == last_article].iloc[0]
    first_article = records["article_id"].min()
    body = next(a for a in read_articles(cleaned) if a["article_id"] == first_article)["body"]
    quote = body[:40]
    write_overrides(cleaned, [
        {"override_id": "stale", "action": "reject", "record_id": "0000000000000000", "reason": "gone"},
        {"override_id": "late", "action": "correct", "record_id": late["record_id"], "indicator_id": "portals_count", "reason": "r"},
        {"override_id": "add", "action": "add", "article_id": first_article, "quote": quote, "value_text": quote[:5],
         "indicator_id": "portals_count", "unit": "count", "value": "1", "reason": "r"},
        {"override_id": "nowhere", "action": "add", "article_id": "no_such_article", "quote": "x", "value_text": "x",
         "indicator_id": "portals_count", "unit": "count", "reason": "r"},
    ])
    run_extract(cleaned, jobs=1)
    whole = _outputs(cleaned)
    run_extract(cleaned, jobs=1, batch_bytes=1)
    _same(whole, _outputs(cleaned))
    report = pd.read_csv(cleaned.curation_report_csv, keep_default_na=False)
    assert list(report["override_id"]) == ["stale", "late", "add", "nowhere"]
    assert list(report["is_applied"]) == [False, True, True, False]
    assert "no extracted record" in report.loc[0, "message"] and report.loc[3, "message"] == "unknown article_id"
    out = whole["parquet"]
    assert out.loc[out["record_id"] == late["record_id"], "status"].item() == "curated"


def test_a_failure_part_way_keeps_the_published_tables(cleaned, monkeypatch):
    run_extract(cleaned, jobs=1)
    before = _outputs(cleaned)
    calls = []

    def broken(article):
        calls.append(article["article_id"])
        if len(calls) == 3:
            raise RuntimeError("worker died")
        return original(article)

    original = stream.extract_rows
    monkeypatch.setattr(stream, "extract_rows", broken)
    with pytest.raises(RuntimeError):
        run_extract(cleaned, jobs=1, batch_bytes=1)  # two batches were already written when it fails
    _same(before, _outputs(cleaned))
    assert not [f for f in cleaned.processed.iterdir() if f.name.endswith(".tmp")]


def test_articles_out_of_order_are_refused_with_the_fix(cleaned):
    df = pd.read_parquet(cleaned.articles_parquet)
    df.iloc[::-1].to_parquet(cleaned.articles_parquet, index=False)
    with pytest.raises(InputError, match="article_id order") as e:
        run_extract(cleaned, jobs=1)
    assert "egov clean" in str(e.value)


def test_an_empty_corpus_publishes_empty_valid_tables(empty_project):
    run_clean(empty_project)
    result = run_extract(empty_project, jobs=1)
    assert result.records == 0 and result.indicators.empty
    assert list(pd.read_csv(empty_project.indicators_csv).columns) == list(INDICATORS.columns)


def test_workers_keep_at_most_a_few_batches_in_flight(monkeypatch):
    """The parallel stream reads its input lazily: a consumer that stops early has pulled only
    a bounded number of articles, whatever the corpus size."""
    pulled = []

    def articles():
        for i in range(10_000):
            pulled.append(i)
            yield {"article_id": f"a{i:05d}", "title": "t", "body": "Tỉnh có 12 cổng thông tin điện tử.", "reference_date": "2020-01-01"}

    from egov_analysis.catalogue import default_measured_over, load_catalogue
    from egov_analysis.gazetteer import Gazetteer

    cat = load_catalogue()
    it = stream.extract_stream(articles(), Gazetteer.load(), dict(zip(cat["indicator_id"], cat["kind"])), jobs=2,
                               measured_over=default_measured_over(), batch_bytes=1_000)
    first = next(it)
    it.close()
    assert first and first[0][stream.COLUMNS.index("value")] == 12.0
    assert len(pulled) < 1_000


def test_progress_counts_every_article_and_many_articles_get_a_totals_line(cleaned):
    seen = []
    result = run_extract(cleaned, jobs=1, batch_bytes=1, progress=seen.append)
    n = len(pd.read_parquet(cleaned.articles_parquet, columns=["article_id"]))
    assert sum(seen) == n == len(result.articles) and len(seen) == n  # one batch per article here
    per_article = result.summary_lines()
    assert sum(line.split(":")[0] in set(result.articles["article_id"]) for line in per_article) == int((result.articles["figures"] > 0).sum())
    (totals, *_) = result.summary_lines(per_article_up_to=2)
    assert totals.startswith(f"{n} articles") and f"{result.records} figures" in totals
