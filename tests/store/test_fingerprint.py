"""The run store's source fingerprint covers the code a stored result depends on, and only that code."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest

from experiments.fingerprint import result_sources, source_digest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def copy(tmp_path):
    """A copy of model/ and calibration/ whose files the tests may edit."""
    for package in ("model", "calibration"):
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__", "output"))
    return {"model": tmp_path / "model", "calibration": tmp_path / "calibration"}


def _names(files: list[Path]) -> set[str]:
    return {f"{f.parent.name}/{f.name}" for f in files}


def test_what_computes_a_result_is_covered_and_documentation_tools_are_not():
    names = _names(result_sources())
    assert {"model/run.py", "model/career_model.py", "model/config.py", "model/parameters.py", "calibration/measures.py", "calibration/simulate.py"} <= names
    assert "model/describe.py" not in names  # the parameter tables for the docs
    assert not any(n.startswith(("experiments/", "common/")) for n in names)


def test_editing_the_model_changes_the_fingerprint_and_editing_what_it_never_imports_does_not(copy):
    before = source_digest(copy)
    with (copy["model"] / "describe.py").open("a") as fh:
        fh.write("\n# a changed line in a file no run imports\n")
    assert source_digest(copy) == before
    with (copy["model"] / "contracts.py").open("a") as fh:
        fh.write("\n# a changed line\n")
    assert source_digest(copy) != before


def test_a_module_the_model_starts_to_import_is_covered_even_inside_a_function(copy):
    (copy["model"] / "extra.py").write_text("VALUE = 1\n")
    assert "model/extra.py" not in _names(result_sources(copy))
    with (copy["model"] / "run.py").open("a") as fh:
        fh.write("\n\ndef _uses_extra():\n    from . import extra\n\n    return extra.VALUE\n")
    assert "model/extra.py" in _names(result_sources(copy))


def test_model_imports_nothing_from_the_other_packages():
    for path in sorted((ROOT / "model").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            for m in modules:
                assert m.split(".")[0] not in ("experiments", "calibration", "common"), f"{path.name} imports {m}"
