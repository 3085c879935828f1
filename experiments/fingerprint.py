"""Which source files a stored result depends on, and one hash of them (the run store's source fingerprint).

A stored run is computed by ``model.run.run_one`` (every command) and, for calibration,
``calibration.simulate.measure_run``. The files that can change a result are those
modules and every module of ``model/`` and ``calibration/`` they import, directly or
inside functions, found by reading their ``import`` statements (not by importing them,
so the answer never depends on what else this process has imported). A file nothing
in that chain imports (the parameter tables for the docs, the YAML reader, the
manifests' provenance, number formats) can be edited without throwing away stored runs.
"""

from __future__ import annotations

import ast
import hashlib
from pathlib import Path

ROOTS = ("model.run", "calibration.simulate")  # what computes a stored result
PACKAGES = ("model", "calibration")  # where the code a result depends on may live


def _package_dirs() -> dict[str, Path]:
    import calibration
    import model

    return {"model": Path(model.__file__).parent, "calibration": Path(calibration.__file__).parent}


def _file(name: str, dirs: dict[str, Path]) -> Path | None:
    """The source file of module ``name`` in one of ``dirs`` (a package's ``__init__.py``), or None if it is not a module there."""
    top, *rest = name.split(".")
    if top not in dirs:
        return None
    base = dirs[top].joinpath(*rest)
    for candidate in ([base.with_suffix(".py")] if rest else []) + [base / "__init__.py"]:
        if candidate.is_file():
            return candidate
    return None


def _imported(tree: ast.AST, name: str, is_package: bool) -> set[str]:
    """Module names an ``import`` anywhere in ``tree`` may refer to (``from a import b``: ``a`` and ``a.b``)."""
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                out.update(".".join(parts[: i + 1]) for i in range(len(parts)))
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from the module's package
                package = name.split(".") if is_package else name.split(".")[:-1]
                base = ".".join(package[: len(package) - node.level + 1] + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            parts = base.split(".")
            out.update(".".join(parts[: i + 1]) for i in range(len(parts)))
            out.update(f"{base}.{alias.name}" for alias in node.names)
    return out


def result_sources(dirs: dict[str, Path] | None = None) -> list[Path]:
    """The source files a stored result depends on: ``ROOTS`` and the project modules they import, transitively."""
    dirs = dirs or _package_dirs()
    found: dict[str, Path] = {}
    todo = list(ROOTS)
    while todo:
        name = todo.pop()
        path = found.get(name) or _file(name, dirs)
        if path is None or name in found:
            continue
        found[name] = path
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        todo += [m for m in _imported(tree, name, path.name == "__init__.py") if m.split(".")[0] in PACKAGES and m not in found]
    return sorted(set(found.values()), key=lambda p: (p.parent.name, p.name))


def source_digest(dirs: dict[str, Path] | None = None) -> str:
    """One short hash of every file in ``result_sources`` (names and contents)."""
    digest = hashlib.sha256()
    for f in result_sources(dirs):
        digest.update(f"{f.parent.name}/{f.name}".encode() + b"\0" + f.read_bytes())
    return digest.hexdigest()[:16]
