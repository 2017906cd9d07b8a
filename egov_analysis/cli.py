"""The ``egov`` command: one subcommand per pipeline stage, plus build and add.

Errors raised on purpose (:class:`~egov_analysis.errors.EgovError`) are printed as one
clear message naming the file/parameter and the fix, and exit with status 2; anything
else is a bug and shows its traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__, config
from .errors import EgovError


class _Group(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except EgovError as exc:
            click.secho(f"error: {exc}", fg="red", err=True)
            ctx.exit(2)


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="egov")
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=None, envvar="EGOV_ROOT",
              help="Project root (default: this checkout, or $EGOV_ROOT).")
@click.pass_context
def cli(ctx, root):
    """egov-analysis: sourced e-government indicators from Vietnamese news articles."""
    ctx.obj = config.paths(root)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--url", help="Address the article was saved from (one file only).")
@click.option("--published", help="Publication date, YYYY-MM-DD (default: the date the text states).")
@click.option("--outlet", help="Newspaper or site (default: the one the text names).")
@click.pass_obj
def add(p, files, url, published, outlet):
    """Ingest article files (.txt, or .html saved pages) into data/raw."""
    from .clean import detect_metadata
    from .corpus import add_articles

    rows = add_articles(list(files), p, url=url, published=published, outlet=outlet, detect=detect_metadata)
    for row in rows.to_dict("records"):
        published = row["published"] if isinstance(row["published"], str) else "not stated"
        outlet = row["outlet"] if isinstance(row["outlet"], str) else "not named"
        click.echo(f"added {row['article_id']}: {row['title']} (published {published}, outlet {outlet})")


@cli.command()
@click.pass_obj
def clean(p):
    """Clean the raw corpus into data/processed/articles.parquet."""
    from .pipeline import run_clean

    result = run_clean(p)
    for line in result.summary_lines():
        click.echo(line)
    click.echo(f"wrote {p.articles_parquet.relative_to(p.root)} ({len(result.articles)} articles, {len(result.sentences)} sentences)")


@cli.command()
@click.option("--jobs", type=click.IntRange(min=1), default=None, help="Worker processes (default: every core).")
@click.pass_obj
def extract(p, jobs):
    """Extract indicator records into data/processed/indicators.csv (+ parquet)."""
    from .extract.stream import default_jobs
    from .pipeline import run_extract

    bar = None
    if sys.stderr.isatty() and p.articles_parquet.exists():  # a bar on a terminal only (not in cron mail)
        import pyarrow as pa
        import pyarrow.parquet as pq
        from tqdm import tqdm

        try:
            total = pq.ParquetFile(p.articles_parquet).metadata.num_rows
        except (OSError, pa.ArrowException):  # a broken corpus: run_extract says what to do
            total = None
        bar = tqdm(total=total, unit="article", desc="extract", file=sys.stderr, leave=False)
    try:
        result = run_extract(p, jobs=jobs or default_jobs(), progress=bar.update if bar is not None else None)
    finally:
        if bar is not None:
            bar.close()
    for line in result.summary_lines():
        click.echo(line)
    click.echo(f"wrote {p.indicators_csv.relative_to(p.root)} ({result.records} records)")


@cli.command()
@click.option("--base-year", type=int, default=None, help="Constant-price base year (default 2024: latest CPI and population year).")
@click.option("--days-per-year", type=float, default=None, help="Working days per year for per-day savings (default 250).")
@click.option("--rank-year", type=int, default=None, help="Year to rank provinces in (default: the year with most provinces).")
@click.option("--year-tolerance", type=click.IntRange(min=0), default=None, help="Years apart still ranked together (default 0).")
@click.pass_obj
def compare(p, base_year, days_per_year, rank_year, year_tolerance):
    """Savings, adoption, time series, rankings, checks and the 2025 rollup into data/processed/."""
    from .compare.run import run_compare

    options = {k: v for k, v in {"base_year": base_year, "days_per_year": days_per_year, "rank_year": rank_year,
                                 "year_tolerance": year_tolerance}.items() if v is not None}
    tables = run_compare(p, **options)
    for name in ("savings", "adoption", "timeseries", "rankings", "checks", "rollup_2025"):
        if name in tables:
            click.echo(f"{name}: {len(tables[name])} rows")
    failed = tables["checks"].query("status == 'fail'") if "checks" in tables else []
    for row in getattr(failed, "itertuples", lambda: [])():
        click.echo(f"check failed: {row.check} ({row.province}): {row.message}")
    click.echo(f"wrote comparison tables to {p.processed.relative_to(p.root)}/")


@cli.command()
@click.option("--gold", "gold_path", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Gold CSV to score against.")
@click.option("--show-misses", is_flag=True, help="List gold figures without a full match.")
@click.pass_obj
def evaluate(p, gold_path, show_misses):
    """Precision, recall and F1 of data/processed/indicators.csv against a gold CSV."""
    import pandas as pd

    from .errors import InputError
    from .evaluate import misses, read_gold, score

    if not p.indicators_parquet.exists():
        raise InputError("no extracted indicators", where=p.indicators_parquet, fix="run `egov extract` first")
    records = pd.read_parquet(p.indicators_parquet)
    gold = read_gold(gold_path)
    for level, s in score(records, gold).items():
        what = "value" if level == "value" else "value+indicator+province+period"
        click.echo(f"{what:>32}: precision {s.precision:.3f}  recall {s.recall:.3f}  F1 {s.f1:.3f}  ({s.true_positives} matched, {s.predicted} extracted, {s.gold} gold)")
    if show_misses:
        click.echo(misses(records, gold).to_string(index=False))


from .build import build_command  # noqa: E402  (cheap: a build imports its heavy tools when it runs)
cli.add_command(build_command, "build")


def main(argv: list[str] | None = None) -> None:
    cli.main(args=argv, prog_name="egov")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
