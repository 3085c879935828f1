"""Paired noise of policy effects: the SD over replicates of (policy − baseline) on the same seed.

With common random numbers a replicate's policy run and baseline run share every random
draw the policy did not change, so their difference carries little noise of its own.
For each policy scenario this prints the paired SD of extra discounted employed
researcher-years (``employed_years_pv``, policy minus baseline per replicate) and the
mean effect with its 95% interval (mean ± t · SD / √n).

    .venv/bin/python benchmarks/crn_variance.py                  # this checkout, 2,000 × 20
    .venv/bin/python benchmarks/crn_variance.py --ref cc773ff    # the same measurement on another revision
    .venv/bin/python benchmarks/crn_variance.py --effect         # bridge funding only, 4,000 × 20

``--ref`` checks the revision out in a temporary ``git worktree``, copies this script
into it and runs it there in a subprocess (same interpreter, same flags), so "before"
is reproducible from the history. Replicate ``r`` of every scenario uses
``SeedSequence(root, spawn_key=(r,))``, as ``compare`` does.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

POLICIES = ("bridge_funding", "stable_contracts", "fair_mentoring")
METRIC = "employed_years_pv"


def _one(config, root: int, rep: int) -> float:
    from model import run_one

    return run_one(config, np.random.SeedSequence(root, spawn_key=(rep,)), rep).metrics()[METRIC]


def _configs(names: tuple[str, ...], population: int, years: int | None):
    from experiments.scenarios.load import load_scenario
    from model.config import with_overrides

    out = {}
    for name in ("baseline", *names):
        cfg = load_scenario(ROOT / "scenarios" / f"{name}.yaml").config
        over = {"run.population": population} | ({"run.years": years} if years else {})
        out[name] = with_overrides(cfg, over)
    return out


def measure(names: tuple[str, ...], population: int, reps: int, root: int, jobs: int, years: int | None) -> dict[str, np.ndarray]:
    """``METRIC`` per scenario and replicate (baseline first), run in ``jobs`` processes."""
    from joblib import Parallel, delayed

    configs = _configs(names, population, years)
    tasks = [(name, r) for name in configs for r in range(reps)]
    values = Parallel(n_jobs=jobs)(delayed(_one)(configs[name], root, r) for name, r in tasks)
    out: dict[str, np.ndarray] = {name: np.zeros(reps) for name in configs}
    for (name, r), v in zip(tasks, values, strict=True):
        out[name][r] = v
    return out


def report(values: dict[str, np.ndarray], names: tuple[str, ...]) -> None:
    """One line per policy: paired SD, mean effect and its 95% interval."""
    from scipy import stats

    base = values["baseline"]
    n = len(base)
    t = stats.t.ppf(0.975, n - 1) if n > 1 else float("nan")
    print(f"{'scenario':<18} {'paired_sd':>10} {'effect':>10} {'95% interval':>22}   ({METRIC}, policy − baseline, {n} paired replicates)")
    for name in names:
        diff = values[name] - base
        sd = float(diff.std(ddof=1)) if n > 1 else float("nan")
        half = t * sd / np.sqrt(n)
        m = float(diff.mean())
        print(f"{name:<18} {sd:>10.2f} {m:>10.2f} {f'[{m - half:.2f}, {m + half:.2f}]':>22}")
    print(f"baseline {METRIC}: mean {base.mean():.1f}, SD {base.std(ddof=1) if n > 1 else float('nan'):.1f}")


def run_at_ref(ref: str, argv: list[str]) -> int:
    """Run this script with ``argv`` on revision ``ref`` in a temporary worktree; return its exit code."""
    tmp = Path(tempfile.mkdtemp(prefix="crn_ref_"))
    tree = tmp / "tree"
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), ref], check=True, capture_output=True)
    try:
        (tree / "benchmarks").mkdir(exist_ok=True)
        shutil.copy2(Path(__file__), tree / "benchmarks" / "crn_variance.py")
        env = dict(os.environ, PYTHONPATH=str(tree))
        print(
            f"revision {ref} ({subprocess.run(['git', '-C', str(tree), 'rev-parse', '--short', 'HEAD'], capture_output=True, text=True).stdout.strip()}):",
            flush=True,
        )
        return subprocess.run([sys.executable, str(tree / "benchmarks" / "crn_variance.py"), *argv], cwd=tree, env=env).returncode
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    """Parse flags, then measure here or at ``--ref``."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ref", help="git revision to measure instead of this checkout (run in a temporary worktree)")
    ap.add_argument("--effect", action="store_true", help="bridge funding's effect only, at 4,000 researchers (unless --population)")
    ap.add_argument("--population", type=int, help="researchers (default 2,000; 4,000 with --effect)")
    ap.add_argument("--reps", type=int, default=20, help="paired replicates (default 20)")
    ap.add_argument("--years", type=int, help="horizon in years (default: the scenario's)")
    ap.add_argument("--root", type=int, default=2026, help="root seed (default 2026)")
    ap.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    args = ap.parse_args()
    if args.reps < 2:
        ap.error(f"--reps: need at least 2 paired replicates for an SD, got {args.reps}")
    if args.ref:
        argv = [a for a in sys.argv[1:]]
        i = argv.index("--ref") if "--ref" in argv else -1
        argv = argv[:i] + argv[i + 2 :] if i >= 0 else [a for a in argv if not a.startswith("--ref=")]
        sys.exit(run_at_ref(args.ref, argv))
    names = ("bridge_funding",) if args.effect else POLICIES
    population = args.population or (4000 if args.effect else 2000)
    t0 = time.perf_counter()
    values = measure(names, population, args.reps, args.root, args.jobs, args.years)
    print(f"population {population}, {args.reps} replicates, root seed {args.root}, {time.perf_counter() - t0:.0f} s")
    report(values, names)


if __name__ == "__main__":
    main()
