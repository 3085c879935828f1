"""How long the app's Run takes at its starting settings: the levers' scenario and the baseline, paired replicates.

    python benchmarks/app_run.py [--population 1000] [--replicates 8]

Prints the wall time of one Run (both versions, every replicate, one process) and per run.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--population", type=int, default=1000)
    ap.add_argument("--replicates", type=int, default=8)
    args = ap.parse_args()
    os.environ["HSR_APP_SCENARIO"] = str(ROOT / "scenarios" / "baseline.yaml")
    from experiments.app.session import AppSettings, run_pair

    settings = AppSettings.of({"population": args.population, "replicates": args.replicates, "seed": 1, "bridge_funding": True})
    started = time.perf_counter()
    run_pair(settings)
    took = time.perf_counter() - started
    runs = 2 * args.replicates
    print(f"app Run: {args.population:,} researchers, {args.replicates} paired replicates ({runs} runs): {took:.1f} s, {took / runs:.2f} s per run")
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
