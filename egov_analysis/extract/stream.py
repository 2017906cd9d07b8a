"""Extraction over a corpus: article by article, optionally on several cores.

Memory stays flat in corpus size: articles come from an iterator (the pipeline reads
``articles.parquet`` in row batches) and at most a few batches are in flight at any time.

With ``jobs > 1`` the articles are grouped into batches of about ``batch_bytes`` of text and
handed to worker processes (:func:`ordered_map`): at most ``2 * jobs`` batches are submitted
ahead of the one the caller is reading, so a slow consumer never lets the corpus pile up in
memory, and results come back in input order. Records travel as plain tuples in
:data:`COLUMNS` order (a third of the unpickling cost of dicts, paid on a core the workers
need).
"""

from __future__ import annotations

import itertools
import os
from collections import deque
from collections.abc import Iterable, Iterator

from ..clean import sentences_of
from .engine import Sentence, extract_article

# The fields of a record, in the order the engine builds them (:func:`extract_article`).
COLUMNS = ("record_id", "article_id", "indicator_id", "province", "period_start", "period_end", "scope", "value",
           "value_low", "value_high", "denominator", "unit", "qualifier", "quote", "quote_start", "quote_end",
           "value_text", "value_start", "value_end", "part_of", "status", "note")

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


def extract_rows(article: dict) -> list[tuple]:
    """Records of one article as tuples in :data:`COLUMNS` order."""
    return [tuple(r.values()) for r in extract_one(article)]


def _extract_batch(articles: list[dict]) -> list[list[tuple]]:
    return [extract_rows(a) for a in articles]


def batches(articles: Iterable[dict], batch_bytes: int) -> Iterator[list[dict]]:
    """Consecutive articles grouped into lists of about ``batch_bytes`` characters of body."""
    chunk: list[dict] = []
    size = 0
    for article in articles:
        chunk.append(article)
        size += len(article["body"])
        if size >= batch_bytes:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def _worker_start(initializer, initargs: tuple) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle (one message, not one per worker)
    initializer(*initargs)


def ordered_map(func, items: Iterable, jobs: int, initializer, initargs: tuple) -> Iterator:
    """``func(item)`` for each item, in order, on ``jobs`` worker processes started with
    ``initializer(*initargs)``; ``jobs <= 1`` runs in this process. At most ``2 * jobs`` items
    are in flight, so the input is consumed lazily. A single item runs in this process too:
    starting workers would cost more than they save.

    A worker that dies (killed, out of memory) ends the run with ``BrokenProcessPool`` instead
    of a hang; an error, an interrupt or a consumer that stops early cancels what is queued.
    """
    items = iter(items)
    head = list(itertools.islice(items, 2))
    if jobs <= 1 or len(head) < 2:
        initializer(*initargs)
        yield from map(func, itertools.chain(head, items))
        return
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    # Not "fork": the parent may already run pyarrow's background threads, and a child forked
    # while one holds a lock can hang. forkserver/spawn start clean workers.
    methods = mp.get_all_start_methods()
    ctx = mp.get_context("forkserver" if "forkserver" in methods else "spawn")
    pool = ProcessPoolExecutor(jobs, mp_context=ctx, initializer=_worker_start, initargs=(initializer, initargs))
    try:
        pending: deque = deque()
        for item in itertools.chain(head, items):
            pending.append(pool.submit(func, item))
            if len(pending) >= 2 * jobs:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def extract_stream(articles: Iterable[dict], gazetteer, kinds: dict[str, str], jobs: int = 1,
                   measured_over: dict[str, str] | None = None, batch_bytes: int = 200_000) -> Iterator[list[tuple]]:
    """Yield each article's records (tuples in :data:`COLUMNS` order), in input order.

    ``jobs`` processes (1 = in this process), each given batches of about ``batch_bytes`` of
    text. ``kinds`` and ``measured_over`` are the catalogue's columns by indicator_id; without
    ``measured_over`` the catalogue of this checkout (or $EGOV_ROOT) is read.
    """
    if measured_over is None:
        from ..catalogue import default_measured_over

        measured_over = default_measured_over()
    if jobs <= 1:
        _init(gazetteer, kinds, measured_over)
        for article in articles:
            yield extract_rows(article)
        return
    for rows in ordered_map(_extract_batch, batches(articles, batch_bytes), jobs, _init, (gazetteer, kinds, measured_over)):
        yield from rows


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))
