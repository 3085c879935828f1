"""Shared utilities below every layer: the safe YAML reader, manifest provenance and atomic writes, the memory budget.

``calibration/`` and ``experiments/`` both use them; ``model/`` does not, and nothing
here imports the project's other packages. None of it changes what a run computes, so
editing it leaves the run store's source fingerprint (``experiments.fingerprint``) and
every stored run as they are.
"""
