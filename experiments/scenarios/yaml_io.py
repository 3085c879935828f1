"""Strict, safe reading of one scenario YAML file, keeping the line of every key.

PyYAML's safe loader already refuses tags that would construct Python objects; on
top of that this module refuses duplicated keys (YAML would otherwise keep the last
one silently), empty files and a top level that is not a mapping, and records where
each key sits so later errors can name the file, the key and the line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from experiments.errors import InputError

Loc = tuple[str | int, ...]


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


def dotted(loc: Loc) -> str:
    """``('policies', 0, 'max_months')`` -> ``policies[0].max_months``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def where(path: Path, line: int | None) -> str:
    """``file:line`` (or just the file) for messages."""
    return f"{path}:{line}" if line else str(path)


def _walk(node: yaml.Node, loc: Loc, path: Path, lines: dict[Loc, int]) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise InputError(
                    f"{where(path, key_node.start_mark.line + 1)}: a key under '{dotted(loc) or 'top level'}' must be a plain name"
                )
            key = key_node.value
            line = key_node.start_mark.line + 1
            if key == "<<":
                raise InputError(f"{where(path, line)}: YAML merge keys ('<<') are not supported in scenario files; use 'extends' instead")
            if key in seen:
                raise InputError(
                    f"{where(path, line)}: duplicated key '{dotted((*loc, key))}' (first at line {seen[key]}); YAML would silently keep the last one — keep one"
                )
            seen[key] = line
            lines[(*loc, key)] = line
            _walk(value_node, (*loc, key), path, lines)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            lines[(*loc, i)] = item.start_mark.line + 1
            _walk(item, (*loc, i), path, lines)


def read_yaml(path: Path) -> YamlDoc:
    """Parse ``path`` safely into a mapping with key lines; any problem is an ``InputError``."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such scenario file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a scenario file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the file ({exc})") from None
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise InputError(
                f"{path}: the file is empty; a scenario needs at least a name and one setting (copy scenarios/baseline.yaml to start)"
            )
        if not isinstance(node, yaml.MappingNode):
            kind = "a list" if isinstance(node, yaml.SequenceNode) else f"a single value ({node.value!r})"
            raise InputError(
                f"{where(path, node.start_mark.line + 1)}: the top level must be a mapping of keys (name, description, extends, parameter groups such as contracts, policies, shocks, run), not {kind}"
            )
        lines: dict[Loc, int] = {}
        _walk(node, (), path, lines)
        data = loader.construct_document(node)
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        tag = exc.problem.split("tag ")[-1].replace("tag:yaml.org,2002:", "!!") if exc.problem and "tag" in exc.problem else "this tag"
        raise InputError(
            f"{where(path, mark.line + 1 if mark else None)}: YAML tag {tag} is not allowed; scenario files are read with safe loading (plain values, lists and mappings only)"
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = f":{mark.line + 1}" if mark else ""
        col = f" (column {mark.column + 1})" if mark else ""
        raise InputError(f"{path}{line}: YAML syntax error{col}: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise InputError(f"{path}: YAML error: {exc}") from None
    finally:
        loader.dispose()
    return YamlDoc(path=path, data=data, lines=lines)
