"""The data stages as load -> process -> save steps: clean, extract.

Each ``run_*`` function reads its inputs through :mod:`config` paths, calls pure functions,
validates, and publishes its outputs atomically. It returns the tables it wrote, plus a
summary the CLI prints. The stage notebooks call the same functions.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import config
from .clean import clean_text, latest_stated_date
from .corpus import check_corpus, read_raw
from .io import parquet_bytes, csv_bytes, write_tables
from .schemas import ARTICLES, CLEANING_LOG, INDICATORS, SENTENCES, validate


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
    """What ``egov extract`` wrote: per-article counts, the curation report, and the indicators
    table itself (read from the published parquet on first use: the run streams the corpus and
    never holds every record)."""

    articles: pd.DataFrame  # article_id, figures, classified, unclassified, rejected
    curation_report: pd.DataFrame
    path: Path | None = None
    _indicators: pd.DataFrame | None = None

    @property
    def records(self) -> int:
        return int(self.articles["figures"].sum())

    @property
    def indicators(self) -> pd.DataFrame:
        if self._indicators is None:
            self._indicators = pd.read_parquet(self.path)
        return self._indicators

    def summary_lines(self, per_article_up_to: int = 30) -> list[str]:
        """A line per article with figures (totals only past ``per_article_up_to`` articles),
        then a warning per override that did not apply."""
        a = self.articles
        if len(a) <= per_article_up_to:
            lines = [f"{r.article_id}: {r.figures} figures, {r.classified} classified, {r.unclassified} unclassified, {r.rejected} rejected"
                     for r in a.itertuples() if r.figures]
        else:
            lines = [f"{len(a)} articles ({int((a['figures'] > 0).sum())} with figures): {int(a['figures'].sum())} figures, "
                     f"{int(a['classified'].sum())} classified, {int(a['unclassified'].sum())} unclassified, {int(a['rejected'].sum())} rejected"]
        unmatched = self.curation_report[~self.curation_report["is_applied"].astype(bool)]
        for row in unmatched.itertuples():
            lines.append(f"warning: override {row.override_id} ({row.action}) did not apply: {row.message}")
        return lines


INDICATOR_SORT = ["article_id", "quote_start", "value_start", "record_id"]
_ARTICLE_COLUMNS = ["article_id", "title", "body", "reference_date"]


def read_articles(p: config.Paths, batch_rows: int = 256) -> Iterator[dict]:
    """The cleaned articles one by one, read from articles.parquet in row batches (flat memory).

    They must come in article_id order (``egov clean`` writes them so): the indicators table is
    then sorted by streaming it. A corpus that is missing, not parquet or short of a column
    fails here, before anything is staged; one out of order or without a body, at that article.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    from .errors import InputError

    if not p.articles_parquet.exists():
        raise InputError("the cleaned corpus is missing", where=p.articles_parquet, fix="run `egov clean` first")
    try:
        corpus = pq.ParquetFile(p.articles_parquet)
    except (pa.ArrowException, OSError) as e:
        raise InputError(f"the cleaned corpus is not a readable parquet file ({e})", where=p.articles_parquet,
                         fix="run `egov clean` to rewrite it") from None
    missing = [c for c in _ARTICLE_COLUMNS if c not in corpus.schema_arrow.names]
    if missing:
        raise InputError(f"the cleaned corpus lacks column(s) {missing}", where=p.articles_parquet, fix="run `egov clean` to rewrite it")
    return _articles_in_order(p, corpus, batch_rows)


def _articles_in_order(p: config.Paths, corpus, batch_rows: int) -> Iterator[dict]:
    from .errors import InputError

    last = None
    for batch in corpus.iter_batches(batch_size=batch_rows, columns=_ARTICLE_COLUMNS):
        for article in batch.to_pylist():
            if not isinstance(article["article_id"], str) or not isinstance(article["body"], str):
                raise InputError(f"an article without id or body (after {last!r})", where=p.articles_parquet,
                                 fix="run `egov clean` to rewrite the cleaned corpus")
            if last is not None and article["article_id"] <= last:
                raise InputError(f"articles are not in article_id order ({article['article_id']!r} after {last!r})",
                                 where=p.articles_parquet, fix="run `egov clean` to rewrite the cleaned corpus")
            last = article["article_id"]
            yield article


_WORKER: dict = {}


def _init_extract_worker(gazetteer, kinds: dict, measured: dict, overrides: pd.DataFrame, known: set, where) -> None:
    from .curate import CurationStream
    from .extract.stream import _init

    _init(gazetteer, kinds, measured)
    _WORKER.update(curation=CurationStream(overrides), known=known, where=where)


def _extract_and_finish(articles: list[dict]) -> tuple["pa.Table", bytes, pd.DataFrame, dict]:
    """One batch of articles -> its validated, sorted, curated records (an arrow table, and the
    same as CSV), its per-article counts and its curation report rows. Runs in a worker: the
    parent only writes the tables."""
    import pyarrow as pa

    from .errors import InputError
    from .extract.stream import COLUMNS, extract_rows
    from .schemas import INDICATORS, INDICATORS_ARROW

    curation = _WORKER["curation"]
    rows = [r for a in articles for r in extract_rows(a)]
    columns = dict(zip(COLUMNS, map(list, zip(*rows)))) if rows else {c: [] for c in COLUMNS}
    # through arrow: twice as fast as a DataFrame from tuples, and typed even when a column is empty
    records = pa.Table.from_pydict({c: columns[c] for c in INDICATORS.columns}, schema=INDICATORS_ARROW).to_pandas()
    ids = [a["article_id"] for a in articles]
    records = curation.apply(records, ids, {a["article_id"]: a["body"] for a in articles if curation.needs_body(a["article_id"])})
    unknown = sorted(set(records["indicator_id"]) - _WORKER["known"])
    if unknown:
        raise InputError(f"indicator id(s) not in the catalogue: {unknown}", where=_WORKER["where"],
                         fix="use an id from data/external/indicators.csv, or add it there")
    records = validate(records.sort_values(INDICATOR_SORT).reset_index(drop=True), INDICATORS, "indicators")
    table = pa.Table.from_pandas(records, schema=INDICATORS_ARROW, preserve_index=False)
    return table, _csv(table), _article_counts(records, ids), curation.take_report()


def _csv(table: "pa.Table") -> bytes:
    """The table as CSV: written by arrow (~10x faster than pandas), every string quoted, each
    float as the shortest text that reads back to it (7075, 79.1, 7000000000)."""
    import io

    import pyarrow.csv as pa_csv

    buf = io.BytesIO()
    pa_csv.write_csv(table, buf, pa_csv.WriteOptions(quoting_style="needed"))
    return buf.getvalue()


def extract_batches(p: config.Paths | None = None, jobs: int = 1, batch_bytes: int = 2_000_000) -> tuple[Iterator[tuple["pa.Table", bytes, pd.DataFrame]], "CurationStream"]:
    """Indicator records of the cleaned corpus as validated, sorted arrow tables (each with its
    CSV bytes and per-article counts), one per batch of articles of about ``batch_bytes``
    characters (whole articles), curation applied, on ``jobs`` processes; and the curation,
    whose report is complete once the batches are exhausted.

    Workers extract, curate, sort and validate their batch (:func:`_extract_and_finish`), so
    the parent only hands out articles and collects tables.
    """
    from .catalogue import load_catalogue, measured_over
    from .curate import CurationStream, read_overrides
    from .extract.stream import batches as article_batches, ordered_map
    from .gazetteer import Gazetteer

    p = p or config.paths()
    catalogue = load_catalogue(p)
    kinds = dict(zip(catalogue["indicator_id"], catalogue["kind"]))
    overrides = read_overrides(p)
    curation = CurationStream(overrides)
    articles = read_articles(p)
    init = (Gazetteer.load(p), kinds, measured_over(catalogue), overrides, set(catalogue["indicator_id"]), p.overrides_csv)

    def tables() -> Iterator[tuple["pa.Table", bytes, pd.DataFrame]]:
        done = False
        for table, csv, counts, report in ordered_map(_extract_and_finish, article_batches(articles, batch_bytes), jobs, _init_extract_worker, init):
            curation.add_report(report)
            done = True
            yield table, csv, counts
        if not done:  # an empty corpus gives one empty (valid) table
            _init_extract_worker(*init)
            yield _extract_and_finish([])[:3]

    return tables(), curation


def extract_corpus(p: config.Paths | None = None, jobs: int = 1) -> ExtractResult:
    """Every indicator record of the cleaned corpus in memory (small corpora, notebooks, tests);
    ``run_extract`` streams the same records to the published tables."""
    import pyarrow as pa

    batches, curation = extract_batches(p, jobs)
    tables, counts = zip(*((table, n) for table, _, n in batches))
    records = validate(pa.concat_tables(tables).to_pandas(), INDICATORS, "indicators")
    return ExtractResult(pd.concat(counts, ignore_index=True), curation.report(), None, records)


def _article_counts(records: pd.DataFrame, article_ids: list[str]) -> pd.DataFrame:
    """Figures, classified, unclassified and rejected records of each article (zeros included)."""
    flags = pd.DataFrame({"article_id": records["article_id"], "figures": 1,
                          "classified": (records["indicator_id"] != "unclassified").astype("int64"),
                          "rejected": (records["status"] == "rejected").astype("int64")})
    counts = flags.groupby("article_id", sort=True).sum().reindex(sorted(article_ids), fill_value=0).astype("int64")
    counts.insert(2, "unclassified", counts["figures"] - counts["classified"])
    return counts.rename_axis("article_id").reset_index()


def run_extract(p: config.Paths | None = None, jobs: int = 1, batch_bytes: int = 2_000_000, progress=None) -> ExtractResult:
    """Extract and publish indicators.csv, indicators.parquet and curation_report.csv.

    The records are streamed (:func:`extract_batches`): each batch is appended to staged files
    next to the outputs, which replace the published ones only when the whole corpus went through
    (a failure leaves the previous outputs as they were). ``progress``, if given, is called with
    the number of articles each batch covered (e.g. a tqdm bar's ``update``).
    """
    import pyarrow.parquet as pq

    from .io import publish, staged_file
    from .schemas import INDICATORS_ARROW

    p = p or config.paths()
    batches, curation = extract_batches(p, jobs, batch_bytes)
    staged = {path: staged_file(path) for path in (p.indicators_csv, p.indicators_parquet, p.curation_report_csv)}
    counts = []
    try:
        with open(staged[p.indicators_csv], "wb") as csv_out, \
                pq.ParquetWriter(staged[p.indicators_parquet], INDICATORS_ARROW, compression="zstd", write_statistics=False) as pq_out:
            for n, (table, csv, batch_counts) in enumerate(batches):
                csv_out.write(csv if n == 0 else csv[csv.index(b"\n") + 1 :])  # one header
                pq_out.write_table(table)
                counts.append(batch_counts)
                if progress is not None:
                    progress(len(batch_counts))
        report = curation.report()
        staged[p.curation_report_csv].write_bytes(csv_bytes(report))
        publish(staged)
    finally:
        for tmp in staged.values():
            tmp.unlink(missing_ok=True)
    return ExtractResult(pd.concat(counts, ignore_index=True), report, p.indicators_parquet)
