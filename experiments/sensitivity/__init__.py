"""Global sensitivity analysis: factors, SALib designs, evaluation through the engine and store, indices, the command's set-up."""
