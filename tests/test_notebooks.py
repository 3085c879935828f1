"""Execute every analyst notebook in experiments/notebooks/ so a broken public API breaks the build.

Each notebook runs top to bottom in a fresh kernel from its own folder (as a user opening
it in Jupyter would) at its default settings; a cell error fails the test with the
notebook's traceback. The test also checks what a reader relies on: a first markdown
cell stating the question, and figures actually drawn.
"""

from __future__ import annotations

import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "experiments" / "notebooks").glob("*.ipynb"))
MIN_FIGURES = {"retention_curves.ipynb": 4, "policy_comparison.ipynb": 3, "sensitivity.ipynb": 2, "decisions.ipynb": 4}


def test_every_expected_notebook_is_there():
    assert {p.name for p in NOTEBOOKS} >= set(MIN_FIGURES)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_and_draws(path: Path):
    nb = nbformat.read(path, as_version=4)
    first = nb.cells[0]
    assert first.cell_type == "markdown" and first.source.startswith("# ")
    assert "**Question.**" in first.source, "the first cell says what question the notebook answers"

    started = time.monotonic()
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    elapsed = time.monotonic() - started

    images = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    assert len(images) >= MIN_FIGURES.get(path.name, 1), f"{path.name} drew {len(images)} figures"
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    print(f"{path.name}: {elapsed:.1f} s")
