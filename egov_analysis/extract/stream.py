"""Extraction over a corpus: article by article, optionally on several cores.

Memory stays flat in corpus size: articles are read in batches (pyarrow row batches of
``articles.parquet``), each batch is extracted (in a process pool when ``jobs > 1``) and
its records handed on before the next batch is read.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator

from ..clean import sentences_of
from .engine import Sentence, extract_article

_STATE: dict = {}


def _init(gazetteer, kinds, measured_over: dict[str, str] | None = None) -> None:
    _STATE["gazetteer"] = gazetteer
    _STATE["kinds"] = kinds
    if measured_over is None:
        from ..catalogue import default_measured_over

        measured_over = default_measured_over()
    _STATE["measured_over"] = measured_over


def extract_one(article: dict) -> list[dict]:
    """Records of one article (uses the worker's gazetteer and catalogue columns)."""
    body = article["body"]
    sentences = [Sentence(i, p, s, e, body[s:e]) for i, (p, s, e) in enumerate(sentences_of(body))]
    return extract_article(article, sentences, _STATE["gazetteer"], _STATE["kinds"], _STATE["measured_over"])


def extract_stream(articles: Iterable[dict], gazetteer, kinds: dict[str, str], jobs: int = 1, batch: int = 64,
                   measured_over: dict[str, str] | None = None) -> Iterator[list[dict]]:
    """Yield each article's records, in input order. ``jobs`` processes (1 = in-process).

    ``kinds`` and ``measured_over`` are the catalogue's columns by indicator_id; without
    ``measured_over`` the catalogue of this checkout (or $EGOV_ROOT) is read.
    """
    _init(gazetteer, kinds, measured_over)
    measured_over = _STATE["measured_over"]
    if jobs <= 1:
        for article in articles:
            yield extract_one(article)
        return
    import multiprocessing as mp

    # Not "fork": the parent may already run pyarrow's background threads, and a child forked
    # while one holds a lock can hang. forkserver/spawn start clean workers.
    methods = mp.get_all_start_methods()
    ctx = mp.get_context("forkserver" if "forkserver" in methods else "spawn")
    with ctx.Pool(jobs, initializer=_init, initargs=(gazetteer, kinds, measured_over)) as pool:
        chunk: list[dict] = []
        for article in articles:
            chunk.append(article)
            if len(chunk) >= batch * jobs:
                yield from pool.map(extract_one, chunk, chunksize=max(1, batch // 4))
                chunk = []
        if chunk:
            yield from pool.map(extract_one, chunk, chunksize=max(1, batch // 4))


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))
