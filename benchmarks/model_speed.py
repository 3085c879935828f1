"""Cost of one simulated researcher-year of the baseline against Mesa's dispatch floor.

The floor is the cost of ``agents.shuffle_do`` on agents whose ``step`` does nothing,
called once per simulated year for the same population, in the same process. The
model's cost includes everything: events at month resolution, yearly reviews, the
network, mentoring, entry and data collection.

    .venv/bin/python benchmarks/model_speed.py            # full table (about 2 minutes)
    .venv/bin/python benchmarks/model_speed.py --quick    # 1,000 and 4,000 only

Ends with: researcher_year_us=<x> floor_us=<y> ratio=<x/y> (at the default population).
"""

from __future__ import annotations

import argparse
import time

import mesa

from model import ModelConfig, run_one
from model.career_model import CareerModel
from model.config import with_overrides


class _Idle(mesa.Agent):
    def step(self) -> None:
        pass


class _Floor(mesa.Model):
    def __init__(self, n: int) -> None:
        super().__init__(rng=0)
        for _ in range(n):
            _Idle(self)


def floor_us(n: int, years: int, repeats: int = 5) -> float:
    """Microseconds per agent per call of shuffle_do on idle agents (best of ``repeats``)."""
    m = _Floor(n)
    best = float("inf")
    for _ in range(repeats):
        t = time.perf_counter()
        for _ in range(years):
            m.agents.shuffle_do("step")
        best = min(best, (time.perf_counter() - t) / (n * years) * 1e6)
    return best


def model_us(population: int, years: int, burn_in: int, seed: int = 1, repeats: int = 3) -> tuple[float, float, int]:
    """Microseconds per researcher-year, wall seconds and researcher-years (best of ``repeats`` identical runs).

    The best of identical runs estimates the cost without interference from other
    processes; the floor is measured the same way, so the ratio compares like with like.
    """
    cfg = with_overrides(ModelConfig(), {"run.population": population, "run.years": years, "run.burn_in_years": burn_in})
    wall = float("inf")
    for _ in range(repeats):
        t = time.perf_counter()
        model = CareerModel(cfg, seed).run()
        wall = min(wall, time.perf_counter() - t)
    return wall / model.researcher_years * 1e6, wall, model.researcher_years


def main() -> None:
    """Print the scaling table, one replicate's wall time and the summary line."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="only 1,000 and 4,000 researchers")
    args = ap.parse_args()
    default = ModelConfig().run
    sizes = [1000, default.population] if args.quick else [1000, 2000, default.population, 8000, 16000]
    print(f"{'population':>10} {'researcher-years':>16} {'wall_s':>7} {'us/researcher-year':>19} {'floor_us':>9} {'ratio':>6}")
    rows = {}
    for n in sizes:
        us, wall, ry = model_us(n, years=20, burn_in=5)
        fl = floor_us(n, 20)
        rows[n] = (us, fl)
        print(f"{n:>10} {ry:>16} {wall:>7.2f} {us:>19.2f} {fl:>9.2f} {us / fl:>6.1f}")
    costs = [us for us, _ in rows.values()]
    mid = costs[len(costs) // 2]
    print(f"cost flatness: min/median={min(costs) / mid:.2f} max/median={max(costs) / mid:.2f} (goal within 0.70..1.30)")
    t = time.perf_counter()
    run_one(ModelConfig(), 1)
    print(
        f"one default replicate (population {default.population}, {default.burn_in_years} burn-in + {default.years} years, tables built): {time.perf_counter() - t:.2f} s"
    )
    us, fl = rows[default.population]
    print(f"researcher_year_us={us:.2f} floor_us={fl:.2f} ratio={us / fl:.2f}")


if __name__ == "__main__":
    main()
