"""optimise resumes exactly (same trials, same Pareto set after a kill as without one); a torn journal line or a stale
journal lock left by a kill does not block the rerun; --trials is bounded like a spec's 'trials'."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest
from hostile_helpers import refused
from scenario_helpers import ROOT, SCENARIOS, cli_inprocess, write

import experiments.optimise.mix as mix
from experiments.engine import execute
from experiments.optimise.study import Evaluation, Variable, open_study, pareto_trials, run_study

SPACE = [Variable("x", "float", 0.0, 1.0), Variable("y", "float", 0.0, 1.0), Variable("n", "int", 0, 5), Variable("on", "switch")]


def _toy(p: dict) -> tuple[float, float, float]:
    return p["x"] + 0.1 * p["n"], (1 + 9 * p["y"]) * (1 - p["x"] ** 0.5), 0.0 if p["on"] else 1.0


def _evaluate(batch: list[dict]) -> list[Evaluation]:
    out = [None] * len(batch)
    for i, (f1, f2, c) in execute(_toy, [(p,) for p in batch], backend="sequential"):
        out[i] = Evaluation([f1, f2], {"on": c}, {})
    return out


def _summary(study):
    trials = [(t.number, t.state.name, t.params, t.values) for t in study.trials]
    return trials, [t.number for t in pareto_trials(study)]


def _study(db):
    return open_study(db, "toy", ["minimize", "minimize"], population_size=6, seed=4)


class Killed(BaseException):
    pass


@pytest.mark.parametrize("where", ["evaluate", "ask", "tell"])
def test_a_killed_study_resumes_to_the_same_trials_and_pareto_set(tmp_path, where, monkeypatch):
    whole = _study(tmp_path / "whole.log")
    run_study(whole, SPACE, _evaluate, n_trials=30, batch=6)
    expected = _summary(whole)

    db = tmp_path / "killed.log"
    study = _study(db)
    calls = {"n": 0}

    def count(limit):
        calls["n"] += 1
        if calls["n"] == limit:
            raise Killed

    if where == "evaluate":  # killed while the third batch runs
        run = lambda b: count(3) or _evaluate(b)  # noqa: E731
        evaluate = run
    else:
        evaluate = _evaluate
        name = "ask" if where == "ask" else "tell"
        real = getattr(type(study), name)
        limit = 16 if where == "ask" else 15  # mid-batch: the 16th ask, the 15th tell

        def dying(self, *a, **kw):
            count(limit)
            return real(self, *a, **kw)

        monkeypatch.setattr(type(study), name, dying)
    with pytest.raises(Killed):
        run_study(study, SPACE, evaluate, n_trials=30, batch=6)
    monkeypatch.undo()
    resumed = _study(db)
    run_study(resumed, SPACE, _evaluate, n_trials=30, batch=6)
    assert _summary(resumed) == expected


def test_torn_journal_line_and_stale_lock_do_not_block_a_rerun(tmp_path):
    db = tmp_path / "study.log"
    study = _study(db)
    run_study(study, SPACE, _evaluate, n_trials=12, batch=6)
    expected = _summary(study)
    data = db.read_bytes()
    db.write_bytes(data + b'{"op_code": 5, "worker_id": "x", "trial_id": 3, "sta')  # killed while appending
    (tmp_path / "study.log.lock").symlink_to(tmp_path / "gone")  # Optuna's lock, left by the kill
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); from pathlib import Path; "
        "from experiments.optimise.study import open_study; "
        "s = open_study(Path(sys.argv[2]), 'toy', ['minimize', 'minimize'], population_size=6, seed=4); "
        "print(len([t for t in s.trials if t.state.name == 'COMPLETE']))"
    )
    res = subprocess.run([sys.executable, "-c", code, str(ROOT), str(db)], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "12" and "torn last line" in res.stderr and "stale lock" in res.stderr
    after = db.read_bytes()
    assert after.startswith(data) and after[len(data) : len(data) + 1] in (b"", b"{")  # the torn bytes are gone
    again = _study(db)
    run_study(again, SPACE, _evaluate, n_trials=18, batch=6)
    whole = _study(tmp_path / "whole.log")
    run_study(whole, SPACE, _evaluate, n_trials=18, batch=6)
    assert _summary(again)[0][:12] == expected[0] and _summary(again) == _summary(whole)


def test_a_damaged_line_inside_the_journal_is_refused(tmp_path):
    db = tmp_path / "study.log"
    run_study(_study(db), SPACE, _evaluate, n_trials=6, batch=6)
    lines = db.read_bytes().split(b"\n")
    lines[2] = b"garbage"
    db.write_bytes(b"\n".join(lines))
    from experiments.errors import InputError

    with pytest.raises(InputError, match="line 3 is damaged"):
        _study(db)


SPEC = f"""name: tiny
baseline: {SCENARIOS / "baseline.yaml"}
budget_per_year: 60000
objectives: [researcher_years, equity_gap_carer_10y]
policies:
  bridge_funding: {{max_months: null, yearly_budget: [10000, 200000]}}
  caring_support: {{}}
trials: 6
population_size: 2
reps: 2
seed: 3
run: {{population: 60, years: 10, burn_in_years: 0}}
"""


def test_optimise_command_resumes_exactly(tmp_path, monkeypatch):
    spec = write(tmp_path / "spec.yaml", SPEC)
    flags = ["--quiet", "--backend", "sequential", "--no-reevaluate"]
    assert cli_inprocess("optimise", spec, "--out", tmp_path / "whole", *flags).returncode == 0
    real = mix.MixEvaluator.__call__
    calls = {"n": 0}

    def dies(self, params):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt  # Ctrl-C while the second batch runs
        return real(self, params)

    monkeypatch.setattr(mix.MixEvaluator, "__call__", dies)
    assert cli_inprocess("optimise", spec, "--out", tmp_path / "killed", *flags).returncode == 130
    monkeypatch.undo()
    res = cli_inprocess("optimise", spec, "--out", tmp_path / "killed", *flags)
    assert res.returncode == 0, res.stderr
    for name in ("trials.csv", "pareto.csv"):
        pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "killed" / name), pd.read_csv(tmp_path / "whole" / name))


def test_trials_flag_is_bounded_like_the_spec(tmp_path):
    spec = write(tmp_path / "spec.yaml", SPEC)
    message = refused(["optimise", str(spec), "--trials", "1000000000", "--out", str(tmp_path / "o")])
    assert "--trials" in message and "100,000" in message and "1,000,000,000" in message
    assert not (tmp_path / "o").exists()
