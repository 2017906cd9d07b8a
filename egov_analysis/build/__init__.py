"""``egov build``: incremental, parallel, failure-safe report builds.

What is stale, the data stages, worker processes, the lock, staging and publishing, the
manifest and the index. Modules:

- :mod:`.plan`      which reports exist, what each reads, which are stale and why
- :mod:`.stages`    clean -> extract -> compare, each rerun only when its inputs changed
- :mod:`.run`       :func:`build`: lock, stages, worker pool, atomic publishing, summary
- :mod:`.worker`    one report in a worker process (fresh kernel, one Chromium per worker)
- :mod:`.lock`      the build lock and its stale-lock handling
- :mod:`.manifest`  reports/manifest.json;  :mod:`.index`  reports/index.html
- :mod:`.command`   the click command ``build_command``

Importing this package is cheap (no pandas, papermill or playwright): a build that finds
nothing to do never imports them.
"""

from egov_analysis.build.command import build_command
from egov_analysis.build.run import (
    EXIT_BAD_INPUT,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_REPORTS_FAILED,
    BuildOptions,
    BuildResult,
    build,
    dry_run_plan,
    run_data_stages,
)

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_INTERNAL",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_REPORTS_FAILED",
    "BuildOptions",
    "BuildResult",
    "build",
    "build_command",
    "dry_run_plan",
    "run_data_stages",
]
