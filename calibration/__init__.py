"""Calibration of the hsr-careers model to survey proportions."""
