"""The ``egov build`` command (registered on the ``egov`` group in cli.py)."""

from __future__ import annotations

import sys
import traceback

import click

from .. import config
from ..errors import EgovError
from .plan import FORMATS, LANGS
from .run import EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_INTERRUPTED, BuildOptions, build, default_jobs


def _subset(allowed: tuple[str, ...]):
    def parse(ctx, param, value: str) -> tuple[str, ...]:
        items = tuple(dict.fromkeys(v.strip().lower() for v in value.split(",") if v.strip()))
        bad = [v for v in items if v not in allowed]
        if bad or not items:
            raise click.BadParameter(f"{', '.join(bad) or 'nothing given'}; use a comma-separated subset of {','.join(allowed)}")
        return items

    return parse


@click.command("build", context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--province", "provinces", multiple=True, metavar="NAME",
              help="Only this province's reports (repeatable; any spelling, diacritics optional). Default: every province with data, plus the overview.")
@click.option("--lang", "langs", default=",".join(LANGS), show_default=True, callback=_subset(LANGS), help="Report languages.")
@click.option("--format", "formats", default=",".join(FORMATS), show_default=True, callback=_subset(FORMATS), help="Output formats.")
@click.option("--jobs", type=click.IntRange(min=1), default=None, help=f"Worker processes rendering reports (default: every core, here {default_jobs()}).")
@click.option("--force", is_flag=True, help="Rebuild every stage and report even if nothing changed.")
@click.option("--dry-run", is_flag=True, help="Print what would be rebuilt and why; change nothing.")
@click.option("--no-wait", is_flag=True, help="Exit with status 2 if another build holds the lock, instead of waiting.")
@click.option("--timeout", type=click.IntRange(min=1), default=600, show_default=True, help="Per-cell time limit of a notebook, in seconds.")
@click.option("--stages", type=click.Choice(["package", "notebooks"]), default="package", show_default=True,
              help="Run the data stages by calling the package (fast) or by executing notebooks/01-03 with papermill.")
@click.pass_context
def build_command(ctx, provinces, langs, formats, jobs, force, dry_run, no_wait, timeout, stages):
    """Build everything from data/raw: clean -> extract -> compare -> reports.

    Only what changed is rebuilt (content hashes of data, notebooks, templates, code and
    parameters). Reports go to reports/<lang>/<slug>.html and .pdf, with reports/index.html
    and reports/manifest.json; the run's log is appended to reports/build.log.
    $EGOV_NOTEBOOKS points the build at another notebooks folder.

    \b
    Exit status:
      0    everything requested is up to date
      1    some reports failed (the rest were published; see the summary)
      2    bad input data, bad parameters, or another build holds the lock (--no-wait)
      3    unexpected error (a bug: please report the traceback)
      130  interrupted
    """
    p = ctx.obj if isinstance(ctx.obj, config.Paths) else config.paths()
    options = BuildOptions(
        provinces=tuple(provinces), langs=langs, formats=formats, jobs=jobs, force=force,
        dry_run=dry_run, wait=not no_wait, timeout=timeout, stages=stages,
    )
    try:
        result = build(p, options)
    except EgovError as exc:
        click.secho(f"error: {exc}", fg="red", err=True)
        ctx.exit(EXIT_BAD_INPUT)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        ctx.exit(EXIT_INTERRUPTED)
    except Exception:  # a bug: show it, but keep exit code 1 for "some reports failed"
        traceback.print_exc(file=sys.stderr)
        ctx.exit(EXIT_INTERNAL)
    for line in result.plan:
        click.echo(line)
    ctx.exit(result.exit_code)


