"""Report labels in Vietnamese and English: ``report/labels.csv`` (key, vi, en).

Indicator names come from the catalogue, not from here.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache

from ..config import PACKAGE_DIR
from ..errors import ParameterError

LANGS = ("vi", "en")


def scope_label(scope, lang: str) -> str:
    """A record's scope ("cấp tỉnh; Sở-ngành") in the reader's language; each part from the labels
    table (``scope:cấp tỉnh``), a part without a row as written.

    >>> scope_label("Sở-ngành; cấp huyện", "en"), scope_label("cấp xã", "vi"), scope_label(None, "en")
    ('provincial departments; district level', 'cấp xã', '')
    """
    if not isinstance(scope, str) or not scope:
        return ""
    return "; ".join(label_or(f"scope:{part.strip()}", lang, part.strip()) for part in scope.split(";") if part.strip())


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


@lru_cache(maxsize=1)
def _translations() -> tuple[tuple[re.Pattern, str], ...]:
    with open(PACKAGE_DIR / "report" / "translations.csv", encoding="utf-8") as fh:
        return tuple((re.compile(r["pattern"]), r["vi"]) for r in csv.DictReader(fh))


def localize(text, lang: str) -> str:
    """Notes and assumptions written by the comparison step (English), in the reader's language.

    ``report/translations.csv`` holds one regular expression per phrase the comparison step
    writes and its Vietnamese; a phrase without a row stays in English.

    >>> localize("higher is better; 98% is within 0..100", "vi")
    'cao hơn là tốt hơn; 98% nằm trong khoảng 0..100'
    """
    if not isinstance(text, str):
        return ""
    if check_lang(lang) == "en":
        return text
    for pattern, vi in _translations():
        text = pattern.sub(vi, text)
    return _vi_numbers(text)


# A number the comparison step wrote in English: thousands by commas ("1,962,600", "21,148.00")
# or a decimal point ("189.7027").
_EN_NUMBER = re.compile(r"(?<!\d)(?<!\d[.,])(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+)(?!\d|[.,]\d)")


def _vi_numbers(text: str) -> str:
    """English-formatted numbers in Vietnamese digit grouping (1,962,600 -> 1.962.600; 189.7027 ->
    189,7027), except inside a quoted article sentence ('...'), which stays as written.

    >>> _vi_numbers("dân số 1,962,600; CPI 189.7027 / 143.6437, 2010 = 100; '7.075 người' trong bài; 0..100")
    "dân số 1.962.600; CPI 189,7027 / 143,6437, 2010 = 100; '7.075 người' trong bài; 0..100"
    """
    parts = re.split(r"('[^']*')", text)
    swap = str.maketrans(",.", ".,")
    return "".join(part if i % 2 else _EN_NUMBER.sub(lambda m: m.group().translate(swap), part) for i, part in enumerate(parts))
