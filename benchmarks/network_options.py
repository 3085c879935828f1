"""Why the network is held as edge arrays: the model's yearly network work on three stores.

One simulated year of the default population's network operations (about 4,000 active
researchers, about 12,000 ties): add an entry cohort's and a year's new ties (refusing
duplicates, and counting the insider ties gained), remove 16 monthly batches of leavers
(their neighbours lose insider ties), and list the ties of 500 mentor seekers. Stores:
the model's edge arrays (``model.network.SocialNetwork``), igraph and rustworkx.

    .venv/bin/python benchmarks/network_options.py   # igraph and rustworkx are optional: pip install igraph rustworkx
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from model.network import SocialNetwork  # noqa: E402
from model.parameters import NetworkParams  # noqa: E402
from model.population import Population  # noqa: E402
from model.streams import Streams  # noqa: E402

N, TIES, YEARS = 4000, 12000, 10


def _workload(seed: int) -> list[dict]:
    rng = np.random.default_rng(seed)
    years, nxt, alive = [], N, np.arange(N)
    for _ in range(YEARS):
        new = np.arange(nxt, nxt + 400)
        nxt += 400
        add = np.column_stack([np.repeat(new, 4), alive[rng.integers(0, len(alive), 1600)]])
        alive = np.concatenate([alive, new])
        grow = alive[rng.integers(0, len(alive), size=(1200, 2))]
        leave = [alive[rng.integers(0, len(alive), 25)] for _ in range(16)]
        gone = np.unique(np.concatenate(leave))
        alive = np.setdiff1d(alive, gone)
        seekers = alive[rng.integers(0, len(alive), 500)]
        years.append({"add": add, "grow": grow[grow[:, 0] != grow[:, 1]], "leave": [np.unique(x) for x in leave], "seekers": seekers})
    return years


def _initial(seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    e = rng.integers(0, N, size=(TIES, 2))
    return e[e[:, 0] != e[:, 1]]


def arrays(work: list[dict], init: np.ndarray, insider: np.ndarray) -> float:
    pop = Population(N + 400 * YEARS)
    pop.allocate(N + 400 * YEARS)
    pop.alive[:] = True
    pop.insider[:] = insider
    net = SocialNetwork(NetworkParams(), pop, Streams(np.random.SeedSequence(0)))
    net._add_edges(init[:, 0], init[:, 1])
    t = time.perf_counter()
    for y in work:
        net._add_edges(y["add"][:, 0], y["add"][:, 1])
        net._add_edges(y["grow"][:, 0], y["grow"][:, 1])
        for batch in y["leave"]:
            pop.alive[batch] = False
            net.remove(batch)
        net.flush()
        net.neighbour_lists(y["seekers"])
    return time.perf_counter() - t


def igraph_store(work: list[dict], init: np.ndarray, insider: np.ndarray) -> float:
    import igraph as ig

    g = ig.Graph(n=N + 400 * YEARS)
    ties = np.zeros(N + 400 * YEARS, dtype=np.int64)

    def add(pairs: np.ndarray) -> None:
        lo, hi = np.minimum(pairs[:, 0], pairs[:, 1]), np.maximum(pairs[:, 0], pairs[:, 1])
        pairs = np.unique(np.column_stack([lo, hi]), axis=0)
        eids = np.array(g.get_eids(pairs.tolist(), directed=False, error=False))
        fresh = pairs[eids < 0]
        g.add_edges(fresh.tolist())
        np.add.at(ties, fresh[:, 0], insider[fresh[:, 1]])
        np.add.at(ties, fresh[:, 1], insider[fresh[:, 0]])

    add(init)
    t = time.perf_counter()
    for y in work:
        add(y["add"])
        add(y["grow"])
        for batch in y["leave"]:
            gone = batch[insider[batch]].tolist()
            for nbrs in g.neighborhood(gone, mindist=1):
                np.subtract.at(ties, nbrs, 1)
            g.delete_edges(g.es.select(_incident=batch.tolist()))
        g.neighborhood(y["seekers"].tolist(), mindist=1)
    return time.perf_counter() - t


def rustworkx_store(work: list[dict], init: np.ndarray, insider: np.ndarray) -> float:
    import rustworkx as rx

    g = rx.PyGraph(multigraph=False)
    g.add_nodes_from(range(N + 400 * YEARS))
    ties = np.zeros(N + 400 * YEARS, dtype=np.int64)

    def add(pairs: np.ndarray) -> None:
        fresh = [(a, b) for a, b in pairs.tolist() if not g.has_edge(a, b)]
        fresh = list({(min(a, b), max(a, b)) for a, b in fresh})
        g.add_edges_from_no_data(fresh)
        if fresh:
            f = np.array(fresh)
            np.add.at(ties, f[:, 0], insider[f[:, 1]])
            np.add.at(ties, f[:, 1], insider[f[:, 0]])

    add(init)
    t = time.perf_counter()
    for y in work:
        add(y["add"])
        add(y["grow"])
        for batch in y["leave"]:
            for i in batch[insider[batch]].tolist():
                np.subtract.at(ties, list(g.neighbors(i)), 1)
            for i in batch.tolist():
                g.remove_edges_from([(i, j) for j in g.neighbors(i)])
        for i in y["seekers"].tolist():
            g.neighbors(i)
    return time.perf_counter() - t


def main() -> None:
    """Time each store on the same workload (best of 3, alternating)."""
    work, init = _workload(1), _initial(2)
    insider = np.random.default_rng(3).random(N + 400 * YEARS) < 0.3
    stores = {"edge arrays (model)": arrays}
    for name, fn in (("igraph", igraph_store), ("rustworkx", rustworkx_store)):
        try:
            __import__(name)
        except ImportError:
            print(f"{name} is not installed (pip install {name}): skipped")
            continue
        stores[name] = fn
    best = dict.fromkeys(stores, float("inf"))
    for _ in range(3):
        for name, fn in stores.items():
            best[name] = min(best[name], fn(work, init, insider))
    print(f"load {os.getloadavg()[0]:.2f}; {YEARS} years of network work at {N:,} researchers (best of 3)")
    for name, t in best.items():
        print(f"{name:>20}: {t / YEARS * 1e3:7.2f} ms a year ({t / best['edge arrays (model)']:.1f}x the arrays)")


if __name__ == "__main__":
    main()
