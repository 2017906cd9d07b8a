"""Reference tables: CPI, VND/USD, population. Shipped files load; broken copies fail clearly."""

from __future__ import annotations

import math

import pytest

from egov_analysis import config
from egov_analysis.errors import InputError
from egov_analysis.gazetteer import Gazetteer
from egov_analysis.reference import load_cpi, load_vnd_usd, population

from tests.conftest import REFERENCE_FILES


@pytest.fixture
def project(reference_project) -> config.Paths:
    return reference_project


# --- shipped files ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", REFERENCE_FILES)
def test_every_reference_table_has_a_source_sidecar(name):
    sidecar = config.paths().external / f"{name}.source.md"
    assert sidecar.is_file() and sidecar.read_text(encoding="utf-8").strip()


def test_cpi_has_2010_to_2024_with_2010_as_base():
    cpi = load_cpi()
    assert cpi["year"].tolist() == list(range(2010, 2025))
    assert cpi.set_index("year").loc[2010, "cpi_index_2010"] == 100.0
    assert str(cpi["year"].dtype) == "int64" and str(cpi["inflation_pct"].dtype) == "float64"


def test_vnd_usd_is_blank_for_2022_to_2024():
    fx = load_vnd_usd().set_index("year")["vnd_per_usd"]
    assert fx.index.tolist() == list(range(2010, 2025))
    assert fx.loc[[2022, 2023, 2024]].isna().all()
    assert (fx.loc[2010:2021] > 18_000).all()


def test_population_is_indexed_by_canonical_name():
    pop = population()
    assert pop.index.tolist() == Gazetteer.load().names()
    assert pop["Hà Nội"] == 8_717_630
    assert pop.attrs["population_year"] == 2024


def test_population_adds_up_to_the_national_total():
    # GSO E02.01 gives 101,343.75 thousand for the whole country in 2024; provinces add up
    # to it within rounding (10 persons per province).
    assert math.isclose(population().sum(), 101_343_750, abs_tol=63 * 10)


# --- broken copies ---------------------------------------------------------------------------------


@pytest.mark.parametrize("loader, attr", [(load_cpi, "cpi_csv"), (load_vnd_usd, "vnd_usd_csv"), (population, "provinces_csv")])
def test_missing_file_raises_input_error_naming_it(project, loader, attr):
    path = getattr(project, attr)
    path.unlink()
    with pytest.raises(InputError) as exc:
        loader(project)
    assert exc.value.where == str(path)
    assert "not found" in exc.value.message
    assert path.name in exc.value.fix


def test_renamed_column_is_reported_with_the_fix(project):
    text = project.cpi_csv.read_text(encoding="utf-8").replace("inflation_pct", "inflation", 1)
    project.cpi_csv.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_cpi(project)
    assert "inflation_pct" in exc.value.message and "inflation" in exc.value.message
    assert exc.value.where == str(project.cpi_csv)
    assert "cpi_vietnam.csv.source.md" in exc.value.fix


def test_every_bad_value_is_listed_with_its_line(project):
    lines = project.vnd_usd_csv.read_text(encoding="utf-8").splitlines()
    lines[3] = "20x2,20828.00"  # line 4 of the file
    lines[5] = "2014,-3"  # line 6
    project.vnd_usd_csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_vnd_usd(project)
    assert "'20x2' (row 4)" in exc.value.message
    assert "-3.0 (row 6)" in exc.value.message


def test_cpi_index_that_does_not_chain_is_refused(project):
    text = project.cpi_csv.read_text(encoding="utf-8").replace("2015,0.631201,144.5504", "2015,0.631201,150.0000")
    project.cpi_csv.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match="chains"):
        load_cpi(project)


def test_non_utf8_file_is_refused(project):
    project.cpi_csv.write_bytes("year,inflation_pct,cpi_index_2010\n2010,9,100\n".encode("utf-16"))
    with pytest.raises(InputError, match="UTF-8"):
        load_cpi(project)


def test_empty_file_is_refused(project):
    project.vnd_usd_csv.write_text("", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_vnd_usd(project)
    assert exc.value.where == str(project.vnd_usd_csv)
