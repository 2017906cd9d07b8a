"""Extraction throughput and memory on a ~100 MB corpus made from the seeds.

Usage:  .venv/bin/python benchmarks/bench_extract.py [--mb 100] [--jobs N]

The corpus is generated on the fly (never held in memory): the five cleaned seed articles,
repeated with perturbations (figures changed, provinces swapped, sentences shuffled within
paragraphs) so the work is realistic and not cached. It prints, in one run:

* throughput in MB/s of cleaned text, serial and with N worker processes, and per core;
* peak resident memory of the extraction at 10%, 50% and 100% of the corpus size (each in a
  fresh subprocess), to show memory does not grow with corpus size.

The target (issue 4) is at least 5 MB/s per core and flat peak memory.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def corpus(mb: float, seed: int = 7):
    """Yield perturbed cleaned articles until ``mb`` megabytes of body text were produced."""
    import pandas as pd

    from egov_analysis import config
    from egov_analysis.pipeline import clean_corpus

    p = config.paths(ROOT)
    base = clean_corpus(p).articles[["article_id", "title", "body", "reference_date"]].to_dict("records")
    names = ["Cà Mau", "Bắc Giang", "Cần Thơ", "Hà Nội", "Đà Nẵng", "Quảng Ninh", "Lào Cai", "Đồng Tháp"]
    rng = random.Random(seed)
    target = mb * 1e6
    produced = 0
    n = 0
    while produced < target:
        a = dict(base[n % len(base)])
        body = a["body"]
        for old in names[:4]:
            body = body.replace(old, rng.choice(names))
        body = "".join(ch if not ch.isdigit() or rng.random() > 0.3 else str(rng.randrange(10)) for ch in body)
        paras = body.split("\n\n")
        rng.shuffle(paras)
        a["body"] = "\n\n".join(paras)
        a["article_id"] = f"b{n:07d}"
        produced += len(a["body"].encode())
        n += 1
        yield a


def run(mb: float, jobs: int) -> dict:
    from egov_analysis.catalogue import load_catalogue
    from egov_analysis.gazetteer import Gazetteer
    from egov_analysis.extract.stream import extract_stream

    cat = load_catalogue()
    kinds = dict(zip(cat["indicator_id"], cat["kind"]))
    gaz = Gazetteer.load()
    # Generate first (timed separately) so throughput measures extraction, not generation.
    size = 0
    records = 0
    gen_time = 0.0
    work_time = 0.0

    def timed_corpus():
        nonlocal size, gen_time
        it = corpus(mb)
        while True:
            t = time.perf_counter()
            try:
                a = next(it)
            except StopIteration:
                return
            gen_time += time.perf_counter() - t
            size += len(a["body"].encode())
            yield a

    start = time.perf_counter()
    for recs in extract_stream(timed_corpus(), gaz, kinds, jobs=jobs, batch=64):
        records += len(recs)
    # Generation runs in this process between batches in both modes: it is not extraction.
    work_time = time.perf_counter() - start - gen_time
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    peak_children_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"mb": size / 1e6, "seconds": work_time, "records": records, "peak_mb": peak_kb / 1024, "peak_worker_mb": peak_children_kb / 1024}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=100.0, help="corpus size in MB of cleaned text (default 100)")
    ap.add_argument("--jobs", type=int, default=None, help="worker processes for the parallel run (default: every core)")
    ap.add_argument("--child", nargs=2, metavar=("MB", "JOBS"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(run(float(args.child[0]), int(args.child[1]))))
        return
    from egov_analysis.extract.stream import default_jobs

    jobs = args.jobs or default_jobs()

    def child(mb, j):
        out = subprocess.run([sys.executable, __file__, "--child", str(mb), str(j)], check=True, capture_output=True, text=True)
        return json.loads(out.stdout.strip().splitlines()[-1])

    print(f"corpus: ~{args.mb:g} MB of cleaned text generated from the 5 seeds; {jobs} core(s) for the parallel run")
    serial = child(args.mb, 1)
    par = child(args.mb, jobs)
    print(f"serial   : {serial['mb']:.1f} MB in {serial['seconds']:.1f} s = {serial['mb'] / serial['seconds']:.2f} MB/s ({serial['records']} records)")
    print(f"{jobs} workers: {par['mb']:.1f} MB in {par['seconds']:.1f} s = {par['mb'] / par['seconds']:.2f} MB/s = {par['mb'] / par['seconds'] / jobs:.2f} MB/s per core")
    print(f"parallel speed-up: {serial['seconds'] / par['seconds']:.2f}x on {jobs} workers")
    print("peak resident memory by corpus size (serial, fresh process each):")
    rows = []
    for frac in (0.1, 0.5, 1.0):
        r = serial if frac == 1.0 else child(args.mb * frac, 1)
        rows.append(r)
        print(f"  {r['mb']:7.1f} MB corpus -> peak {r['peak_mb']:.0f} MB")
    print(f"memory ratio (100% / 10% corpus): {rows[-1]['peak_mb'] / rows[0]['peak_mb']:.2f} (1.00 = flat)")
    print(f"target 5 MB/s per core: {'met' if serial['mb'] / serial['seconds'] >= 5 else 'NOT met'} (serial {serial['mb'] / serial['seconds']:.2f} MB/s)")


if __name__ == "__main__":
    main()
