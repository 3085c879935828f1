"""Digests of what four commands compute, to show that a refactoring left results unchanged.

    python benchmarks/behaviour_digest.py                         # this checkout, JSON to stdout
    python benchmarks/behaviour_digest.py --repo OTHER --out before.json
    python benchmarks/behaviour_digest.py --compare before.json after.json

Runs small, seeded versions of ``compare`` (``effects.csv``), ``compare --ensemble``
(``effects_ensemble.csv``), ``batch`` (the runs and
yearly tables without the timing column), ``calibrate --check`` (``fit_table.csv``) and
``sensitivity`` (``indices.csv``) through the command line of the checkout given by
``--repo`` (its code is put first on ``PYTHONPATH``), and prints a SHA-256 of each
result. Two checkouts with the same model give the same digests exactly when these
results are identical byte for byte. Results depend on neither the backend nor the
worker count, so ``--backend`` and ``--jobs`` are only how the runs are executed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SIZE = ["--population", "120", "--years", "10"]


def _cli(repo: Path, args: list[str], engine: list[str]) -> float:
    env = {**os.environ, "PYTHONPATH": str(repo)}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "experiments.cli", *args, *engine], cwd=repo, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _batch_digest(out: Path) -> str:
    import pandas as pd

    runs = pd.read_parquet(out / "runs").drop(columns=["key", "elapsed_s"]).sort_values("run_id").reset_index(drop=True)
    yearly = pd.read_parquet(out / "yearly").drop(columns=["key"]).sort_values(["run_id", "year"]).reset_index(drop=True)
    return _sha(runs.to_csv(index=False).encode() + b"\0" + yearly.to_csv(index=False).encode())


BATCH = """name: digest
base:
  policies: [{type: bridge_funding}]
  run: {population: 120, years: 10, burn_in_years: 2}
factorial:
  policies.bridge_funding.max_months: [3, 12]
replicates: 2
seed: 7
outputs: {metrics: all, yearly: true}
"""


def digests(repo: Path, engine: list[str]) -> dict[str, dict[str, object]]:
    """Run the four commands in ``repo``; the digest of each result and the seconds it took."""
    out: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory(prefix="digest-") as tmp:
        t = Path(tmp)
        s = _cli(repo, ["compare", "scenarios/baseline.yaml", "scenarios/bridge_funding.yaml", "scenarios/stable_contracts.yaml",
                        *SIZE, "--burn-in", "2", "--reps", "3", "--quiet", "--out", str(t / "compare")], engine)  # fmt: skip
        out["compare effects.csv"] = {"sha256": _sha((t / "compare" / "effects.csv").read_bytes()), "seconds": round(s, 1)}
        s = _cli(repo, ["compare", "scenarios/baseline.yaml", "scenarios/bridge_funding.yaml", "--ensemble", "2", "--reps", "2", *SIZE,
                        "--burn-in", "2", "--quiet", "--out", str(t / "ensemble")], engine)  # fmt: skip
        out["compare --ensemble effects_ensemble.csv"] = {"sha256": _sha((t / "ensemble" / "effects_ensemble.csv").read_bytes()), "seconds": round(s, 1)}
        (t / "digest.yaml").write_text(BATCH)
        s = _cli(repo, ["batch", str(t / "digest.yaml"), "--quiet", "--out", str(t / "batch")], engine)
        out["batch runs+yearly"] = {"sha256": _batch_digest(t / "batch"), "seconds": round(s, 1)}
        s = _cli(repo, ["calibrate", "--check", "--reps", "2", *SIZE, "--out", str(t / "check")], engine)
        out["calibrate --check fit_table.csv"] = {"sha256": _sha((t / "check" / "fit_table.csv").read_bytes()), "seconds": round(s, 1)}
        s = _cli(repo, ["sensitivity", "scenarios/bridge_funding.yaml", "--method", "morris", "-N", "2", "--reps", "2", *SIZE,
                        "--burn-in-years", "2", "--factors", "contracts.renewal_prob", "gaps.reemploy_month",
                        "policies.bridge_funding.max_months", "--out", str(t / "sensitivity")], engine)  # fmt: skip
        out["sensitivity indices.csv"] = {"sha256": _sha((t / "sensitivity" / "indices.csv").read_bytes()), "seconds": round(s, 1)}
    return out


def main() -> int:
    """Print (or write) the digests of one checkout, or compare two digest files."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repo", type=Path, default=Path(__file__).resolve().parents[1], help="checkout to run (default: this one)")
    p.add_argument("--engine", default="--jobs 2", help="execution flags given to every command (default '--jobs 2')")
    p.add_argument("--out", type=Path, help="write the digests here as JSON")
    p.add_argument("--compare", nargs=2, type=Path, metavar=("BEFORE", "AFTER"), help="compare two digest files; exit 1 if any differs")
    args = p.parse_args()
    if args.compare:
        before, after = (json.loads(f.read_text()) for f in args.compare)
        same = True
        for name in before:
            equal = before[name]["sha256"] == after.get(name, {}).get("sha256")
            same &= equal
            print(f"{'identical' if equal else 'DIFFERENT'}  {name}  {before[name]['sha256'][:16]}  {after.get(name, {}).get('sha256', '-')[:16]}")
        return 0 if same else 1
    result = digests(args.repo.resolve(), args.engine.split())
    text = json.dumps(result, indent=2)
    if args.out:
        args.out.write_text(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
