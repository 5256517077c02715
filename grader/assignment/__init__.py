"""An assignment as data: its description, answer contract, catalogue of sentences and grading."""

from __future__ import annotations

from grader.assignment.assignment import (
    ENV_VAR,
    Assignment,
    assignment_here,
    load_assignment,
    load_config,
)
from grader.assignment.config import GradingConfig, PartConfig

__all__ = [
    "ENV_VAR",
    "Assignment",
    "GradingConfig",
    "PartConfig",
    "assignment_here",
    "load_assignment",
    "load_config",
]
