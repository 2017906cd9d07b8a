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
@click.pass_context
def build(ctx):
    """Build everything from data/raw: for now, the clean stage."""
    ctx.invoke(clean)


def main(argv: list[str] | None = None) -> None:
    cli.main(args=argv, prog_name="egov")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
