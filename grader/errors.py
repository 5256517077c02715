"""The grader's own failures (never a student's mistake: those are results, not exceptions)."""

from __future__ import annotations


class GraderError(Exception):
    """Root of every error raised by :mod:`grader`. The CLI turns it into one line and exit 2."""


class NotebookError(GraderError):
    """The submission is not a notebook we can run (bad JSON, nbformat 3, not a file, ...)."""


class ExecutionError(GraderError):
    """The kernel could not be started or the tool failed while running a notebook."""


class AnswerError(GraderError):
    """The answers emitted by a notebook are not valid JSON or break the schema."""


class ConfigError(GraderError):
    """The grading configuration (TOML) is unreadable or holds an unknown key or bad value."""
