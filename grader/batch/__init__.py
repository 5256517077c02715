"""Grading a class: finding submissions, worker processes, per-student outputs, the summary."""
