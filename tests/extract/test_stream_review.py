"""Review of the streamed extraction: bad inputs and failures part-way through a parallel run.

Four of these reproduced bugs found in review (two overrides of one record, a corpus missing a
column or corrupt, a worker that dies); they pass since the fixes.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pandas as pd
import pytest

from egov_analysis.curate import COLUMNS as OVERRIDE_COLUMNS, apply_overrides
from egov_analysis.errors import InputError
from egov_analysis.extract import stream
from egov_analysis.pipeline import read_articles, run_clean, run_extract
from tests.conftest import write_overrides


@pytest.fixture
def extracted(project):
    """The seeds cleaned and extracted once, with no overrides."""
    run_clean(project)
    project.overrides_csv.unlink(missing_ok=True)
    run_extract(project, jobs=1)
    return project


def _overrides_frame(rows):
    return pd.DataFrame([{c: r.get(c, "") for c in OVERRIDE_COLUMNS} for r in rows], columns=OVERRIDE_COLUMNS)


def _published(p):
    return {path.name: path.read_bytes() for path in (p.indicators_csv, p.indicators_parquet, p.curation_report_csv)}


def _same_tables(p, published):
    """The tables of ``published`` (parquet bytes depend on the batches: one row group each)."""
    import io

    assert p.indicators_csv.read_bytes() == published["indicators.csv"]
    assert p.curation_report_csv.read_bytes() == published["curation_report.csv"]
    pd.testing.assert_frame_equal(pd.read_parquet(p.indicators_parquet), pd.read_parquet(io.BytesIO(published["indicators.parquet"])))


def _temporaries(p):
    return sorted(f.name for f in p.processed.iterdir() if f.name.endswith(".tmp"))


def test_two_overrides_of_one_record_both_apply_as_on_the_whole_corpus(extracted):
    records = pd.read_parquet(extracted.indicators_parquet)
    rid = records["record_id"].iloc[0]
    overrides = [
        {"override_id": "fix", "action": "correct", "record_id": rid, "indicator_id": "portals_count", "reason": "wrong indicator"},
        {"override_id": "drop", "action": "reject", "record_id": rid, "reason": "and not a figure after all"},
    ]
    write_overrides(extracted, overrides)
    bodies = {a["article_id"]: a["body"] for a in read_articles(extracted)}
    whole, whole_report = apply_overrides(records, _overrides_frame(overrides), bodies)

    run_extract(extracted, jobs=1)

    report = pd.read_csv(extracted.curation_report_csv, keep_default_na=False)
    assert list(report["is_applied"]) == list(whole_report["is_applied"]) == [True, True]
    out = pd.read_parquet(extracted.indicators_parquet).set_index("record_id").loc[rid]
    assert (out["indicator_id"], out["status"]) == (whole.set_index("record_id").loc[rid, "indicator_id"], "rejected")


def test_a_corpus_missing_a_column_is_refused_naming_the_file_and_the_fix(extracted):
    before = _published(extracted)
    df = pd.read_parquet(extracted.articles_parquet)
    df.drop(columns=["reference_date"]).to_parquet(extracted.articles_parquet, index=False)

    with pytest.raises(InputError, match="reference_date") as e:
        run_extract(extracted, jobs=1)

    assert str(extracted.articles_parquet) in str(e.value) and "egov clean" in str(e.value)
    assert _published(extracted) == before


def test_a_corrupt_corpus_is_an_input_error_naming_the_file_and_the_fix(extracted):
    extracted.articles_parquet.write_bytes(b"PAR1 this is not a parquet file")

    with pytest.raises(InputError) as e:
        run_extract(extracted, jobs=1)

    assert str(extracted.articles_parquet) in str(e.value) and "egov clean" in str(e.value)


def test_a_corrupt_corpus_keeps_the_published_tables_and_leaves_no_temporary_file(extracted):
    before = _published(extracted)
    extracted.articles_parquet.write_bytes(b"PAR1 this is not a parquet file")

    with pytest.raises(Exception):
        run_extract(extracted, jobs=2)

    assert _published(extracted) == before
    assert _temporaries(extracted) == []


def test_a_missing_corpus_fails_before_anything_is_staged(extracted):
    before = _published(extracted)
    extracted.articles_parquet.unlink()

    with pytest.raises(InputError, match="egov clean"):
        run_extract(extracted, jobs=2)

    assert _published(extracted) == before
    assert _temporaries(extracted) == []


def _with_articles(p, extra: list[dict]):
    """articles.parquet with ``extra`` articles added (other columns copied from the first)."""
    df = pd.read_parquet(p.articles_parquet)
    rows = [df.iloc[0].to_dict() | a for a in extra]
    out = pd.concat([df, pd.DataFrame(rows)[df.columns]], ignore_index=True).sort_values("article_id")
    out.to_parquet(p.articles_parquet, index=False)


def test_articles_without_figures_first_and_between_give_one_header_and_the_same_bytes(extracted):
    _with_articles(extracted, [
        {"article_id": "000_0000_no_figures", "body": "Không có số liệu nào trong bài này."},
        {"article_id": "002_zzzz_no_figures", "body": "Bài này cũng không có số liệu."},
    ])
    run_extract(extracted, jobs=1)
    whole = _published(extracted)

    result = run_extract(extracted, jobs=2, batch_bytes=1)  # a batch per article; the first has no record

    _same_tables(extracted, whole)
    text = extracted.indicators_csv.read_text(encoding="utf-8")
    assert text.count('"record_id","article_id"') + text.count("record_id,article_id") == 1
    assert result.records == len(pd.read_parquet(extracted.indicators_parquet)) > 0
    counts = result.articles.set_index("article_id")
    assert counts.loc["000_0000_no_figures", "figures"] == counts.loc["002_zzzz_no_figures", "figures"] == 0
    assert not any(line.startswith(("000_0000_no_figures", "002_zzzz_no_figures")) for line in result.summary_lines())


def test_an_error_raised_in_a_worker_names_the_overrides_file_and_keeps_the_tables(extracted):
    last = max(a["article_id"] for a in read_articles(extracted))
    body = next(a["body"] for a in read_articles(extracted) if a["article_id"] == last)
    write_overrides(extracted, [{"override_id": "x", "action": "add", "article_id": last, "quote": body[:30],
                                  "value_text": body[:3], "indicator_id": "no_such_indicator", "unit": "count",
                                  "value": "1", "reason": "r"}])
    before = _published(extracted)

    with pytest.raises(InputError, match="no_such_indicator") as e:
        run_extract(extracted, jobs=2, batch_bytes=1)  # several batches: the pool runs, the error crosses it

    assert str(extracted.overrides_csv) in str(e.value) and "indicators.csv" in e.value.fix
    assert _published(extracted) == before
    assert _temporaries(extracted) == []


def test_an_interrupt_during_a_parallel_run_keeps_the_tables_and_removes_the_staged_files(extracted, monkeypatch):
    before = _published(extracted)
    original = stream.batches

    def interrupted(articles, batch_bytes):
        for n, batch in enumerate(original(articles, batch_bytes)):
            if n == 3:
                raise KeyboardInterrupt
            yield batch

    monkeypatch.setattr(stream, "batches", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run_extract(extracted, jobs=2, batch_bytes=1)

    assert _published(extracted) == before
    assert _temporaries(extracted) == []


def test_unmatched_adds_across_batches_report_as_on_the_whole_corpus(extracted):
    articles = list(read_articles(extracted))
    first, last = articles[0], articles[-1]
    overrides = [
        {"override_id": "no-quote", "action": "add", "article_id": last["article_id"], "quote": "không có trong bài",
         "value_text": "bài", "indicator_id": "portals_count", "unit": "count", "reason": "r"},
        {"override_id": "outside", "action": "add", "article_id": first["article_id"], "quote": first["body"][:20],
         "value_text": "zzz", "indicator_id": "portals_count", "unit": "count", "reason": "r"},
        {"override_id": "ok", "action": "add", "article_id": last["article_id"], "quote": last["body"][:20],
         "value_text": last["body"][:4], "indicator_id": "portals_count", "unit": "count", "value": "2", "reason": "r"},
    ]
    write_overrides(extracted, overrides)
    records = pd.read_parquet(extracted.indicators_parquet)
    bodies = {a["article_id"]: a["body"] for a in articles}
    _, whole_report = apply_overrides(records, _overrides_frame(overrides), bodies)

    run_extract(extracted, jobs=2, batch_bytes=1)

    report = pd.read_csv(extracted.curation_report_csv, keep_default_na=False, dtype={"is_applied": bool})
    pd.testing.assert_frame_equal(report, whole_report.astype({"is_applied": bool}), check_dtype=False)


_CRASHING_WORKER = """
import os
from egov_analysis.extract.stream import ordered_map
from tests.conftest import write_overrides

if __name__ == "__main__":
    # os._exit(3) in a worker: the process dies as under the OOM killer, without an exception
    list(ordered_map(os._exit, [3, 3, 3, 3], 2, int, ()))
    print("finished")
"""


def test_a_worker_that_dies_ends_the_run_with_an_error_instead_of_hanging():
    proc = subprocess.Popen([sys.executable, "-c", _CRASHING_WORKER], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True, text=True)
    try:
        out, _ = proc.communicate(timeout=10)  # a guard against the hang, not a speed requirement
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # the session this test started: the script, its forkserver, workers
        proc.communicate()
        pytest.fail("the run hung after a worker died")
    assert proc.returncode != 0 and "finished" not in out
