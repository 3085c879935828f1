"""Experiments on the hsr-careers model: scenarios, runs, comparisons, batches, sensitivity, plots, CLI."""
