"""Fixtures shared by the safety tests."""

import pytest
from scenario_helpers import SCENARIOS, cli_inprocess


@pytest.fixture(scope="module")
def ensemble(tmp_path_factory):
    """A tiny finished ``compare --ensemble`` folder (10 sets × 2 replicates, 40 researchers), made once per test module."""
    out = tmp_path_factory.mktemp("ens") / "ens"
    res = cli_inprocess("compare", SCENARIOS / "baseline.yaml", SCENARIOS / "bridge_funding.yaml", "--ensemble", "10", "--reps", "2",
                        "--population", "40", "--years", "3", "--quiet", "--out", out)  # fmt: skip
    assert res.returncode == 0, res.stderr
    return out
