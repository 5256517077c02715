"""One module per ``hlm-grader`` command (see :mod:`grader.cli`)."""
