"""The examples in the package's docstrings hold (they are documentation readers copy)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import egov_analysis

MODULES = sorted(m.name for m in pkgutil.walk_packages(egov_analysis.__path__, "egov_analysis."))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), report=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {name} fail (python -m doctest -v)"
