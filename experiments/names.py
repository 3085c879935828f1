"""Names that become folder names (scenario and experiment names under ``results/``) are checked once, here."""

from __future__ import annotations

import unicodedata

from experiments.errors import InputError

MAX_NAME = 100


def check_name(name: str, origin: str, key: str = "name") -> str:
    """Return ``name`` if it is safe as one folder name; else raise ``InputError`` naming file, key and value."""
    shown = repr(name if len(name) <= 60 else name[:60] + "...")
    problem = None
    if not name.strip():
        problem = "is empty"
    elif len(name) > MAX_NAME:
        problem = f"has {len(name)} characters, more than {MAX_NAME}"
    elif any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in name):
        problem = "contains a control character (NUL, newline, tab, ...)"
    elif "/" in name or "\\" in name:
        problem = "contains a path separator ('/' or '\\\\')"
    elif name.strip() in (".", "..") or name.startswith("."):
        problem = "starts with '.' (hidden or a path step)"
    elif "$" in name:  # figure titles show the name, and matplotlib reads $...$ as mathematics
        problem = "contains '$' (figure titles would read it as mathematics)"
    if problem:
        raise InputError(
            f"{origin}: key '{key}': {shown} {problem}; it names the results folder, so use letters, digits, spaces, '-' and '_' "
            f"(at most {MAX_NAME} characters)"
        )
    return name
