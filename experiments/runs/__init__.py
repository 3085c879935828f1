"""Replicates of a scenario (``replicates``), paired comparisons with a baseline (``compare``) and the outputs contract (``outputs``)."""
