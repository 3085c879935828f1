"""Property tests for the readers of results files (hypothesis): any truncation, random bytes or one changed byte of
a file the tool reads back is either read (unchanged) or refused with an InputError; never another exception."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scenario_helpers import SCENARIOS, cli_inprocess

from experiments.errors import InputError

BASE, BRIDGE = SCENARIOS / "baseline.yaml", SCENARIOS / "bridge_funding.yaml"
SETTINGS = settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _mutate(data, original: bytes) -> bytes:
    how = data.draw(st.sampled_from(["truncate", "bytes", "flip"]))
    if how == "truncate":
        return original[: data.draw(st.integers(0, max(len(original) - 1, 0)))]
    if how == "bytes":
        return data.draw(st.binary(max_size=300))
    i = data.draw(st.integers(0, len(original) - 1))
    return original[:i] + bytes([original[i] ^ data.draw(st.integers(1, 255))]) + original[i + 1 :]


def _copy(src, tmp_factory, legacy):
    out = shutil.copytree(src, tmp_factory.mktemp("p") / src.name)
    if legacy:
        manifest = json.loads((out / "manifest.json").read_text())
        manifest["output"].pop("checksums", None)
        (out / "manifest.json").write_text(json.dumps(manifest))
    return out


@pytest.mark.parametrize("name", ["manifest.json", "sets.csv", "runs.csv"])
@pytest.mark.parametrize("legacy", [False, True])
@SETTINGS
@given(data=st.data())
def test_discover_reads_or_refuses_any_ensemble_file(ensemble, tmp_path_factory, name, legacy, data):
    out = _copy(ensemble, tmp_path_factory, legacy)
    original = (out / name).read_bytes()
    new = _mutate(data, original)
    (out / name).write_bytes(new)
    res = cli_inprocess("discover", out, "--goal", "effect_policy_cost < 70000")
    assert "Traceback" not in res.stderr
    assert res.returncode in (0, 2) and (res.returncode == 0 or len(res.stderr.strip().splitlines()) == 1), res.stderr
    if new == original:
        assert res.returncode == 0, res.stderr
    elif not legacy and name != "manifest.json":
        assert res.returncode == 2 and name in res.stderr


@pytest.fixture(scope="module")
def baseline_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("base") / "base"
    res = cli_inprocess("run", BASE, "--reps", "2", "--population", "60", "--years", "3", "--jobs", "1", "--quiet", "--out", out)
    assert res.returncode == 0, res.stderr
    return out


@pytest.mark.parametrize("name", ["manifest.json", "summary.json", "careers.parquet", "yearly.parquet"])
@pytest.mark.parametrize("legacy", [False, True])
@SETTINGS
@given(data=st.data())
def test_baseline_results_reads_or_refuses_any_file(baseline_run, tmp_path_factory, name, legacy, data):
    from experiments.runs.replicates import resolve
    from experiments.runs.reuse import load_baseline_results

    out = _copy(baseline_run, tmp_path_factory, legacy)
    original = (out / name).read_bytes()
    new = _mutate(data, original)
    (out / name).write_bytes(new)
    _, config = resolve(BASE, years=3, population=60, replicates=2)
    try:
        reps = load_baseline_results(out, config)
        for r in reps:  # the tables are read when the comparison uses them
            for table in ("yearly", "careers"):
                assert isinstance(r["tables"].get(table), pd.DataFrame)
    except InputError as exc:
        assert "\n" not in str(exc)
        assert new != original
    else:
        assert new == original or legacy or name == "manifest.json"


@SETTINGS
@given(data=st.data())
def test_optimise_journal_is_repaired_or_refused(tmp_path_factory, data):
    from experiments.engine import execute  # noqa: F401 - the engine imports what the study needs
    from experiments.optimise.study import Evaluation, Variable, open_study, run_study

    db = tmp_path_factory.mktemp("j") / "study.log"
    space = [Variable("x", "float", 0.0, 1.0)]
    study = open_study(db, "toy", ["minimize"], population_size=2, seed=1)
    run_study(study, space, lambda b: [Evaluation([p["x"]], {}, {}) for p in b], n_trials=4, batch=2)
    db.write_bytes(_mutate(data, db.read_bytes()))
    try:
        again = open_study(db, "toy", ["minimize"], population_size=2, seed=1)
        run_study(again, space, lambda b: [Evaluation([p["x"]], {}, {}) for p in b], n_trials=6, batch=2)
    except InputError as exc:
        assert "study.log" in str(exc) and "\n" not in str(exc)
