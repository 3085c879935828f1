"""The one YAML reader for every file the project reads (scenarios, experiments, targets, set-ups, --set values).

It lives at the bottom layer so that ``calibration`` (which may not import
``experiments``) and ``experiments`` share it. What it refuses, each with a message
naming the file, the line and the key:

- anything that is not a regular file (a folder, ``/dev/zero``, a FIFO): checked with
  ``stat`` before a byte is read, so it never blocks or reads forever;
- files over ``MAX_BYTES`` (1 MB; the largest shipped file is a few KB);
- text that is not UTF-8, and control characters other than tab, newline and carriage return;
- YAML tags that construct objects (safe loading), aliases (``*name``: an alias bomb
  expands a small file into gigabytes, and a recursive alias never ends) and merge
  keys (``<<``), nesting deeper than ``MAX_DEPTH``, keys that are not plain scalars,
  and duplicated keys (YAML would silently keep the last one);
- numbers too long to convert (Python refuses integers of more than 4,300 digits).

``YamlError`` is a ``ValueError``; callers turn it into their own error type.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

MAX_BYTES = 1_000_000
MAX_DEPTH = 50

Loc = tuple[str | int, ...]


class YamlError(ValueError):
    """A YAML file or value that cannot be used; the message names the file, line and key."""


@dataclass
class Parsed:
    """A parsed document: its data and the line (1-based) of every key and list item."""

    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)


def dotted(loc: Loc) -> str:
    """``('policies', 0, 'max_months')`` -> ``policies[0].max_months``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def read_text(path: Path, what: str = "file") -> str:
    """The text of a regular file of at most ``MAX_BYTES``, UTF-8, without stray control characters."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise YamlError(f"{path}: no such {what}") from None
    except OSError as exc:
        raise YamlError(f"{path}: cannot read the {what} ({exc.strerror or exc})") from None
    if stat.S_ISDIR(st.st_mode):
        raise YamlError(f"{path}: is a directory, not a {what}")
    if not stat.S_ISREG(st.st_mode):
        kind = (
            "a FIFO (named pipe)"
            if stat.S_ISFIFO(st.st_mode)
            else "a device"
            if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode)
            else "a socket or other special file"
        )
        raise YamlError(f"{path}: is {kind}, not a regular file; give a {what} saved on disk")
    if st.st_size > MAX_BYTES:
        raise YamlError(
            f"{path}: the {what} is {st.st_size:,} bytes, more than the {MAX_BYTES:,} allowed (no project file comes near that)"
        )
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise YamlError(f"{path}: cannot read the {what} ({exc.strerror or exc})") from None
    if len(raw) > MAX_BYTES:
        raise YamlError(f"{path}: the {what} is more than the {MAX_BYTES:,} bytes allowed")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise YamlError(f"{path}:{line}: the {what} is not UTF-8 text (byte {raw[exc.start]:#04x} at offset {exc.start})") from None
    check_control(text, str(path))
    return text


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]|(?<=.)\ufeff", re.DOTALL)


def check_control(text: str, origin: str) -> None:
    """Refuse control characters (NUL, escape, ...) other than tab, newline and carriage return (a leading BOM is fine)."""
    hit = _CONTROL.search(text)
    if hit:
        ch = hit.group()
        line = text.count("\n", 0, hit.start()) + 1
        raise YamlError(f"{origin}:{line}: control character {ch!r} (U+{ord(ch):04X}) is not allowed; save the file as plain text")


class _Composer(yaml.SafeLoader):
    """Safe loading that refuses aliases and limits nesting while composing (before anything is built)."""

    def __init__(self, text: str, origin: str) -> None:
        super().__init__(text)
        self.origin = origin
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:  # noqa: D102
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise YamlError(
                f"{self.origin}:{mark.line + 1}: YAML aliases ('*{self.peek_event().anchor}') are not allowed "
                "(they can expand a small file without limit); write the values out"
            )
        self._depth += 1
        if self._depth > MAX_DEPTH:
            mark = self.peek_event().start_mark
            raise YamlError(f"{self.origin}:{mark.line + 1}: nesting deeper than {MAX_DEPTH} levels; project files need a few")
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _walk(node: yaml.Node, loc: Loc, origin: str, lines: dict[Loc, int]) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlError(f"{origin}:{line}: a key under '{dotted(loc) or 'top level'}' must be a plain name")
            key = key_node.value
            if key == "<<" and key_node.tag == "tag:yaml.org,2002:merge":
                raise YamlError(f"{origin}:{line}: YAML merge keys ('<<') are not supported; write the keys out (scenarios: use 'extends')")
            if key in seen:
                raise YamlError(
                    f"{origin}:{line}: duplicated key '{dotted((*loc, key))}' (first at line {seen[key]}); YAML would silently keep the last one — keep one"
                )
            seen[key] = line
            lines[(*loc, key)] = line
            _walk(value_node, (*loc, key), origin, lines)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            lines[(*loc, i)] = item.start_mark.line + 1
            _walk(item, (*loc, i), origin, lines)


_QUOTED_OR_COMMENT = re.compile(r"'[^'\n]*'|\"(?:[^\"\\\n]|\\.)*\"|#[^\n]*")


def _flow_depth_check(text: str, origin: str) -> None:
    """Refuse deep flow nesting (``[[[[...``) before PyYAML's scanner, which slows quadratically with it, sees it."""
    depth = 0
    for ch in re.sub(_QUOTED_OR_COMMENT, "", text):
        if ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise YamlError(f"{origin}: nesting deeper than {MAX_DEPTH} levels; project files need a few")
        elif ch in "]}":
            depth = max(0, depth - 1)


def parse(text: str, origin: str) -> Parsed | None:
    """Parse YAML ``text`` (named ``origin`` in messages) strictly; None for an empty document."""
    _flow_depth_check(text, origin)
    loader = _Composer(text, origin)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        lines: dict[Loc, int] = {}
        _walk(node, (), origin, lines)
        data = loader.construct_document(node)
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        at = f"{origin}:{mark.line + 1}" if mark else origin
        problem = exc.problem or ""
        tag = problem.split("tag ")[-1].replace("tag:yaml.org,2002:", "!!") if "tag" in problem else "this tag"
        raise YamlError(
            f"{at}: YAML tag {tag} is not allowed; files are read with safe loading (plain values, lists and mappings only)"
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = f":{mark.line + 1}" if mark else ""
        col = f" (column {mark.column + 1})" if mark else ""
        raise YamlError(f"{origin}{line}: YAML syntax error{col}: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise YamlError(f"{origin}: YAML error: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") from None
    except (ValueError, OverflowError) as exc:  # e.g. an integer of more than 4,300 digits
        if isinstance(exc, YamlError):
            raise
        raise YamlError(f"{origin}: a value cannot be converted ({str(exc).splitlines()[0][:120]})") from None
    except RecursionError:  # pragma: no cover - the depth limit comes first
        raise YamlError(f"{origin}: nesting too deep") from None
    finally:
        loader.dispose()
    return Parsed(data=data, lines=lines)


def load_file(path: str | Path, what: str = "file") -> Parsed | None:
    """Read and parse one YAML file with every check above; None if it holds no document."""
    path = Path(path)
    return parse(read_text(path, what), str(path))


def load_value(text: str, origin: str) -> Any:
    """One YAML value given on the command line (``--set PATH=VALUE``), with the same checks as files."""
    if len(text) > 10_000:
        raise YamlError(f"{origin}: the value is {len(text):,} characters long; at most 10,000")
    check_control(text, origin)
    parsed = parse(text, origin)
    return None if parsed is None else parsed.data
