"""Where one default replicate spends its time: ``run_one(ModelConfig(), seed).metrics()`` under cProfile.

    .venv/bin/python benchmarks/profile_replicate.py            # top 40 functions by cumulative share
    .venv/bin/python benchmarks/profile_replicate.py --top 60 --seed 3

Shares are of the whole replicate (model run, tables and headline metrics); the load
average is printed first because the figures only mean something on an idle machine.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from model import ModelConfig, run_one  # noqa: E402

ROOT = str(Path(__file__).resolve().parents[1]) + os.sep


def _name(key: tuple[str, int, str]) -> str:
    file, line, func = key
    file = file.split("site-packages" + os.sep)[-1].replace(ROOT, "")
    return f"{file}:{line}({func})"


def main() -> None:
    """Profile one replicate and print the top functions by cumulative share."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--top", type=int, default=40)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    cfg = ModelConfig()
    run_one(cfg, args.seed).metrics()  # warm imports and caches
    t = time.perf_counter()
    run_one(cfg, args.seed).metrics()
    wall = time.perf_counter() - t
    prof = cProfile.Profile()
    prof.enable()
    run_one(cfg, args.seed).metrics()
    prof.disable()
    stats = pstats.Stats(prof).stats  # type: ignore[attr-defined]
    total = sum(tt for (_, _, tt, _, _) in stats.values())
    rows = sorted(((ct, tt, nc, _name(k)) for k, (_, nc, tt, ct, _) in stats.items()), reverse=True)
    print(
        f"load average {os.getloadavg()[0]:.2f}; one default replicate (population {cfg.run.population}, "
        f"{cfg.run.burn_in_years}+{cfg.run.years} years, tables and metrics): {wall:.2f} s unprofiled, {total:.2f} s profiled"
    )
    print(f"{'cum%':>6} {'self%':>6} {'calls':>8}  function")
    for ct, tt, nc, name in rows[: args.top]:
        print(f"{100 * ct / total:6.1f} {100 * tt / total:6.1f} {nc:>8}  {name}")


if __name__ == "__main__":
    main()
