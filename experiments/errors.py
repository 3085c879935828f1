"""User-facing input errors: the CLI prints the message and exits with code 2, no traceback."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class InputError(Exception):
    """Bad input from a user: a file, a key, a value or a flag. Message says what and what is valid."""

    exit_code = 2


def suggest(name: str, valid: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for the nearest valid name, or ''."""
    close = difflib.get_close_matches(name, list(valid), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
