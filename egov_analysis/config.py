"""Every path the project uses, built from the project root.

Nothing else in the package joins paths by hand: import from here.
The root is the directory holding ``pyproject.toml`` above this package, and can
be overridden with the ``EGOV_ROOT`` environment variable (tests use it to work in
a temporary copy of the project).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def _default_root() -> Path:
    env = os.environ.get("EGOV_ROOT")
    if env:
        return Path(env).resolve()
    return PACKAGE_DIR.parent


@dataclass(frozen=True)
class Paths:
    """All project paths relative to one root."""

    root: Path

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def raw(self) -> Path:
        return self.data / "raw"

    @property
    def articles(self) -> Path:
        return self.raw / "articles"

    @property
    def sources_csv(self) -> Path:
        return self.raw / "sources.csv"

    @property
    def external(self) -> Path:
        return self.data / "external"

    @property
    def curation(self) -> Path:
        return self.data / "curation"

    @property
    def overrides_csv(self) -> Path:
        return self.curation / "overrides.csv"

    @property
    def processed(self) -> Path:
        return self.data / "processed"

    @property
    def articles_parquet(self) -> Path:
        return self.processed / "articles.parquet"

    @property
    def sentences_parquet(self) -> Path:
        return self.processed / "sentences.parquet"

    @property
    def cleaning_log_csv(self) -> Path:
        return self.processed / "cleaning_log.csv"

    @property
    def indicators_csv(self) -> Path:
        return self.processed / "indicators.csv"

    @property
    def indicators_parquet(self) -> Path:
        return self.processed / "indicators.parquet"

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    @property
    def catalogue_csv(self) -> Path:
        return self.external / "indicators.csv"

    @property
    def provinces_csv(self) -> Path:
        return self.external / "provinces.csv"

    @property
    def provinces_2025_csv(self) -> Path:
        return self.external / "provinces_2025.csv"

    @property
    def cpi_csv(self) -> Path:
        return self.external / "cpi_vietnam.csv"

    @property
    def vnd_usd_csv(self) -> Path:
        return self.external / "vnd_usd.csv"

    # -- egov build: processed outputs it tracks, its state, and the published reports --

    @property
    def curation_report_csv(self) -> Path:
        return self.processed / "curation_report.csv"

    def comparison_csv(self, table: str) -> Path:
        """One table written by the comparison step, e.g. ``comparison_csv("rankings")``."""
        return self.processed / f"{table}.csv"

    @property
    def build_state_json(self) -> Path:
        """Input/output hashes of the data stages at their last successful run."""
        return self.processed / ".build-state.json"

    @property
    def manifest_json(self) -> Path:
        return self.reports / "manifest.json"

    @property
    def reports_index_html(self) -> Path:
        return self.reports / "index.html"

    @property
    def build_lock(self) -> Path:
        return self.reports / ".build.lock"

    @property
    def build_lock_info(self) -> Path:
        """Sidecar naming the lock holder (pid, host, start time)."""
        return self.reports / ".build.lock.json"

    @property
    def build_log(self) -> Path:
        return self.reports / "build.log"

    @property
    def staging(self) -> Path:
        return self.reports / "_staging"

    @property
    def failed_reports(self) -> Path:
        return self.reports / "_failed"

    @property
    def executed_reports(self) -> Path:
        return self.reports / "_executed"


def paths(root: Path | str | None = None) -> Paths:
    """Project paths for ``root`` (default: this checkout or ``$EGOV_ROOT``)."""
    return Paths(Path(root).resolve() if root is not None else _default_root())


TEMPLATES_DIR = PACKAGE_DIR / "templates"
RULES_DIR = PACKAGE_DIR / "rules"
