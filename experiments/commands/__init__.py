"""Subcommands of hsr-careers, one module each (discovered automatically)."""
