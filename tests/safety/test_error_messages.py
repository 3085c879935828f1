"""Errors name the file, the key and the value the user gave, in one line, never a whole configuration; output
encodes under any locale; a full disk is one line with nothing half-written; Ctrl-C stops loky workers quietly."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys

import pandas as pd
import pytest
from hostile_helpers import command, inputs, refused, tree
from scenario_helpers import ROOT, SCENARIOS, write

EXPERIMENT = "name: tiny\nreplicates: 1\noverrides: {run.population: 40, run.years: 2, run.burn_in_years: 0}\n"


@pytest.mark.parametrize(("value", "fragment"), [
    ("__class__=1", "unknown parameter path '__class__'"),
    ("contracts.renewl_prob=0.5", "unknown parameter path 'contracts.renewl_prob' (did you mean 'contracts.renewal_prob'?)"),
    ("run.population=", "key 'overrides.run.population': Input should be a valid number, got None"),
    ("run.population=.nan", "key 'overrides.run.population': Input should be a finite number, got nan"),
])  # fmt: skip
def test_set_errors_name_the_key_the_user_gave(tmp_path, value, fragment):
    exp = write(tmp_path / "exp.yaml", EXPERIMENT)
    message = refused(["batch", str(exp), "--backend", "sequential", "--quiet", "--out", str(tmp_path / "o"), "--set", value])
    assert fragment in message and "exp.yaml" in message, message
    assert ".bool" not in message and "'run.population' (did you mean 'run.population'" not in message


def test_shock_beyond_a_set_horizon_does_not_print_the_configuration(tmp_path):
    exp = write(tmp_path / "exp.yaml", f"name: s\nscenarios: [{SCENARIOS / 'funding_shock.yaml'}]\nreplicates: 1\n"
                                       "overrides: {run.population: 40, run.burn_in_years: 0}\n")  # fmt: skip
    message = refused(["batch", str(exp), "--backend", "sequential", "--quiet", "--out", str(tmp_path / "o"), "--set", "run.years=2"])
    assert "shocks[0].year = 5" in message and "2-year horizon" in message and "exp.yaml" in message
    assert "{" not in message and len(message) < 400, message


def test_optimise_baseline_that_is_not_a_scenario_names_the_spec_and_key(tmp_path):
    exp = write(tmp_path / "exp.yaml", EXPERIMENT)
    spec = write(tmp_path / "spec.yaml", f"name: t\nbaseline: {exp}\nbudget_per_year: 60000\nobjectives: [researcher_years]\n"
                                         "policies: {caring_support: {}}\ntrials: 4\npopulation_size: 2\nreps: 2\n"
                                         "run: {population: 60, years: 10, burn_in_years: 0}\n")  # fmt: skip
    message = refused(["optimise", str(spec), "--out", str(tmp_path / "o"), "--quiet"])
    assert message.startswith(f"error: {spec}: key 'baseline': '{exp}' is not a usable scenario file"), message


def test_a_name_matplotlib_cannot_render_is_refused_by_validate(tmp_path):
    sc = write(tmp_path / "pay.yaml", "name: pay$^$back\nrun: {population: 50, years: 2, burn_in_years: 0, replicates: 1}\n")
    message = refused(["validate", str(sc)])
    assert "key 'name'" in message and "'pay$^$back'" in message and "'$'" in message
    assert "ParseSyntaxException" not in refused(["run", str(sc), "--out", str(tmp_path / "o"), "--quiet"])


@pytest.mark.parametrize(("block", "key"), [("reps: on", "sensitivity.reps"), ("N: yes", "sensitivity.N"),
                                            ("factors: {contracts.renewal_prob: [off, 0.8]}", "sensitivity.factors")])  # fmt: skip
def test_yaml_booleans_are_not_numbers_in_the_sensitivity_block(tmp_path, block, key):
    sc = write(tmp_path / "s.yaml", f"name: s\nrun: {{population: 50, years: 2, burn_in_years: 0, replicates: 1}}\nsensitivity:\n  {block}\n")
    message = refused(["validate", str(sc)])
    assert f"key '{key}'" in message and "boolean" in message and "s.yaml:4" in message, message


def test_output_is_encoded_under_any_locale(tmp_path):
    env = {**os.environ, "PYTHONIOENCODING": "ascii", "LC_ALL": "C", "PYTHONPATH": str(ROOT)}
    res = subprocess.run([sys.executable, "-m", "experiments.cli", "validate", str(SCENARIOS / "baseline.yaml")],
                         capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)  # fmt: skip
    assert res.returncode == 0 and "Traceback" not in res.stderr, res.stderr
    assert "\\u2014" in res.stdout  # the dash is escaped, not a crash


def test_full_disk_is_one_line_and_nothing_half_written(tmp_path, monkeypatch):
    files = inputs(tmp_path)
    out = tmp_path / "out"
    real = pd.DataFrame.to_csv

    def full(self, path=None, *a, **kw):
        if path is not None and str(path).endswith("retention.csv"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, path, *a, **kw)

    monkeypatch.setattr(pd.DataFrame, "to_csv", full)
    message = refused(command("run", files, out))
    assert "the disk is full" in message and str(out) in message
    left = {p for p in tree(tmp_path) if not p.startswith("inputs")}
    assert not out.exists() and not any(".tmp" in p for p in left), left


def test_loky_workers_ignore_ctrl_c():
    from joblib import Parallel, delayed

    from experiments.engine import loky_workers

    with loky_workers():
        got = Parallel(n_jobs=2)(delayed(signal.getsignal)(signal.SIGINT) for _ in range(2))
    assert all(g == signal.SIG_IGN for g in got), got


def test_ctrl_c_during_run_jobs_2_prints_no_worker_traceback(tmp_path):
    sc = write(tmp_path / "s.yaml", "name: s\nrun: {population: 400, years: 8, burn_in_years: 2, replicates: 6}\n")
    proc = subprocess.Popen([sys.executable, "-m", "experiments.cli", "run", str(sc), "--jobs", "2", "--out", str(tmp_path / "o")],
                            cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)  # fmt: skip
    import time

    deadline = time.monotonic() + 120  # wait until a worker has finished its first task (the case: its memory check)
    while not list((tmp_path / ".o.partial").glob("runs/part-*.parquet")) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C reaches the whole foreground process group
    _, err = proc.communicate(timeout=120)
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err[-3000:]
    assert proc.returncode in (0, 130), err[-1000:]
