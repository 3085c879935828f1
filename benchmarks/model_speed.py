"""Cost of one simulated researcher-year against Mesa's dispatch floor and a numpy floor.

- Mesa floor: ``agents.shuffle_do`` on agents whose ``step`` does nothing, called once
  per simulated year for the same population, in the same process.
- numpy floor: the model's own array work (the same monthly and yearly functions on
  the same columns, same seeds, same results) driven by a plain loop, with no Mesa
  agents and no Mesa event loop. The model's cost includes everything: Mesa agents,
  events at month resolution, yearly reviews, the network, mentoring, entry and the
  yearly aggregates.
- Scaling from 1,000 to 64,000 researchers (cost per researcher-year should be flat),
  and a 1,000-researcher run straight after the largest run (a finished run must not
  slow down the next one).

    .venv/bin/python benchmarks/model_speed.py            # full table (a few minutes)
    .venv/bin/python benchmarks/model_speed.py --quick    # 1,000 and 4,000 only

Ends with: researcher_year_us=<x> floor_us=<y> ratio=<x/y> (at the default population).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import mesa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from model import ModelConfig, career_model, run_one  # noqa: E402
from model.career_model import CareerModel  # noqa: E402
from model.config import with_overrides  # noqa: E402


class _Idle(mesa.Agent):
    def step(self) -> None:
        pass


class _Floor(mesa.Model):
    def __init__(self, n: int) -> None:
        super().__init__(rng=0)
        _Idle.create_agents(self, n)


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


def _config(population: int, years: int, burn_in: int) -> ModelConfig:
    return with_overrides(ModelConfig(), {"run.population": population, "run.years": years, "run.burn_in_years": burn_in})


def _plain_run(cfg: ModelConfig, seed: int) -> CareerModel:
    """The model's array work without Mesa: no agents, and a plain loop instead of Mesa's event list."""
    saved = career_model.add_agents, career_model.remove_agents
    career_model.add_agents = career_model.remove_agents = lambda model, ids: None
    try:
        m = CareerModel(cfg, seed)
        for year in range(int(m.end_time)):
            for month in range(12):
                m.time = year + (month + 0.5) / 12.0
                m._month_event()
            m.time = float(year + 1)
            CareerModel.step(m)  # the model's own step (Mesa wraps ``m.step`` in its event loop)
    finally:
        career_model.add_agents, career_model.remove_agents = saved
    return m


def model_us(population: int, years: int, burn_in: int, seed: int = 1, repeats: int = 3, plain: bool = False) -> tuple[float, float, int]:
    """Microseconds per researcher-year, wall seconds and researcher-years (best of ``repeats`` identical runs).

    The best of identical runs estimates the cost without interference from other
    processes; the floors are measured the same way, so the ratios compare like with like.
    """
    cfg = _config(population, years, burn_in)
    wall = float("inf")
    for _ in range(repeats):
        t = time.perf_counter()
        model = _plain_run(cfg, seed) if plain else CareerModel(cfg, seed).run()
        wall = min(wall, time.perf_counter() - t)
        ry = model.researcher_years
        model.close()
        del model  # freed here, outside the timed part
    return wall / ry * 1e6, wall, ry


def _replicate_s(cfg: ModelConfig) -> float:
    """Wall seconds of ``run_one(cfg, seed).metrics()``, the unit of every batch, best of 3."""
    best = float("inf")
    for seed in range(1, 4):
        t = time.perf_counter()
        run_one(cfg, seed).metrics()
        best = min(best, time.perf_counter() - t)
    return best


def _load() -> str:
    return f"load {os.getloadavg()[0]:.2f}"


def main() -> None:
    """Print the floors, the scaling table, the run-after-a-large-run check and the summary line."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="only 1,000 and 4,000 researchers")
    ap.add_argument("--rounds", type=int, default=3, help="rounds over all sizes (best per size)")
    args = ap.parse_args()
    default = ModelConfig().run
    sizes = [1000, default.population] if args.quick else [1000, 2000, default.population, 8000, 16000, 32000, 64000]
    years, burn_in = 20, 5
    print(f"{os.cpu_count()} cores; {_load()} at start (1-minute load average; figures mean most on an idle machine)")
    same = _plain_run(_config(1000, 5, 2), 3).yearly_rows == CareerModel(_config(1000, 5, 2), 3).run().yearly_rows
    print(f"numpy floor runs the model's own array work: same results as the Mesa run: {same}")
    print(
        f"{'population':>10} {'researcher-years':>16} {'wall_s':>7} {'us/researcher-year':>19} {'mesa_floor_us':>13} {'ratio':>6} {'numpy_floor_us':>14} {'ratio':>6}  load"
    )
    # Rounds over all sizes (best per size kept), so a busy spell of a shared machine
    # does not fall on one size only; small runs get more repeats per round.
    best: dict[int, list[float]] = {n: [float("inf")] * 3 for n in sizes}
    ry_of: dict[int, tuple[int, float]] = {}
    for _ in range(args.rounds):
        for n in sizes:
            reps = max(1, min(5, 8000 // n))
            us, wall, ry = model_us(n, years, burn_in, repeats=reps)
            np_us, _, _ = model_us(n, years, burn_in, repeats=reps, plain=True)
            fl = floor_us(n, years, repeats=reps)
            b = best[n]
            best[n] = [min(b[0], us), min(b[1], fl), min(b[2], np_us)]
            ry_of[n] = (ry, min(ry_of.get(n, (0, float("inf")))[1], wall))
    rows = {}
    for n in sizes:
        us, fl, np_us = best[n]
        rows[n] = (us, fl, np_us)
        ry, wall = ry_of[n]
        print(f"{n:>10} {ry:>16} {wall:>7.2f} {us:>19.2f} {fl:>13.2f} {us / fl:>6.1f} {np_us:>14.2f} {us / np_us:>6.2f}  {_load()}")
    costs = [r[0] for r in rows.values()]
    mid = sorted(costs)[len(costs) // 2]
    print(f"cost flatness: min/median={min(costs) / mid:.2f} max/median={max(costs) / mid:.2f} (goal within 0.70..1.30)")
    # A small run straight after the largest, against the same small run after a small one
    # (single runs, alternating, best of 3 each, so both see the same machine).
    after, alone = [], []
    for _ in range(3):
        model_us(sizes[-1], years, burn_in, repeats=1)
        after.append(model_us(sizes[0], years, burn_in, repeats=1)[0])
        alone.append(model_us(sizes[0], years, burn_in, repeats=1)[0])
    print(
        f"{sizes[0]:,} researchers straight after a {sizes[-1]:,} run: {min(after):.2f} us/researcher-year; "
        f"after a {sizes[0]:,} run: {min(alone):.2f} (ratio {min(after) / min(alone):.2f}; goal about 1)  {_load()}"
    )
    reduced = _config(1000, 12, 5)  # the size sensitivity analysis and the notebooks' sweeps use
    for label, cfg in (
        (f"one default replicate (population {default.population}, {default.burn_in_years} burn-in + {default.years} years", ModelConfig()),
        ("one reduced run (population 1000, 5 burn-in + 12 years", reduced),
    ):
        print(f"{label}, tables built on demand, metrics): {_replicate_s(cfg):.2f} s (best of 3)  {_load()}")
    us, fl, np_us = rows[default.population]
    print(f"numpy_floor_us={np_us:.2f} numpy_ratio={us / np_us:.2f}")
    print(f"researcher_year_us={us:.2f} floor_us={fl:.2f} ratio={us / fl:.2f}")


if __name__ == "__main__":
    main()
