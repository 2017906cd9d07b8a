"""Report labels in Vietnamese and English: ``report/labels.csv`` (key, vi, en).

Indicator names come from the catalogue, not from here.
"""

from __future__ import annotations

import csv
from functools import lru_cache

from ..config import PACKAGE_DIR
from ..errors import ParameterError

LANGS = ("vi", "en")


@lru_cache(maxsize=1)
def _labels() -> dict[str, dict[str, str]]:
    with open(PACKAGE_DIR / "report" / "labels.csv", encoding="utf-8") as fh:
        return {r["key"]: {"vi": r["vi"], "en": r["en"]} for r in csv.DictReader(fh)}


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ParameterError(f"unknown language {lang!r}", where="lang", fix="use lang='vi' or lang='en'")
    return lang


def t(key: str, lang: str, **fields) -> str:
    """The label ``key`` in ``lang``, with ``{fields}`` filled in.

    >>> t("quality_ok", "en", n=3)
    'All 3 consistency checks passed.'
    """
    text = _labels()[key][check_lang(lang)]
    return text.format(**fields) if fields else text


def label_or(key: str, lang: str, default: str) -> str:
    """The label ``key`` if the table has it, else ``default``."""
    row = _labels().get(key)
    return row[check_lang(lang)] if row else default
