"""How much `egov build` saves over the loop a user would write by hand.

Run: ``.venv/bin/python benchmarks/bench_build.py [--jobs 2] [--fixtures] [--keep]``

Works on temporary copies of the project under ``benchmarks/_work/`` (data/raw, data/external,
data/curation, notebooks; removed afterwards unless ``--keep``) and prints:

(a) a cold full build, ``egov build --jobs 2`` (data stages + every report, vi and en, HTML and
    PDF), against the same work done by hand: the three stage notebooks with the ``papermill``
    CLI, then for each report ``papermill`` (CLI), ``jupyter nbconvert --to html`` (CLI) and a
    PDF printed by a fresh Chromium through Playwright (one Python process per PDF);
(b) a no-op rebuild, ``egov build`` with nothing changed (wall time, interpreter included);
(c) one province's HTML after a notebook edit,
    ``egov build --province "Bắc Giang" --lang vi --format html``, against papermill + nbconvert.

``--fixtures`` uses the tiny test notebooks (tests/build/fixtures/notebooks) instead of notebooks/.
Timings are wall-clock seconds of one run each (no-op: median of 5); the machine's other load
shows in them.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
WORK = REPO / "benchmarks" / "_work"
KERNEL = "egov-analysis"
STAGE_NOTEBOOKS = ("01-clean-articles.ipynb", "02-extract-indicators.ipynb", "03-compare-provinces.ipynb")

PRINT_PDF = """
import sys
from playwright.sync_api import sync_playwright
html, pdf = sys.argv[1], sys.argv[2]
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path="/usr/bin/chromium")
    page = browser.new_page()
    page.goto("file://" + html, wait_until="load")
    page.pdf(path=pdf, format="A4", print_background=True)
    browser.close()
"""


def make_copy(dest: Path, notebooks: Path) -> Path:
    for sub in ("data/raw", "data/external", "data/curation"):
        shutil.copytree(REPO / sub, dest / sub)
    (dest / "data" / "processed").mkdir(parents=True)
    shutil.copytree(notebooks, dest / "notebooks")
    return dest


def run(cmd: list[str], *, env: dict | None = None, check: bool = True) -> tuple[float, subprocess.CompletedProcess]:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, **(env or {})})
    seconds = time.perf_counter() - t0
    if check and proc.returncode != 0:
        sys.exit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}")
    return seconds, proc


def egov(root: Path, *args: str, check: bool = True) -> tuple[float, subprocess.CompletedProcess]:
    return run([str(BIN / "egov"), "--root", str(root), "build", *args], check=check)


def reports_of(root: Path) -> list[dict]:
    """The reports the build made: (lang, slug, notebook, parameters), from its manifest."""
    manifest = json.loads((root / "reports" / "manifest.json").read_text(encoding="utf-8"))
    return [
        {"lang": e["lang"], "slug": e["slug"], "notebook": "province-report.ipynb" if e["kind"] == "province" else "overview-report.ipynb",
         "parameters": e["parameters"]}
        for e in manifest["reports"].values()
    ]


def by_hand(root: Path, reports: list[dict]) -> dict[str, float]:
    """The shell loop: papermill, nbconvert, a fresh Chromium per PDF, one report after another."""
    env = {"EGOV_ROOT": str(root)}  # the notebooks' root=None then means this copy
    out = root / "by-hand"
    times = {"stages": 0.0, "papermill": 0.0, "nbconvert": 0.0, "pdf": 0.0}
    (out / "stages").mkdir(parents=True)
    for name in STAGE_NOTEBOOKS:
        seconds, _ = run([str(BIN / "papermill"), str(root / "notebooks" / name), str(out / "stages" / name), "-k", KERNEL], env=env)
        times["stages"] += seconds
    for r in reports:
        stem = out / r["lang"] / r["slug"]
        stem.parent.mkdir(parents=True, exist_ok=True)
        params = [arg for key, value in r["parameters"].items() if value is not None for arg in ("-p", key, str(value))]
        seconds, _ = run([str(BIN / "papermill"), str(root / "notebooks" / r["notebook"]), f"{stem}.ipynb", *params, "-k", KERNEL], env=env)
        times["papermill"] += seconds
        seconds, _ = run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", "--no-prompt", "--embed-images",
                          "--template", "report_offline", f"--TemplateExporter.extra_template_basedirs={REPO / 'egov_analysis' / 'templates'}",
                          f"{stem}.ipynb"], env=env)
        times["nbconvert"] += seconds
        seconds, _ = run([sys.executable, "-c", PRINT_PDF, f"{stem}.html", f"{stem}.pdf"], env=env)
        times["pdf"] += seconds
    times["total"] = sum(times.values())
    return times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--fixtures", action="store_true", help="use the tiny test notebooks")
    ap.add_argument("--keep", action="store_true", help="keep benchmarks/_work/<run>")
    args = ap.parse_args()

    notebooks = REPO / "tests" / "build" / "fixtures" / "notebooks"
    if not args.fixtures and all((REPO / "notebooks" / n).is_file() for n in (*STAGE_NOTEBOOKS, "province-report.ipynb", "overview-report.ipynb")):
        notebooks = REPO / "notebooks"
    run_dir = WORK / datetime.now().strftime("%Y%m%d-%H%M%S")
    built = make_copy(run_dir / "build", notebooks)
    hand = make_copy(run_dir / "hand", notebooks)
    print(f"notebooks: {notebooks.relative_to(REPO)}; cores: {len(os.sched_getaffinity(0))}; work: {run_dir.relative_to(REPO)}")

    try:
        # (a) cold
        cold, proc = egov(built, "--jobs", str(args.jobs))
        reports = reports_of(built)
        print(f"\n(a) cold full build of {len(reports)} reports (vi+en, HTML+PDF) + data stages")
        print(f"    egov build --jobs {args.jobs}:            {cold:7.1f} s")
        manual = by_hand(hand, reports)
        print(f"    by hand (papermill/nbconvert CLIs, fresh Chromium per PDF): {manual['total']:7.1f} s"
              f"  [stages {manual['stages']:.1f}, papermill {manual['papermill']:.1f}, nbconvert {manual['nbconvert']:.1f}, pdf {manual['pdf']:.1f}]")
        print(f"    speed-up:                          {manual['total'] / cold:7.1f} x")

        # (b) no-op. A catch-up run first: if the package code changed since (a) (someone editing
        # while this runs), that run re-renders and the timed runs are still no-ops.
        _, proc = egov(built)
        if "0 rendered" not in proc.stderr:
            print("    note: the package changed during the benchmark; a catch-up build re-rendered first")
        walls = []
        for _ in range(5):
            seconds, proc = egov(built)
            walls.append(seconds)
        inner = proc.stderr.strip().splitlines()[-1]
        noop = statistics.median(walls)
        print("\n(b) no-op rebuild (nothing changed)")
        print(f"    egov build, wall incl. interpreter: {noop:7.2f} s  (median of 5; {inner.removeprefix('[build] ')})")
        print(f"    versus the cold build:             {cold / noop:7.0f} x faster; by hand redoes everything: {manual['total'] / noop:.0f} x")

        # (c) one province after a notebook edit
        nb_path = built / "notebooks" / "province-report.ipynb"
        nb = json.loads(nb_path.read_text(encoding="utf-8"))
        nb["cells"].append({"cell_type": "markdown", "id": "bench-edit", "metadata": {}, "source": ["Ghi chú thêm."]})
        nb_path.write_text(json.dumps(nb, ensure_ascii=False, indent=1), encoding="utf-8")
        one, proc = egov(built, "--province", "Bắc Giang", "--lang", "vi", "--format", "html")
        one_hand = 0.0
        stem = hand / "by-hand" / "vi" / "bac-giang-again"
        env = {"EGOV_ROOT": str(hand)}
        seconds, _ = run([str(BIN / "papermill"), str(nb_path), f"{stem}.ipynb", "-p", "province", "Bắc Giang", "-p", "lang", "vi", "-k", KERNEL], env=env)
        one_hand += seconds
        seconds, _ = run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", "--no-prompt", f"{stem}.ipynb"], env=env)
        one_hand += seconds
        print("\n(c) one province's HTML after editing province-report.ipynb")
        done = proc.stderr.strip().splitlines()[-1].removeprefix("[build] ")
        print(f"    egov build --province 'Bắc Giang' --lang vi --format html: {one:5.1f} s  ({done})")
        print(f"    by hand (papermill + nbconvert CLIs):                      {one_hand:5.1f} s  ({one_hand / one:.1f} x)")
        _, dry = egov(built, "--format", "html", "--dry-run")
        stale = [line for line in dry.stdout.splitlines() if "would render" in line]
        print(f"    reports still stale after it (the other provinces and en): {len(stale)}")
    finally:
        if not args.keep:
            shutil.rmtree(run_dir, ignore_errors=True)
            try:
                WORK.rmdir()
            except OSError:
                pass


if __name__ == "__main__":
    main()
