"""Key-by-key checks of scenario data against the one parameter declaration, and readable validation errors.

Names are never listed here: valid keys come from the pydantic classes in ``model/``
(parameter groups, registered policies, ``Shock``, ``RunSettings``) and from the
scenario-file class that wraps them. Messages name the file, the key, the line, the
bad value and the valid choices.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from experiments.errors import InputError, suggest
from experiments.scenarios.yaml_io import Loc, YamlDoc, dotted, where
from model.funding import Shock
from model.policies import POLICIES

NUMERIC = (int, float)


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _item_class(name: str, item: Any) -> type[BaseModel] | None:
    """The class of one item of a list-valued key (policies by their ``type``, shocks)."""
    if name == "shocks":
        return Shock
    if name == "policies" and isinstance(item, dict):
        return POLICIES.get(item.get("type"))  # type: ignore[arg-type]
    return None


def _fail(problems: list[InputError] | None, exc: InputError) -> None:
    """Raise ``exc``, or (collecting every problem, as ``validate`` does) keep it and go on."""
    if problems is None:
        raise exc
    problems.append(exc)


def check_keys(data: dict, cls: type[BaseModel], doc: YamlDoc, loc: Loc = (), problems: list[InputError] | None = None) -> None:
    """Refuse unknown keys, unknown policy types and values of the wrong kind in one file's data.

    With ``problems``, every problem is appended there instead of raising the first.
    """
    fields = cls.model_fields
    for key, value in data.items():
        here = (*loc, key)
        if key not in fields:
            scope = f"under '{dotted(loc)}'" if loc else "at the top level"
            _fail(problems, InputError(
                f"{where(doc.path, doc.line(here))}: unknown key '{dotted(here)}'{suggest(str(key), fields)}; valid keys {scope}: {', '.join(fields)}"
            ))  # fmt: skip
            continue
        check_value(value, fields[key], doc, here, problems)


def check_value(value: Any, info: FieldInfo, doc: YamlDoc, loc: Loc, problems: list[InputError] | None = None) -> None:
    """Check one value's kind against its declared field and descend into mappings and lists."""
    ann = info.annotation
    at = where(doc.path, doc.line(loc))
    if ann in NUMERIC and (isinstance(value, bool | str) or not isinstance(value, int | float)):
        want = "a whole number" if ann is int else "a number"
        return _fail(problems, InputError(f"{at}: key '{dotted(loc)}' must be {want}, got {value!r} ({_kind(value)})"))
    if isinstance(ann, type) and issubclass(ann, BaseModel):
        if not isinstance(value, dict):
            msg = f"{at}: key '{dotted(loc)}' must be a mapping of keys ({', '.join(ann.model_fields)}), got {_kind(value)}"
            return _fail(problems, InputError(msg))
        check_keys(value, ann, doc, loc, problems)
        return None
    name = loc[-1]
    if name in ("policies", "shocks") and len(loc) == 1:
        if not isinstance(value, list):
            return _fail(problems, InputError(f"{at}: key '{name}' must be a list of mappings, got {_kind(value)}"))
        for i, item in enumerate(value):
            here = (*loc, i)
            item_at = where(doc.path, doc.line(here))
            if not isinstance(item, dict):
                _fail(problems, InputError(f"{item_at}: item '{dotted(here)}' must be a mapping, got {_kind(item)} ({item!r:.60})"))
                continue
            if name == "policies":
                ptype = item.get("type")
                if ptype is None:
                    _fail(problems, InputError(f"{item_at}: policy '{dotted(here)}' has no 'type'; valid types: {', '.join(POLICIES)}"))
                    continue
                if not isinstance(ptype, str) or ptype not in POLICIES:
                    _fail(problems, InputError(
                        f"{item_at}: unknown policy type {ptype!r} at '{dotted(here)}.type'{suggest(str(ptype), POLICIES)}; valid types: {', '.join(POLICIES)}"
                    ))  # fmt: skip
                    continue
            check_keys(item, _item_class(name, item), doc, here, problems)  # type: ignore[arg-type]
    return None


def data_loc(data: Any, loc: Sequence[str | int]) -> Loc:
    """Strip pydantic's union tags from an error location so it follows the data's own keys."""
    out: list[str | int] = []
    cur = data
    for part in loc:
        if isinstance(cur, dict) and part in cur:
            cur = cur[part]
            out.append(part)
        elif isinstance(cur, list) and isinstance(part, int) and 0 <= part < len(cur):
            cur = cur[part]
            out.append(part)
    return tuple(out)


def field_at(cls: type[BaseModel], data: Any, loc: Loc) -> FieldInfo | None:
    """The declared field at ``loc`` (following policies by type), or None."""
    info: FieldInfo | None = None
    cur_cls: type[BaseModel] | None = cls
    cur = data
    prev = ""
    for part in loc:
        if isinstance(part, int):
            cur = cur[part] if isinstance(cur, list) and part < len(cur) else None
            cur_cls = _item_class(prev, cur) if info is not None else None
            continue
        if cur_cls is None or part not in cur_cls.model_fields:
            return None
        info = cur_cls.model_fields[part]
        prev = str(part)
        cur = cur.get(part) if isinstance(cur, dict) else None
        ann = info.annotation
        cur_cls = ann if isinstance(ann, type) and issubclass(ann, BaseModel) else None
    return info


def bounds(info: FieldInfo | None) -> tuple[Any, Any]:
    """Declared (lower, upper) bounds of a field; None where unbounded."""
    if info is None:
        return None, None
    lo = next((getattr(m, a) for m in info.metadata for a in ("ge", "gt") if getattr(m, a, None) is not None), None)
    hi = next((getattr(m, a) for m in info.metadata for a in ("le", "lt") if getattr(m, a, None) is not None), None)
    return lo, hi


def explain(exc: ValidationError, cls: type[BaseModel], data: dict, docs: Sequence[YamlDoc]) -> InputError:
    """One clear message for the first validation error: file:line, key, bad value, valid range or choices."""
    more = len(exc.errors()) - 1
    tail = f" (and {more} more problem{'s' if more > 1 else ''}; hsr-careers validate lists them all)" if more else ""
    return explain_error(exc.errors()[0], cls, data, docs, tail)


def explain_error(err: Any, cls: type[BaseModel], data: dict, docs: Sequence[YamlDoc], tail: str = "") -> InputError:
    """The message for one pydantic error (``ValidationError.errors()`` item)."""
    loc = data_loc(data, err["loc"])
    doc = next((d for d in docs if loc and loc in d.lines), None)
    if doc is None:
        doc = next((d for d in docs if d.line(loc)), docs[0])
    at = where(doc.path, doc.line(loc) if loc else None)
    msg = err["msg"].removeprefix("Value error, ")
    if not loc:
        return InputError(f"{at}: {msg}{tail}")
    info = field_at(cls, data, loc)
    lo, hi = bounds(info)
    rng = f"; valid range: {lo} to {hi}" if lo is not None and hi is not None else (f"; must be at least {lo}" if lo is not None else "")
    if err["type"] in ("missing",):
        return InputError(f"{at}: key '{dotted((*loc, *err['loc'][len(loc) :]))}' is required{tail}")
    return InputError(f"{at}: key '{dotted(loc)}': {msg}, got {err.get('input')!r}{rng}{tail}")
