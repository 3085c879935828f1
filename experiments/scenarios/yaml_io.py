"""Strict, safe reading of one scenario YAML file, keeping the line of every key.

The project's one YAML reader (``common.safe_yaml``) refuses special files, files over
1 MB, control characters, tags, aliases, deep nesting and duplicated keys; on top of
that this module refuses empty files and a top level that is not a mapping, and keeps
where each key sits so later errors can name the file, the key and the line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from common import safe_yaml
from common.safe_yaml import Loc, dotted
from experiments.errors import InputError

__all__ = ["Loc", "YamlDoc", "dotted", "read_yaml", "where"]


@dataclass
class YamlDoc:
    """A parsed scenario file: its data and the line (1-based) of every key or list item."""

    path: Path
    data: dict[str, Any]
    lines: dict[Loc, int] = field(default_factory=dict)

    def line(self, loc: Loc) -> int | None:
        """Line of ``loc`` or of its nearest enclosing key."""
        for n in range(len(loc), 0, -1):
            if loc[:n] in self.lines:
                return self.lines[loc[:n]]
        return None


def where(path: Path, line: int | None) -> str:
    """``file:line`` (or just the file) for messages."""
    return f"{path}:{line}" if line else str(path)


def read_yaml(path: Path) -> YamlDoc:
    """Parse ``path`` safely into a mapping with key lines; any problem is an ``InputError``."""
    try:
        parsed = safe_yaml.load_file(path, "scenario file")
    except safe_yaml.YamlError as exc:
        raise InputError(str(exc)) from None
    if parsed is None:
        raise InputError(
            f"{path}: the file is empty; a scenario needs at least a name and one setting (copy scenarios/baseline.yaml to start)"
        )
    if not isinstance(parsed.data, dict):
        kind = "a list" if isinstance(parsed.data, list) else "a single value"
        raise InputError(
            f"{where(path, 1)}: the top level must be a mapping of keys (name, description, extends, parameter groups such as contracts, policies, shocks, run), not {kind}"
        )
    return YamlDoc(path=path, data=parsed.data, lines=parsed.lines)
