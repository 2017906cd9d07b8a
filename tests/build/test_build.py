"""``egov build`` end to end on temporary projects: incremental, parallel, failure-safe.

Marked slow: they start kernels and Chromium (they still run by default). The cold build
runs once per session (fixture ``built``); every other test changes a copy of it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from egov_analysis import config
from egov_analysis.build import BuildOptions, run_data_stages

from .conftest import FIXTURE_NOTEBOOKS, REPO, add_cell, egov_build, make_project, rendered, sha, tree_state

pytestmark = pytest.mark.slow

PROVINCES = ["bac-giang", "ca-mau", "can-tho", "ha-noi"]
ALL_IDS = {f"{lang}/{slug}" for lang in ("vi", "en") for slug in PROVINCES + ["overview"]}

NEW_ARTICLE = (
    "Cần Thơ mở rộng hội nghị truyền hình trực tuyến\n\n"
    "Năm 2020, thành phố Cần Thơ đã đưa vào sử dụng 120 điểm cầu hội nghị truyền hình trực tuyến kết nối đến cấp xã.\n"
)


def _html_hashes(p: config.Paths) -> dict[str, str]:
    return {f"{f.parent.name}/{f.stem}": sha(f) for f in sorted(p.reports.glob("*/*.html"))}


# -- a cold build ------------------------------------------------------------------------------


def test_cold_build_publishes_every_report_with_manifest_and_index(built):
    root, output = built
    p = config.paths(root)
    assert rendered(output) == ALL_IDS
    for report_id in ALL_IDS:
        lang, slug = report_id.split("/")
        assert (p.reports / lang / f"{slug}.html").is_file()
        assert (p.reports / lang / f"{slug}.pdf").read_bytes().startswith(b"%PDF")
        assert (p.executed_reports / lang / f"{slug}.ipynb").is_file()
    assert not p.staging.exists() and not p.build_lock_info.exists()

    page = (p.reports / "vi" / "bac-giang.html").read_text(encoding="utf-8")
    assert "Bắc Giang — báo cáo ứng dụng CNTT" in page and "Phiên bản dữ liệu" in page
    assert "Bắc Giang — e-government report" in (p.reports / "en" / "bac-giang.html").read_text(encoding="utf-8")

    manifest = json.loads(p.manifest_json.read_text(encoding="utf-8"))
    assert set(manifest["reports"]) == ALL_IDS
    entry = manifest["reports"]["vi/ca-mau"]
    assert entry["status"] == "ok" and entry["parameters"]["province"] == "Cà Mau"
    assert set(entry["inputs"]) == {"notebook", "templates", "code", "package_version", "parameters", "data"}
    assert {"papermill", "nbconvert", "pandas", "playwright"} <= set(entry["versions"])
    assert entry["started"] <= entry["finished"] and entry["duration_s"] > 0
    assert entry["published"]["pdf"]["path"] == "vi/ca-mau.pdf"

    index = p.reports_index_html.read_text(encoding="utf-8")
    for report_id in ALL_IDS:
        assert f'href="{report_id}.html"' in index and f'href="{report_id}.pdf"' in index
    assert "[build] vi/bac-giang html+pdf ok" in p.build_log.read_text(encoding="utf-8")


def test_stage_paths_give_byte_identical_data(tmp_path, kernel):
    via_package = make_project(tmp_path / "a")
    via_notebooks = make_project(tmp_path / "b")
    shutil.rmtree(via_notebooks.notebooks)  # the notebooks come from the override below
    run_data_stages(via_package, BuildOptions(stages="package", jobs=2))
    run_data_stages(via_notebooks, BuildOptions(stages="notebooks", notebooks_dir=FIXTURE_NOTEBOOKS))
    a = {f.name: f.read_bytes() for f in via_package.processed.iterdir() if not f.name.startswith(".")}
    b = {f.name: f.read_bytes() for f in via_notebooks.processed.iterdir() if not f.name.startswith(".")}
    assert sorted(a) == sorted(b) and "rankings.csv" in a
    assert [name for name in a if a[name] != b[name]] == []
    executed = sorted(f.name for f in (via_notebooks.executed_reports / "stages").iterdir())
    assert executed == ["01-clean-articles.ipynb", "02-extract-indicators.ipynb", "03-compare-provinces.ipynb"]


# -- incremental -------------------------------------------------------------------------------


def test_noop_rebuild_executes_nothing_and_imports_no_renderer(project):
    before = tree_state(project.root, skip=("reports/build.log",))
    script = (
        "import json, sys, time\n"
        "from egov_analysis import config\n"
        "from egov_analysis.build import build\n"
        "t = time.perf_counter(); r = build(config.paths(sys.argv[1])); t = time.perf_counter() - t\n"
        "heavy = [m for m in ('pandas', 'papermill', 'nbformat', 'nbconvert', 'jupyter_client', 'playwright') if m in sys.modules]\n"
        "print(json.dumps({'seconds': t, 'heavy': heavy, 'rendered': r.rendered, 'stages': r.stages_run, 'exit': r.exit_code}))\n"
    )
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", script, str(project.root)], capture_output=True, text=True, check=True)
    wall = time.perf_counter() - t0
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report == {**report, "heavy": [], "rendered": [], "stages": [], "exit": 0}
    assert report["seconds"] < 1.0, report
    assert wall < 3.0, wall  # interpreter start included
    assert "reports: all 10 up to date" in out.stderr
    assert tree_state(project.root, skip=("reports/build.log",)) == before


def test_new_article_reruns_data_stages_and_only_reports_reading_it(project):
    from egov_analysis.clean import detect_metadata
    from egov_analysis.corpus import add_articles

    article = project.root / "new.txt"
    article.write_text(NEW_ARTICLE, encoding="utf-8")
    add_articles([article], project, published="2020-12-01", outlet="Báo Cần Thơ", detect=detect_metadata)
    before = _html_hashes(project)

    result = egov_build(project, "--lang", "vi", "--format", "html")
    assert result.exit_code == 0, result.output
    assert "clean: running (package; data/raw/articles/005_" in result.output
    assert "compare: done" in result.output
    again = rendered(result.output)
    assert {"vi/can-tho", "vi/overview"} <= again
    assert again.isdisjoint({"vi/ca-mau", "vi/ha-noi"})  # nothing they read changed
    after = _html_hashes(project)
    assert after["vi/ca-mau"] == before["vi/ca-mau"] and after["vi/ha-noi"] == before["vi/ha-noi"]
    assert after["vi/can-tho"] != before["vi/can-tho"]
    assert "data changed" in result.output


def test_editing_one_notebook_rerenders_only_its_reports(project):
    add_cell(project.notebooks / "overview-report.ipynb", 'print("một dòng mới")')
    before = _html_hashes(project)
    result = egov_build(project, "--format", "html")
    assert result.exit_code == 0, result.output
    assert "clean: up to date" in result.output
    assert rendered(result.output) == {"vi/overview", "en/overview"}
    assert "vi/overview: notebook changed" in result.output
    after = _html_hashes(project)
    assert {k for k in after if after[k] != before[k]} == {"vi/overview", "en/overview"}


def test_dry_run_reports_what_and_why_and_changes_nothing(project):
    add_cell(project.notebooks / "province-report.ipynb", "1 + 1")
    (project.raw / "sources.csv").write_text((project.raw / "sources.csv").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    (project.reports / "en" / "ha-noi.pdf").unlink()
    before = tree_state(project.root)
    result = egov_build(project, "--dry-run")
    assert result.exit_code == 0, result.output
    assert tree_state(project.root) == before
    out = result.output
    assert "stage clean: would run (data/raw/sources.csv changed" in out
    assert "stage extract: would run if clean changes its outputs" in out
    assert "vi/bac-giang" in out and "would render: notebook changed" in out
    assert "pdf missing" in out
    assert re.search(r"^  vi/overview +html\+pdf +up to date$", out, re.M)
    assert not project.build_lock_info.exists()


# -- failures ----------------------------------------------------------------------------------


def test_failing_report_keeps_the_published_one_and_exits_1_naming_the_cell(project):
    add_cell(project.notebooks / "province-report.ipynb", 'if province == "Cà Mau":\n    raise KeyError("boom")')
    before = _html_hashes(project)
    result = egov_build(project, "--lang", "vi", "--format", "html")
    assert result.exit_code == 1, result.output
    assert rendered(result.output) == {"vi/bac-giang", "vi/can-tho", "vi/ha-noi"}
    assert rendered(result.output, "failed") == {"vi/ca-mau"}
    assert "vi/ca-mau html failed" in result.output and "(cell 5: KeyError: 'boom')" in result.output
    assert "FAILED vi/ca-mau: cell 5: KeyError: 'boom'" in result.output
    assert "reports/_failed/vi/ca-mau.ipynb" in result.output

    after = _html_hashes(project)
    assert after["vi/ca-mau"] == before["vi/ca-mau"]  # the last good report stays published
    assert after["vi/bac-giang"] != before["vi/bac-giang"]
    failed = nbformat.read(str(project.failed_reports / "vi" / "ca-mau.ipynb"), as_version=4)
    assert any("papermill-error-cell-tag" in c.metadata.get("tags", []) for c in failed.cells)
    assert any(o.get("ename") == "KeyError" for c in failed.cells if c.cell_type == "code" for o in c.outputs)
    assert not project.staging.exists()

    manifest = json.loads(project.manifest_json.read_text(encoding="utf-8"))
    entry = manifest["reports"]["vi/ca-mau"]
    assert entry["status"] == "failed" and entry["error"]["cell_index"] == 5
    assert entry["published"]["html"]["path"] == "vi/ca-mau.html"
    assert "cell 5: KeyError" in project.reports_index_html.read_text(encoding="utf-8")

    # Nothing changed: only the failed report is tried again.
    retry = egov_build(project, "--lang", "vi", "--format", "html")
    assert retry.exit_code == 1
    assert rendered(retry.output, "failed") == {"vi/ca-mau"} and rendered(retry.output) == set()
    assert "retrying: the last attempt failed" in retry.output


def test_killed_kernel_is_a_report_failure(project):
    add_cell(project.notebooks / "province-report.ipynb", 'import os\nif province == "Cần Thơ":\n    os.kill(os.getpid(), 9)')
    result = egov_build(project, "--province", "can tho", "--province", "Hà Nội", "--lang", "vi", "--format", "html")
    assert result.exit_code == 1, result.output
    assert rendered(result.output) == {"vi/ha-noi"}
    assert "FAILED vi/can-tho: cell 5: DeadKernelError" in result.output
    assert (project.failed_reports / "vi" / "can-tho.ipynb").is_file()


def test_cell_timeout_is_a_report_failure(project):
    add_cell(project.notebooks / "province-report.ipynb", "import time\ntime.sleep(60)")
    t0 = time.monotonic()
    result = egov_build(project, "--province", "Hà Nội", "--lang", "en", "--format", "html", "--timeout", "2")
    assert result.exit_code == 1, result.output
    assert "FAILED en/ha-noi: cell 5: CellTimeoutError" in result.output
    assert time.monotonic() - t0 < 30


def test_chromium_failing_to_start_is_a_report_failure(project, monkeypatch):
    monkeypatch.setenv("EGOV_CHROMIUM", str(project.root / "no-chromium"))
    before = {fmt: sha(project.reports / "vi" / f"ha-noi.{fmt}") for fmt in ("html", "pdf")}
    result = egov_build(project, "--province", "ha noi", "--lang", "vi", "--force")
    assert result.exit_code == 1, result.output
    assert "FAILED vi/ha-noi: pdf: " in result.output and "Chromium executable not found" in result.output
    # HTML and PDF are published together or not at all.
    assert {fmt: sha(project.reports / "vi" / f"ha-noi.{fmt}") for fmt in ("html", "pdf")} == before


def test_bad_input_exits_2_and_leaves_data_and_reports_untouched(project):
    with open(project.sources_csv, "a", encoding="utf-8") as fh:
        fh.write(f"009_missing,articles/009_missing.txt,Bài thiếu,2020-01-01,,,vi,{'0' * 64},2020-01-01\n")
    before = tree_state(project.root, skip=("reports/build.log", "data/raw", "data/processed/.build-state.json"))
    result = egov_build(project)
    assert result.exit_code == 2, result.output
    assert "clean: failed; data/processed and reports/ left as they were (exit 2)" in result.output
    assert "error: " in result.output and "009_missing" in result.output
    assert tree_state(project.root, skip=("reports/build.log", "data/raw", "data/processed/.build-state.json")) == before


# -- parameters --------------------------------------------------------------------------------


def test_unknown_province_is_rejected_with_suggestions(project):
    before = tree_state(project.root)
    result = egov_build(project, "--province", "Bac Giangg")
    assert result.exit_code == 2, result.output
    assert "unknown province 'Bac Giangg'" in result.output and "did you mean 'Bắc Giang'" in result.output
    assert tree_state(project.root) == before


def test_province_without_data_is_rejected(project):
    result = egov_build(project, "--province", "Hà Giang")
    assert result.exit_code == 2, result.output
    assert "no indicator records for 'Hà Giang'" in result.output
    assert "Bắc Giang, Cà Mau, Cần Thơ, Hà Nội" in result.output


def test_province_names_are_diacritic_insensitive(project):
    add_cell(project.notebooks / "province-report.ipynb", "2 + 2")
    result = egov_build(project, "--province", "CA MAU", "--dry-run")
    assert result.exit_code == 0, result.output
    planned = [line.split()[0] for line in result.output.splitlines() if line.startswith("  ")]
    assert planned == ["vi/ca-mau", "en/ca-mau"]


# -- the lock ----------------------------------------------------------------------------------

HOLD = (
    "import sys, time\n"
    "from egov_analysis import config\n"
    "from egov_analysis.build.lock import BuildLock\n"
    "with BuildLock(config.paths(sys.argv[1]), log=lambda m: None):\n"
    "    print('held', flush=True)\n"
    "    time.sleep(float(sys.argv[2]))\n"
)


def _hold_lock(p: config.Paths, seconds: float) -> subprocess.Popen:
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(p.root), str(seconds)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    return holder


def test_second_build_exits_2_under_no_wait(project):
    holder = _hold_lock(project, 30)
    try:
        result = egov_build(project, "--no-wait")
        assert result.exit_code == 2, result.output
        assert f"another build (pid {holder.pid}, started " in result.output and "holds the lock" in result.output
    finally:
        holder.kill()
        holder.wait()


def test_second_build_waits_for_the_first(project):
    holder = _hold_lock(project, 1.5)
    try:
        result = egov_build(project)
        assert result.exit_code == 0, result.output
        assert f"another build (pid {holder.pid}, started " in result.output and "holds the lock; waiting…" in result.output
        assert "lock acquired after" in result.output
    finally:
        holder.kill()
        holder.wait()


def test_stale_lock_of_a_killed_build_is_cleared(project):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    project.build_lock_info.write_text(json.dumps({"pid": dead.pid, "host": os.uname().nodename, "started": "2025-01-01T00:00:00Z"}))
    leftover = project.staging / "20250101T000000Z-1" / "vi"
    leftover.mkdir(parents=True)
    (leftover / "bac-giang.html").write_text("half a report")
    result = egov_build(project)
    assert result.exit_code == 0, result.output
    assert f"cleared a stale lock: the build with pid {dead.pid} (started 2025-01-01T00:00:00Z) did not finish and is no longer running" in result.output
    assert "removing the unfinished output of an interrupted run: reports/_staging/20250101T000000Z-1" in result.output
    assert not project.staging.exists() and not project.build_lock_info.exists()
    assert f"cleared a stale lock: the build with pid {dead.pid}" in project.build_log.read_text(encoding="utf-8")


def test_killing_a_running_build_leaves_published_reports_and_a_clearable_lock(project):
    add_cell(project.notebooks / "province-report.ipynb", "import time\ntime.sleep(30)")
    before = _html_hashes(project)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    run = subprocess.Popen([str(Path(sys.executable).parent / "egov"), "--root", str(project.root), "build", "--lang", "vi", "--format", "html", "--jobs", "1"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True, env=env)
    try:
        for line in run.stderr:
            if "reports: " in line:
                break
        deadline = time.monotonic() + 30
        while not list(project.staging.glob("*/vi/*.ipynb")) and time.monotonic() < deadline:
            time.sleep(0.1)  # a kernel is now running the notebook
        assert list(project.staging.glob("*/vi/*.ipynb"))
        os.killpg(run.pid, 9)  # like the OOM killer or `systemctl kill -s KILL`: every process of the run
    finally:
        run.wait()
    assert project.build_lock_info.exists()
    assert _html_hashes(project) == before
    (project.notebooks / "province-report.ipynb").write_bytes((FIXTURE_NOTEBOOKS / "province-report.ipynb").read_bytes())
    result = egov_build(project, "--no-wait", "--lang", "vi", "--format", "html")
    assert result.exit_code == 0, result.output
    assert f"cleared a stale lock: the build with pid {run.pid}" in result.output
    assert "removing the unfinished output of an interrupted run: reports/_staging/" in result.output
    assert not project.staging.exists()
