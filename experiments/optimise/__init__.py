"""Policy mixes under a budget: which policies to switch on, and their settings, by many-objective optimisation."""
