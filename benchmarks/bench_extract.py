"""Extraction throughput and memory on a ~100 MB corpus made from the seeds.

Usage:  .venv/bin/python benchmarks/bench_extract.py [--mb 100] [--jobs N] [--keep]

The corpus: the five cleaned seed articles, repeated with perturbations (digits of figures
changed, provinces swapped, paragraphs shuffled; years, dates, ratios and levels keep their
shape, so the mix of figures and non-figures stays the seeds'), written as the
``articles.parquet`` of a scratch project under ``benchmarks/_work/`` (generated once, in a
stream, with copies cut at 10% and 50% of the size).

What is timed is what ``egov extract`` runs (:func:`egov_analysis.pipeline.run_extract`):
read the articles in row batches, extract, apply curation, validate each batch, write
indicators.csv/.parquet and publish them. Each run is a fresh process. It prints, in one run:

* throughput in MB/s of cleaned text (UTF-8 bytes of the article bodies): with 1 process,
  and with N worker processes, per core (= MB/s / N);
* the same for the extraction engine alone (the stream of records, no tables written);
* peak resident memory (parent + largest worker) at 10%, 50% and 100% of the corpus.

The target (issue 4) is at least 5 MB/s per core and flat peak memory. The machine is shared:
compare figures of one run, not across runs.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
WORK = ROOT / "benchmarks" / "_work" / "extract"
NAMES = ["Cà Mau", "Bắc Giang", "Cần Thơ", "Hà Nội", "Đà Nẵng", "Quảng Ninh", "Lào Cai", "Đồng Tháp"]
_NUMBER = re.compile(r"\d+(?:[.,/]\d+)*")


def _perturb(number: str, rng: random.Random) -> str:
    """The figure with some digits changed, keeping what makes it a year, date, ratio or level:
    years, anything with a slash (dates "30/6", ratios "16/18") and single digits ("mức độ 3",
    "quý 3") stay as they are."""
    if "/" in number or len(number) == 1 or (len(number) == 4 and number[:2] in ("19", "20")):
        return number
    digits = [ch if not ch.isdigit() or rng.random() > 0.3 else str(rng.randrange(10)) for ch in number]
    if number[0] != "0" and digits[0] == "0":
        digits[0] = number[0]  # no leading zero where the seed had none
    return "".join(digits)


def corpus(mb: float, seed: int = 7):
    """Yield perturbed cleaned articles until ``mb`` megabytes of body text were produced."""
    from egov_analysis import config
    from egov_analysis.pipeline import clean_corpus

    base = clean_corpus(config.paths(ROOT)).articles[["article_id", "title", "body", "reference_date"]].to_dict("records")
    rng = random.Random(seed)
    produced, n = 0, 0
    while produced < mb * 1e6:
        a = dict(base[n % len(base)])
        body = a["body"]
        for old in NAMES[:4]:
            body = body.replace(old, rng.choice(NAMES))
        body = _NUMBER.sub(lambda m: _perturb(m.group(), rng), body)
        paras = body.split("\n\n")
        rng.shuffle(paras)
        a["body"] = "\n\n".join(paras)
        a["article_id"] = f"b{n:07d}"
        a["reference_date"] = a["reference_date"] if isinstance(a["reference_date"], str) else None  # NaN -> null
        produced += len(a["body"].encode())
        n += 1
        yield a


def make_projects(mb: float) -> dict[float, Path]:
    """Scratch projects with 10%, 50% and 100% of the corpus, written in one streamed pass."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from egov_analysis import config

    fractions = (0.1, 0.5, 1.0)
    roots = {f: WORK / f"{mb * f:g}MB" for f in fractions}
    stamp = WORK / f"made-{mb:g}MB"
    if stamp.exists():
        return roots
    shutil.rmtree(WORK, ignore_errors=True)
    writers, sizes = {}, {f: 0 for f in fractions}
    for f, root in roots.items():
        for sub in ("data/external", "data/curation"):
            shutil.copytree(ROOT / sub, root / sub)
        (root / "data" / "processed").mkdir(parents=True)
    schema = pa.schema([(c, pa.string()) for c in ("article_id", "title", "body", "reference_date")])
    batch: list[dict] = []

    def flush():
        table = pa.Table.from_pylist(batch, schema=schema)
        for f in fractions:
            if sizes[f] < mb * f * 1e6:
                if f not in writers:
                    writers[f] = pq.ParquetWriter(config.paths(roots[f]).articles_parquet, schema)
                writers[f].write_table(table)
                sizes[f] += sum(len(a["body"].encode()) for a in batch)
        batch.clear()

    for a in corpus(mb):
        batch.append(a)
        if len(batch) == 64:
            flush()
    if batch:
        flush()
    for w in writers.values():
        w.close()
    stamp.touch()
    return roots


def _descendants_peak(stop: threading.Event, out: dict) -> None:
    """Largest peak RSS (VmHWM) among this process's descendants, sampled until ``stop``: pool
    workers started by a forkserver are not our children, so ``RUSAGE_CHILDREN`` misses them."""
    me = os.getpid()
    while not stop.wait(0.1):
        parents = {}
        for status in Path("/proc").glob("[0-9]*/status"):
            try:
                fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
            except OSError:
                continue
            parents[int(status.parent.name)] = (int(fields.get("PPid", "0")), fields.get("VmHWM", "0 kB"))
        for pid, (ppid, hwm) in parents.items():
            chain = ppid
            while chain and chain != me and chain in parents:
                chain = parents[chain][0]
            if chain == me and pid != me:
                out["worker_mb"] = max(out.get("worker_mb", 0.0), int(hwm.split()[0]) / 1024)


def run(root: Path, jobs: int, engine_only: bool) -> dict:
    """One timed run in this (fresh) process."""
    import pyarrow.parquet as pq

    from egov_analysis import config
    from egov_analysis.pipeline import read_articles, run_extract

    p = config.paths(root)
    size = sum(len(b.encode()) for batch in pq.ParquetFile(p.articles_parquet).iter_batches(batch_size=256, columns=["body"])
               for b in batch.column(0).to_pylist())  # (in small batches: this must not raise the peak)
    stop, workers = threading.Event(), {}
    sampler = threading.Thread(target=_descendants_peak, args=(stop, workers), daemon=True)
    sampler.start()
    start = time.perf_counter()
    if engine_only:
        from egov_analysis.catalogue import load_catalogue, measured_over
        from egov_analysis.extract.stream import extract_stream
        from egov_analysis.gazetteer import Gazetteer

        cat = load_catalogue(p)
        records = sum(len(r) for r in extract_stream(read_articles(p), Gazetteer.load(p), dict(zip(cat["indicator_id"], cat["kind"])),
                                                     jobs=jobs, measured_over=measured_over(cat)))
    else:
        records = run_extract(p, jobs=jobs).records
    seconds = time.perf_counter() - start
    stop.set()
    sampler.join()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"mb": size / 1e6, "seconds": seconds, "records": records, "peak_mb": peak, "worker_mb": workers.get("worker_mb", 0.0)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=100.0, help="corpus size in MB of cleaned text (default 100)")
    ap.add_argument("--jobs", type=int, default=None, help="worker processes for the parallel runs (default: every core)")
    ap.add_argument("--keep", action="store_true", help="keep the generated corpus in benchmarks/_work/ for the next run")
    ap.add_argument("--child", nargs=3, metavar=("ROOT", "JOBS", "ENGINE"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(run(Path(args.child[0]), int(args.child[1]), args.child[2] == "1")))
        return
    from egov_analysis.extract.stream import default_jobs

    jobs = args.jobs or default_jobs()
    t = time.perf_counter()
    roots = make_projects(args.mb)
    print(f"corpus: {args.mb:g} MB of cleaned text from the 5 seeds ({time.perf_counter() - t:.0f} s to generate); "
          f"{jobs} worker(s) for the parallel runs")

    def child(root, j, engine=False):
        out = subprocess.run([sys.executable, __file__, "--child", str(root), str(j), "1" if engine else "0"],
                             check=True, capture_output=True, text=True)
        return json.loads(out.stdout.strip().splitlines()[-1])

    try:
        full = roots[1.0]
        rows = [("egov extract", 1, child(full, 1)), ("egov extract", jobs, child(full, jobs)),
                ("engine only", 1, child(full, 1, True)), ("engine only", jobs, child(full, jobs, True))]
        for what, j, r in rows:
            rate = r["mb"] / r["seconds"]
            print(f"{what:12s} {j} process(es): {r['mb']:.1f} MB in {r['seconds']:.1f} s = {rate:.2f} MB/s"
                  f" = {rate / j:.2f} MB/s per core ({r['records']} records)")
        serial, par = rows[0][2], rows[1][2]
        print(f"parallel speed-up of egov extract: {serial['seconds'] / par['seconds']:.2f}x on {jobs} cores")
        print("peak resident memory of egov extract by corpus size (1 process, fresh process each):")
        mem = [child(roots[0.1], 1), child(roots[0.5], 1), serial]
        for r in mem:
            print(f"  {r['mb']:7.1f} MB corpus -> peak {r['peak_mb']:.0f} MB")
        print(f"  with {jobs} workers on {par['mb']:.1f} MB: parent {par['peak_mb']:.0f} MB, largest worker {par['worker_mb']:.0f} MB")
        print(f"memory ratio (100% / 10% corpus): {mem[-1]['peak_mb'] / mem[0]['peak_mb']:.2f} (1.00 = flat)")
        per_core = par["mb"] / par["seconds"] / jobs
        print(f"target 5 MB/s per core (egov extract, {jobs} workers): {'met' if per_core >= 5 else 'NOT met'} ({per_core:.2f} MB/s per core)")
    finally:
        if not args.keep:
            shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
