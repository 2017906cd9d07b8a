"""The data stages as load -> process -> save steps: clean, extract.

Each ``run_*`` function reads its inputs through :mod:`config` paths, calls pure functions,
validates, and publishes its outputs atomically. It returns the tables it wrote, plus a
summary the CLI prints. The stage notebooks call the same functions.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from . import config
from .clean import clean_text, latest_stated_date
from .corpus import check_corpus, read_raw
from .io import parquet_bytes, csv_bytes, write_tables
from .schemas import ARTICLES, CLEANING_LOG, SENTENCES, validate


@dataclass
class CleanResult:
    articles: pd.DataFrame
    sentences: pd.DataFrame
    log: pd.DataFrame

    def summary_lines(self) -> list[str]:
        lines = []
        for row in self.articles.itertuples():
            reasons = self.log[(self.log["article_id"] == row.article_id) & (self.log["action"] == "dropped")]["rule"].value_counts()
            why = ", ".join(f"{n} {r}" for r, n in sorted(reasons.items())) or "none"
            lines.append(
                f"{row.article_id}: {row.chars_kept} chars kept, {row.chars_removed} removed; "
                f"{row.lines_dropped} line(s) dropped ({why})"
            )
        return lines


def clean_corpus(p: config.Paths | None = None, article_ids: list[str] | None = None) -> CleanResult:
    """Clean every article listed in sources.csv (or only ``article_ids``)."""
    p = p or config.paths()
    sources = check_corpus(p)
    if article_ids is not None:
        sources = sources[sources["article_id"].isin(article_ids)]
    arts, sents, logs = [], [], []
    for src in sources.sort_values("article_id").itertuples():
        raw = read_raw(p.raw / src.file)
        c = clean_text(raw.text)
        published = src.published or None
        ref = published or (d.isoformat() if (d := latest_stated_date(c.body)) else None)
        dropped = [e for e in c.log if e["action"] == "dropped"]
        arts.append(
            {
                "article_id": src.article_id,
                "title": src.title,
                "published": published,
                "outlet": src.outlet or c.metadata.get("outlet"),
                "author": c.metadata.get("author"),
                "file": src.file,
                "encoding": raw.encoding,
                "raw_sha256": raw.sha256,
                "body": c.body,
                "offsets": c.offsets,
                "offsets_end": c.offsets_end,
                "chars_raw": len(raw.text),
                "chars_removed": len(raw.text) - len(c.body),
                "chars_kept": len(c.body),
                "lines_dropped": len(dropped),
                "reference_date": ref,
            }
        )
        for n, (para, s, e) in enumerate(c.sentences):
            sents.append(
                {
                    "article_id": src.article_id,
                    "paragraph": para,
                    "sentence": n,
                    "start": s,
                    "end": e,
                    "raw_start": c.offsets[s],
                    "raw_end": c.offsets_end[e - 1],
                    "text": c.body[s:e],
                }
            )
        for entry in sorted(c.log, key=lambda x: x["line"]):
            logs.append({"article_id": src.article_id, **entry})
    articles = pd.DataFrame(arts, columns=list(ARTICLES.columns))
    for col in ("chars_raw", "chars_removed", "chars_kept", "lines_dropped"):
        articles[col] = articles[col].astype("int64")
    sentences = pd.DataFrame(sents, columns=list(SENTENCES.columns))
    for col in ("paragraph", "sentence", "start", "end", "raw_start", "raw_end"):
        sentences[col] = sentences[col].astype("int64")
    log = pd.DataFrame(logs, columns=list(CLEANING_LOG.columns))
    for col in ("line", "raw_start", "raw_end"):
        log[col] = log[col].astype("int64")
    return CleanResult(
        validate(articles, ARTICLES, "articles"),
        validate(sentences, SENTENCES, "sentences"),
        validate(log, CLEANING_LOG, "cleaning_log"),
    )


def run_clean(p: config.Paths | None = None) -> CleanResult:
    """Clean the corpus and publish articles.parquet, sentences.parquet, cleaning_log.csv."""
    p = p or config.paths()
    result = clean_corpus(p)
    write_tables(
        {
            p.articles_parquet: parquet_bytes(result.articles),
            p.sentences_parquet: parquet_bytes(result.sentences),
            p.cleaning_log_csv: csv_bytes(result.log),
        }
    )
    return result


@dataclass
class ExtractResult:
    indicators: pd.DataFrame
    curation_report: pd.DataFrame

    def summary_lines(self) -> list[str]:
        df = self.indicators
        lines = []
        for article_id, g in df.groupby("article_id", sort=True):
            n_un = int((g["indicator_id"] == "unclassified").sum())
            lines.append(f"{article_id}: {len(g)} figures, {len(g) - n_un} classified, {n_un} unclassified, {int((g['status'] == 'rejected').sum())} rejected")
        unmatched = self.curation_report[~self.curation_report["is_applied"].astype(bool)]
        for row in unmatched.itertuples():
            lines.append(f"warning: override {row.override_id} ({row.action}) did not apply: {row.message}")
        return lines


INDICATOR_SORT = ["article_id", "quote_start", "value_start", "record_id"]


def extract_corpus(p: config.Paths | None = None, jobs: int = 1) -> ExtractResult:
    """Extract indicator records from data/processed/articles.parquet and apply curation."""
    from .catalogue import load_catalogue, measured_over
    from .curate import apply_overrides, read_overrides
    from .errors import InputError
    from .extract.stream import extract_stream
    from .gazetteer import Gazetteer
    from .schemas import INDICATORS

    p = p or config.paths()
    if not p.articles_parquet.exists():
        raise InputError("the cleaned corpus is missing", where=p.articles_parquet, fix="run `egov clean` first")
    catalogue = load_catalogue(p)
    kinds = dict(zip(catalogue["indicator_id"], catalogue["kind"]))
    gazetteer = Gazetteer.load(p)
    overrides = read_overrides(p)
    articles = pd.read_parquet(p.articles_parquet, columns=["article_id", "title", "body", "reference_date"])
    rows = [r for recs in extract_stream(articles.to_dict("records"), gazetteer, kinds, jobs=jobs, measured_over=measured_over(catalogue)) for r in recs]
    columns = list(INDICATORS.columns)
    records = pd.DataFrame(rows, columns=columns)
    records, report = apply_overrides(records, overrides, dict(zip(articles["article_id"], articles["body"])))
    unknown = sorted(set(records["indicator_id"]) - set(catalogue["indicator_id"]))
    if unknown:
        raise InputError(f"indicator id(s) not in the catalogue: {unknown}", where=p.overrides_csv, fix="use an id from data/external/indicators.csv, or add it there")
    records = records.sort_values(INDICATOR_SORT).reset_index(drop=True)
    for col in ("value", "value_low", "value_high", "denominator"):
        records[col] = records[col].astype("float64")
    records = validate(records, INDICATORS, "indicators")
    return ExtractResult(records, report)


def run_extract(p: config.Paths | None = None, jobs: int = 1) -> ExtractResult:
    """Extract and publish indicators.csv, indicators.parquet and curation_report.csv."""
    p = p or config.paths()
    result = extract_corpus(p, jobs=jobs)
    write_tables(
        {
            p.indicators_csv: csv_bytes(result.indicators),
            p.indicators_parquet: parquet_bytes(result.indicators),
            p.processed / "curation_report.csv": csv_bytes(result.curation_report),
        }
    )
    return result
