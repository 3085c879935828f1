"""Do the headline metrics have the same distribution as at an earlier revision?

A faster algorithm that draws its random numbers in another order (say, ties formed a
year at a time) cannot give the same runs, but it must give the same distribution of
results. This runs the same seeds through an earlier revision (checked out into a
temporary git worktree) and the working tree, and prints each headline metric's two
means, and those of the network at the horizon (degree, homophily, insider ties, tacit
access, mentoring), with the z-score of their difference (Welch; the runs are
independent because the random streams differ).

    .venv/bin/python benchmarks/distribution_check.py --against b7fa3c6
    .venv/bin/python benchmarks/distribution_check.py --against HEAD~3 --seeds 40 --population 2000

Ends with ``flagged=<k> of <m> metrics with |z| > 3 (about <e> expected by chance)``.
With 50-odd metrics about 0.15 are expected above 3 by chance alone, so a flag is worth
a second look with another ``--root`` before believing it.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from scipy.stats import norm

ROOT = Path(__file__).resolve().parents[1]

_WORKER = """
import json, sys
src, seeds, root, population, years, burn_in = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
sys.path.insert(0, src)
import numpy as np
import model
assert model.__file__.startswith(src), model.__file__
from model import ModelConfig, run_one
from model.config import with_overrides
cfg = with_overrides(ModelConfig(), {"run.population": population, "run.years": years, "run.burn_in_years": burn_in})
from model.career_model import CareerModel


def network_stats(model):
    # The network and mentoring at the horizon: what a change in how ties form would move.
    pop, (a, b) = model.pop, model.network.edges()
    alive = pop.alive_idx()
    deg = np.bincount(a, minlength=pop.n) + np.bincount(b, minlength=pop.n)
    uni = pop.sector[alive] == 0
    return {
        "net_mean_degree": float(deg[alive].mean()),
        "net_same_sector_ties": float((pop.sector[a] == pop.sector[b]).mean()),
        "net_same_class_ties": float((pop.working_class[a] == pop.working_class[b]).mean()),
        "net_insider_ties_university": float(pop.insider_ties[alive[uni]].mean()),
        "net_insider_ties_other_sectors": float(pop.insider_ties[alive[~uni]].mean()),
        "net_mean_tacit": float(pop.tacit[alive].mean()),
        "net_share_mentored": float((pop.mentor[alive] >= 0).mean()),
    }


rows = []
for i in range(seeds):
    seed = np.random.SeedSequence(root, spawn_key=(i,))
    rows.append({**run_one(cfg, seed).metrics(), **network_stats(CareerModel(cfg, seed).run())})
print(json.dumps({k: [r[k] for r in rows] for k in rows[0]}))
"""


def _metrics(src: Path, args: argparse.Namespace) -> dict[str, list[float]]:
    cmd = [
        sys.executable,
        "-c",
        _WORKER,
        str(src),
        str(args.seeds),
        str(args.root),
        str(args.population),
        str(args.years),
        str(args.burn_in),
    ]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=src).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    """Run both revisions on the same seeds and print the comparison table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--against", required=True, help="git revision to compare the working tree with")
    ap.add_argument("--seeds", type=int, default=30)
    ap.add_argument("--root", type=int, default=900, help="root of the seeds (runs use SeedSequence(root, spawn_key=(i,)))")
    ap.add_argument("--population", type=int, default=2000)
    ap.add_argument("--years", type=int, default=15)
    ap.add_argument("--burn-in", type=int, default=10)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        old_src = Path(tmp) / "old"
        subprocess.run(["git", "worktree", "add", "--detach", "-q", str(old_src), args.against], check=True, cwd=ROOT)
        try:
            old = _metrics(old_src.resolve(), args)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(old_src)], check=True, cwd=ROOT)
    new = _metrics(ROOT, args)
    print(
        f"{args.seeds} seeds per side, population {args.population}, {args.burn_in} + {args.years} years; {args.against} against the working tree"
    )
    print(f"{'metric':40s} {'before':>11} {'after':>11} {'z':>6}")
    flagged, compared = 0, 0
    for key in old:
        if key not in new:
            print(f"{key:40s} {'':>11} {'(gone)':>11}")
            continue
        a, b = np.asarray(old[key], dtype=float), np.asarray(new[key], dtype=float)
        se = np.sqrt(np.nanvar(a, ddof=1) / len(a) + np.nanvar(b, ddof=1) / len(b))
        if not np.isfinite(se) or se == 0:
            continue
        z = (np.nanmean(b) - np.nanmean(a)) / se
        compared += 1
        flagged += abs(z) > 3
        print(f"{key:40s} {np.nanmean(a):11.4g} {np.nanmean(b):11.4g} {z:6.2f}{'  <<' if abs(z) > 3 else ''}")
    expected = compared * 2 * norm.sf(3)
    print(f"flagged={flagged} of {compared} metrics with |z| > 3 (about {expected:.2f} expected by chance)")


if __name__ == "__main__":
    main()
