"""Hostile flags and settings: designs too large to hold, --jobs beyond the tasks, a port in use, policies
twice, starts and shocks beyond the horizon, duplicated targets, and validate listing every problem."""

from __future__ import annotations

import socket
import time
import tracemalloc

import pytest
from hostile_helpers import inputs, refused
from scenario_helpers import cli_inprocess, write

from common.limits import MEMORY_LIMIT
from experiments.engine import workers


@pytest.mark.parametrize(
    "argv, fragments",
    [
        (["sensitivity", "{sc}", "-N", "1000000000", "--factors", "contracts.renewal_prob", "gaps.reemploy_month"],
         ["-N", "3,000,000,000 design points", "TB of memory", "more than the 2.0 GB"]),
        (["sensitivity", "{sc}", "--method", "sobol", "-N", str(2**30), "--factors", "contracts.renewal_prob", "gaps.reemploy_month"],
         ["-N", "design points", "of memory"]),
        (["calibrate", "--scenario", "{sc}", "--budget", "1000000000"], ["--budget 1,000,000,000", "of memory"]),
    ],
)  # fmt: skip
def test_designs_too_large_are_refused_at_once(tmp_path, argv, fragments):
    sc = inputs(tmp_path)["scenario"]
    out = tmp_path / "out"
    tracemalloc.start()
    t0 = time.perf_counter()
    message = refused([a.format(sc=sc) for a in argv] + ["--out", str(out)])
    seconds = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    for fragment in fragments:
        assert fragment in message, (fragment, message)
    assert seconds < 10 and peak < 200e6, "refused before allocating the design"
    assert not out.exists()


def test_experiment_sample_of_ten_million_points_is_refused(tmp_path):
    exp = write(
        tmp_path / "big.yaml",
        "name: big\noverrides: {run.population: 40, run.years: 2, run.burn_in_years: 0}\n"
        "sample: {n: 10000000, factors: {contracts.renewal_prob: null}}\n",
    )
    tracemalloc.start()
    message = refused(["batch", str(exp), "--out", str(tmp_path / "out")])
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert "big.yaml" in message and "sample.n" in message and "10,000,000 design points" in message and "of memory" in message
    assert peak < 200e6 and MEMORY_LIMIT == 2 * 1024**3
    assert not (tmp_path / "out").exists()


def test_workers_are_capped_at_tasks_and_cores():
    from joblib import cpu_count

    assert workers(999, 2) == 2
    assert workers(999, 1000) == max(2, cpu_count())
    assert workers(-1, 1) == 1 and workers(1, 50) == 1


def test_batch_with_999_jobs_for_2_runs_finishes(tmp_path):
    exp = write(tmp_path / "e.yaml", "name: two\nreplicates: 2\noverrides: {run.population: 40, run.years: 2, run.burn_in_years: 0}\n")
    res = cli_inprocess("batch", exp, "--jobs", "999", "--out", tmp_path / "out", "--quiet")
    assert res.returncode == 0, res.stderr


def test_app_port_in_use_is_refused_before_the_url(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        res = cli_inprocess("app", "--port", str(port))
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert f"--port {port}" in res.stderr and "already in use" in res.stderr
    assert "http://" not in res.stderr + res.stdout, "no URL is printed for a server that cannot start"


SCENARIO_RULES = {  # id: (file text, fragments)
    "policy_twice": (
        "name: t\npolicies:\n  - type: bridge_funding\n    max_months: 3\n  - type: bridge_funding\n    max_months: 6\n",
        ["t.yaml", "'bridge_funding' is listed twice", "policies[0] and policies[1]"],
    ),
    "start_beyond_horizon": (
        "name: t\nrun: {years: 10}\npolicies:\n  - type: bridge_funding\n    start_year: 12\n",
        ["t.yaml", "policies[0].start_year = 12", "10-year horizon", "never act"],
    ),
    "shock_beyond_horizon": (
        "name: t\nrun: {years: 10}\nshocks: [{year: 10, size: 0.2}]\n",
        ["t.yaml", "shocks[0].year = 10", "never happen"],
    ),
}


@pytest.mark.parametrize("case", sorted(SCENARIO_RULES))
def test_policy_rules(tmp_path, case):
    text, fragments = SCENARIO_RULES[case]
    f = write(tmp_path / "t.yaml", text)
    for argv in (["validate", f], ["run", f, "--out", tmp_path / "o"]):
        message = refused([str(a) for a in argv])
        for fragment in fragments:
            assert fragment in message, (fragment, message)
    assert not (tmp_path / "o").exists()


def test_years_flag_that_strands_a_shock_is_refused(tmp_path):
    f = write(tmp_path / "s.yaml", "name: s\nrun: {years: 10, population: 50}\nshocks: [{year: 5, size: 0.2}]\n")
    message = refused(["run", str(f), "--years", "3", "--out", str(tmp_path / "o")])
    assert "s.yaml with --years 3" in message and "shocks[0].year = 5" in message


def test_duplicated_key_in_an_experiment_file(tmp_path):
    exp = write(tmp_path / "e.yaml", "name: e\nreplicates: 1\nreplicates: 2\n")
    message = refused(["batch", str(exp)])
    assert "e.yaml:3" in message and "duplicated key 'replicates'" in message and "first at line 2" in message


def test_duplicated_target_is_refused(tmp_path):
    target = "    value: 0.5\n    n: 100\n    population: p\n    year: 2024\n    source: s\n    measure: share_fixed_term\n"
    f = write(tmp_path / "targets.yaml", f"targets:\n  fixed_term:\n{target}  fixed_term:\n{target}")
    sc = inputs(tmp_path)["scenario"]
    message = refused(["calibrate", "--check", "--targets", str(f), "--scenario", str(sc), "--out", str(tmp_path / "o")])
    assert "targets.yaml:9" in message and "first at line 2" in message and "duplicated key 'targets.fixed_term'" in message


def test_validate_lists_every_problem_of_a_file(tmp_path):
    f = write(
        tmp_path / "multi.yaml",
        "name: multi\ncontracts:\n  renwal_prob: 0.5\n  fixed_term_mean_months: 500\ngaps:\n  reemploy_month: ten\n"
        "run:\n  years: -3\npolicies:\n  - type: bridge_fundin\n  - type: open_ended_contracts\n    after_years: 99\n",
    )
    res = cli_inprocess("validate", f)
    assert res.returncode == 2 and "Traceback" not in res.stderr
    errors = [line for line in res.stderr.splitlines() if line.startswith("error:")]
    expected = ["multi.yaml:3: unknown key 'contracts.renwal_prob'", "multi.yaml:4: key 'contracts.fixed_term_mean_months'",
                "multi.yaml:6: key 'gaps.reemploy_month'", "multi.yaml:8: key 'run.years'", "multi.yaml:10: unknown policy type 'bridge_fundin'",
                "multi.yaml:12: key 'policies[1].after_years'"]  # fmt: skip
    assert len(errors) == len(expected), errors
    for fragment in expected:
        assert any(fragment in e for e in errors), (fragment, errors)


def test_validate_warns_on_values_outside_the_plausible_range(tmp_path):
    f = write(tmp_path / "odd.yaml", "name: odd\ncontracts:\n  renewal_prob: 0.98\n")
    res = cli_inprocess("validate", f)
    assert res.returncode == 0, res.stderr
    assert "warning: " in res.stderr and "odd.yaml:3" in res.stderr and "contracts.renewal_prob" in res.stderr
    assert "0.55 to 0.85" in res.stderr and "ok:" in res.stdout and "1 warning" in res.stdout
    plain = write(tmp_path / "fine.yaml", "name: fine\ncontracts:\n  renewal_prob: 0.7\n")
    res = cli_inprocess("validate", plain)
    assert res.returncode == 0 and "warning" not in res.stderr
