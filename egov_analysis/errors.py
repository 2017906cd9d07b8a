"""One exception hierarchy. Every message names what failed and how to fix it."""

from __future__ import annotations

from pathlib import Path


class EgovError(Exception):
    """Root of every error egov-analysis raises on purpose.

    ``where`` names the file or parameter at fault; ``fix`` tells the user what to do.
    """

    def __init__(self, message: str, *, where: str | Path | None = None, fix: str | None = None):
        self.message = message
        self.where = str(where) if where is not None else None
        self.fix = fix
        super().__init__(self.__str__())

    def __str__(self) -> str:
        parts = []
        if self.where:
            parts.append(f"{self.where}: ")
        parts.append(self.message)
        if self.fix:
            parts.append(f"\n  fix: {self.fix}")
        return "".join(parts)

    def __reduce__(self):  # keyword-only fields survive pickling (errors raised in worker processes)
        return _restore, (type(self), self.message, self.where, self.fix)


def _restore(cls: type[EgovError], message: str, where: str | None, fix: str | None) -> EgovError:
    return cls(message, where=where, fix=fix)


class InputError(EgovError):
    """A raw input file (article, sources.csv, reference table) is unusable."""


class DecodeError(InputError):
    """An article's bytes are not text in any encoding we accept."""


class CorpusError(InputError):
    """sources.csv and data/raw/articles disagree, or an article is duplicated."""


class SchemaError(EgovError):
    """A table failed validation at a layer boundary."""


class ParameterError(EgovError):
    """A command-line or notebook parameter is invalid (unknown province, bad language...)."""


class CurationError(InputError):
    """data/curation/overrides.csv is malformed."""


class RenderError(EgovError):
    """Executing a notebook or printing a report failed."""


class BuildLockedError(EgovError):
    """Another build holds the lock."""
