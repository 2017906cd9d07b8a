"""The comparison step end to end: seed fixture, files written, determinism, atomicity."""

from __future__ import annotations

import shutil
import sys
import types

import pandas as pd
import pytest

import egov_analysis
from egov_analysis import config
from egov_analysis.compare.run import WRITTEN, compare_all, run_compare
from egov_analysis.errors import InputError

from .conftest import FIXTURES, records


@pytest.fixture
def fake_steps(monkeypatch, cpi, vnd_usd, population, units_2025, catalogue):
    """Stand-ins for the reference, gazetteer and catalogue loaders (other steps' code)."""
    fakes = {
        "reference": dict(load_cpi=lambda p: cpi, load_vnd_usd=lambda p: vnd_usd, population=lambda p: population),
        "gazetteer": dict(load_units_2025=lambda p: units_2025),
        "catalogue": dict(load_catalogue=lambda p: catalogue),
    }
    for name, funcs in fakes.items():
        mod = types.ModuleType(f"egov_analysis.{name}")
        mod.__dict__.update(funcs)
        monkeypatch.setitem(sys.modules, f"egov_analysis.{name}", mod)
        monkeypatch.setattr(egov_analysis, name, mod, raising=False)


@pytest.fixture
def root(tmp_path) -> config.Paths:
    p = config.paths(tmp_path)
    p.processed.mkdir(parents=True)
    shutil.copy(FIXTURES / "seed_indicators.csv", p.indicators_csv)
    return p


def test_seed_figures_give_every_table_valid(seed, cpi, vnd_usd, population, units_2025, catalogue):
    out = compare_all(seed, cpi, vnd_usd, population, catalogue=catalogue, units_2025=units_2025)
    assert set(out) == {"savings", "adoption", "figures", "timeseries", "rankings", "checks", "rollup_2025"}
    assert all(len(df) > 0 for df in out.values())


def test_every_output_row_names_its_records_and_assumptions(seed, cpi, vnd_usd, population, units_2025):
    out = compare_all(seed, cpi, vnd_usd, population, units_2025=units_2025)
    known = set(seed["record_id"])
    for name, df in out.items():
        ids = {i for cell in df["record_ids"] for i in cell.split(";")}
        assert ids <= known, name
        if name != "checks":
            assert (df["assumptions"].str.len() > 0).all(), name


def test_run_compare_writes_every_table(root, fake_steps):
    run_compare(root)
    for name in WRITTEN:
        assert (root.comparison_csv(name)).exists(), name


def test_written_csv_reads_back_with_the_same_rows(root, fake_steps):
    tables = run_compare(root)
    back = pd.read_csv(root.comparison_csv("savings"))
    assert list(back.columns) == list(tables["savings"].columns)
    assert back["record_ids"].tolist() == tables["savings"]["record_ids"].tolist()


def test_two_runs_write_identical_bytes(root, fake_steps):
    run_compare(root)
    first = {n: (root.comparison_csv(n)).read_bytes() for n in WRITTEN}
    run_compare(root)
    assert first == {n: (root.comparison_csv(n)).read_bytes() for n in WRITTEN}


def test_a_failed_write_keeps_the_previous_outputs(root, fake_steps, monkeypatch):
    run_compare(root)
    before = {n: (root.comparison_csv(n)).read_bytes() for n in WRITTEN}
    real = pd.DataFrame.to_csv
    calls = {"n": 0}

    def flaky(self, *a, **kw):
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError("disk full")
        return real(self, *a, **kw)

    monkeypatch.setattr(pd.DataFrame, "to_csv", flaky)
    with pytest.raises(OSError):
        run_compare(root, days_per_year=365)
    assert before == {n: (root.comparison_csv(n)).read_bytes() for n in WRITTEN}
    assert not list(root.processed.glob(".*.tmp"))


def test_parquet_is_preferred_to_csv(root, fake_steps, seed):
    seed[seed["record_id"] != "004-03"].to_parquet(root.indicators_parquet)
    tables = run_compare(root, write=False)
    assert "004-03" not in set(tables["savings"]["record_ids"])


def test_missing_indicators_table_is_an_input_error(tmp_path, fake_steps):
    with pytest.raises(InputError, match="extraction"):
        run_compare(config.paths(tmp_path))


def test_rollup_can_be_switched_off(root, fake_steps):
    assert "rollup_2025" not in run_compare(root, rollup=False, write=False)


def test_floats_are_written_with_fixed_formatting(root, fake_steps):
    run_compare(root)
    assert "88.8888888888889" in (root.comparison_csv("adoption")).read_text(encoding="utf-8")  # 16/18
    savings = (root.comparison_csv("savings")).read_text(encoding="utf-8")
    assert ",20000000000," in savings and "e+" not in savings  # 20 tỷ written in full


def test_empty_indicators_give_empty_valid_tables(units_2025):
    out = compare_all(records(), None, None, None, units_2025=units_2025)
    assert all(df.empty for df in out.values())
