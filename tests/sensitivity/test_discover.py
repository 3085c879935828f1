"""``hsr-careers discover``: PRIM (ema-workbench) recovers a planted failure box; CART agrees; bad goals exit 2."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scenario_helpers import cli_inprocess

from experiments.sensitivity.discover import DiscoveryData, Goal, cart_agreement, discover, parse_goal


def _toy(n: int = 600, seed: int = 3) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Four uniform inputs; the 'policy' fails (effect near 0) exactly when a > 0.6 and b < 0.3, else works (0.05)."""
    rng = np.random.default_rng(seed)
    x = pd.DataFrame(rng.random((n, 4)), columns=["a", "b", "c", "d"])
    fail = (x["a"] > 0.6) & (x["b"] < 0.3)
    y = pd.DataFrame({"effect_retention_10y": np.where(fail, 0.0, 0.05) + 0.005 * rng.standard_normal(n)})
    return x, y


def test_prim_recovers_the_planted_failure_box_and_cart_agrees():
    x, y = _toy()
    d = discover(DiscoveryData(x, y, "toy"), Goal("effect_retention_10y", "<", 0.02))
    box = d.boxes.iloc[0]
    assert set(box["restricted"].split("; ")) == {"a", "b"}
    # Points are 600 uniform draws: the nearest sample to a cut is ~1/(600*0.3) ~ 0.006 away; PRIM peels in 5% quantile
    # steps, so a limit within 0.05 of the planted cut is recovered, not luck.
    lim = d.limits[d.limits["box"] == 1].set_index("dimension")
    assert lim.loc["a", "low"] == pytest.approx(0.6, abs=0.05)
    assert lim.loc["b", "high"] == pytest.approx(0.3, abs=0.05)
    assert box["coverage"] > 0.9 and box["density"] > 0.9
    assert "when a is above 0.5" in d.sentences[0] and " and b is below 0.3" in d.sentences[0]
    agree = cart_agreement(d)
    assert agree["agrees"] and set(agree["shared_dimensions"]) == {"a", "b"}


def test_goal_parsing_errors_name_the_problem():
    outs = ["effect_retention_10y", "retention_10y"]
    assert parse_goal("effect_retention_10y<=0.02", outs) == Goal("effect_retention_10y", "<=", 0.02)
    with pytest.raises(Exception, match="did you mean 'effect_retention_10y'"):
        parse_goal("effect_retention_10 < 0.02", outs)
    with pytest.raises(Exception, match="OP one of"):
        parse_goal("effect_retention_10y == 0.02", outs)
    with pytest.raises(Exception, match="not a number"):
        parse_goal("effect_retention_10y < two", outs)


def _design(tmp_path):
    x, y = _toy(200)
    folder = tmp_path / "sa"
    folder.mkdir()
    pd.concat([x, y.add_prefix("mean_")], axis=1).to_csv(folder / "design.csv", index_label="point")
    return folder


def test_discover_command_on_a_sensitivity_design(tmp_path):
    folder = _design(tmp_path)
    res = cli_inprocess("discover", folder, "--goal", "effect_retention_10y < 0.02", "--out", tmp_path / "disc")
    assert res.returncode == 0, res.stderr
    boxes = pd.read_csv(tmp_path / "disc" / "boxes.csv")
    assert set(boxes.loc[0, "restricted"].split("; ")) == {"a", "b"}
    assert (tmp_path / "disc" / "figures" / "discovery.png").stat().st_size > 10_000
    assert "Box 1" in res.stdout


@pytest.mark.parametrize(
    ("goal", "message"),
    [
        ("effect_retention < 0.02", "unknown output 'effect_retention'"),
        ("effect_retention_10y < 5", "holds at 200 of 200 points"),
        ("effect_retention_10y ~ 1", "OP one of"),
    ],
)
def test_bad_goal_exits_2_and_writes_nothing(tmp_path, goal, message):
    folder = _design(tmp_path)
    res = cli_inprocess("discover", folder, "--goal", goal, "--out", tmp_path / "disc")
    assert res.returncode == 2 and message in res.stderr and "Traceback" not in res.stderr
    assert not (tmp_path / "disc").exists()


def test_discover_refuses_a_folder_without_results(tmp_path):
    res = cli_inprocess("discover", tmp_path, "--goal", "x < 1")
    assert res.returncode == 2 and "neither an ensemble" in res.stderr
