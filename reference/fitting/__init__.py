"""Fitting models at their true optimum: the profiled likelihood, the robust fit, its result
and the disk cache."""
