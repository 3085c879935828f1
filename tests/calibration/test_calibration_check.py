"""``hsr-careers calibrate --check`` on the shipped baseline, and a check that must fail."""

from __future__ import annotations

import pandas as pd
import yaml

from calibration.targets import DEFAULT_TARGETS
from experiments.cli import main

# Reduced check: 4 replicates of 1,500 researchers over 15 + 20 years (the senior gender mix needs decades)
# instead of 10 of the full baseline. Survey proportions then have a replicate-mean SE of about
# 0.025, well inside the ±0.08-0.09 observed intervals, and the seeds are fixed, so the result is
# deterministic for a given model.
SMALL = ["--reps", "4", "--population", "1500", "--years", "20", "--jobs", "1"]


def test_check_passes_on_shipped_baseline(tmp_path, capsys):
    code = main(["calibrate", "--check", *SMALL, "--out", str(tmp_path)])
    out = capsys.readouterr().out
    table = pd.read_csv(tmp_path / "fit_table.csv")
    assert list(table.columns[:7]) == ["target", "observed", "obs_ci_low", "obs_ci_high", "simulated_mean", "simulated_sd", "accepted"]
    fitted = table[table["role"] == "fit"]
    assert fitted["accepted"].all(), table[["target", "observed", "accept_low", "accept_high", "simulated_mean", "implausibility"]]
    # one rule: accepted exactly when the implausibility is at most the calibration's cut-off
    assert (table["accepted"] == (table["implausibility"] <= 3.0)).all()
    assert code == 0 and "PASS" in out
    assert (tmp_path / "figures" / "fit.png").stat().st_size > 1000


def test_check_fails_when_a_target_is_out_of_reach(tmp_path, capsys):
    data = yaml.safe_load(DEFAULT_TARGETS.read_text())
    data["targets"]["disabled"]["value"] = 0.5  # no plausible model gives half the staff disabled
    bad = tmp_path / "targets.yaml"
    bad.write_text(yaml.safe_dump(data))
    code = main(
        [
            "calibrate",
            "--check",
            *SMALL[:2],
            "--population",
            "600",
            "--years",
            "3",
            "--jobs",
            "1",
            "--targets",
            str(bad),
            "--out",
            str(tmp_path / "o"),
        ]
    )
    out = capsys.readouterr().out
    assert code == 1 and "FAIL" in out and "disabled" in out
    table = pd.read_csv(tmp_path / "o" / "fit_table.csv").set_index("target")
    assert not table.loc["disabled", "accepted"]
