"""``compare --baseline-results DIR``: a finished baseline run is reused, not re-run, and only when it matches."""

from __future__ import annotations

import json

import pandas as pd
from scenario_helpers import SCENARIOS, SMALL, cli_inprocess

import experiments.runs.replicates as replicates

FLAGS = ["--reps", "2", *SMALL, "--jobs", "1", "--quiet"]


def test_a_matching_baseline_run_is_reused_with_identical_effects(tmp_path, monkeypatch):
    base = SCENARIOS / "baseline.yaml"
    policy = SCENARIOS / "bridge_funding.yaml"
    assert cli_inprocess("run", base, *FLAGS, "--out", tmp_path / "base").returncode == 0
    fresh = cli_inprocess("compare", base, policy, *FLAGS, "--out", tmp_path / "fresh")
    assert fresh.returncode == 0, fresh.stderr

    calls = []
    real = replicates.run_replicate
    monkeypatch.setattr(replicates, "run_replicate", lambda cfg, root, rep: calls.append(cfg.policies) or real(cfg, root, rep))
    reused = cli_inprocess("compare", base, policy, *FLAGS, "--out", tmp_path / "reused", "--baseline-results", tmp_path / "base")
    assert reused.returncode == 0, reused.stderr
    assert len(calls) == 2 and all(p for p in calls)  # only the policy's two replicates ran; the baseline (no policy) did not
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "reused" / "effects.csv"), pd.read_csv(tmp_path / "fresh" / "effects.csv"))
    notes = json.loads((tmp_path / "reused" / "manifest.json").read_text())["notes"]
    assert any("reused" in n for n in notes)


def test_a_baseline_run_with_other_settings_is_refused(tmp_path):
    base = SCENARIOS / "baseline.yaml"
    assert cli_inprocess("run", base, *FLAGS, "--out", tmp_path / "base").returncode == 0
    other = cli_inprocess("compare", base, SCENARIOS / "bridge_funding.yaml", *FLAGS, "--population", "350",
                          "--out", tmp_path / "cmp", "--baseline-results", tmp_path / "base")  # fmt: skip
    assert other.returncode == 2 and "run.population: 300 in the baseline results, 350 here" in other.stderr
    more = cli_inprocess("compare", base, SCENARIOS / "bridge_funding.yaml", *FLAGS, "--reps", "3",
                         "--out", tmp_path / "cmp", "--baseline-results", tmp_path / "base")  # fmt: skip
    assert more.returncode == 2 and "has 2 replicates, the comparison needs 3" in more.stderr
    manifest = tmp_path / "base" / "manifest.json"
    data = json.loads(manifest.read_text())
    manifest.write_text(json.dumps({**data, "model_source": "0000"}))
    stale = cli_inprocess("compare", base, SCENARIOS / "bridge_funding.yaml", *FLAGS, "--out", tmp_path / "cmp",
                          "--baseline-results", tmp_path / "base")  # fmt: skip
    assert stale.returncode == 2 and "another version of the model" in stale.stderr
    assert not (tmp_path / "cmp").exists()  # nothing half-written
