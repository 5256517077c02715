"""The rules a model of the assignment must keep: its response, known variables, random slopes only
for student-level variables, and for a final model the assignment's minimum of predictors and of
school-level ones. Each broken rule is a :class:`~reference.errors.SpecError` saying which and why.
"""

from __future__ import annotations

from reference.data.dataset import Dataset
from reference.errors import SpecError
from reference.model.structure import ModelSpec, ModelStructure


def check_response(spec: ModelSpec, dataset: Dataset) -> None:
    if spec.response != dataset.response:
        raise SpecError(
            f"formula {spec.formula!r} must have the form '{dataset.response} ~ predictors'; "
            f"write the response {dataset.response} on the left of a single ~."
        )


def check_slopes(structure: ModelStructure, group: str) -> None:
    wrong = [s for s in structure.random_slopes if s in structure.school_level]
    if wrong:
        raise SpecError(
            f"random slope(s) for {group}-level variable(s) {', '.join(wrong)}: a variable that "
            f"is constant within each {group} cannot have a slope that varies between {group}s; "
            "give random slopes only to student-level variables."
        )


def check_final_rules(structure: ModelStructure, dataset: Dataset) -> None:
    rules, group = dataset.rules, dataset.group
    if len(structure.predictors) < rules.min_predictors:
        raise SpecError(
            f"the final model needs at least {_count(rules.min_predictors)} predictors; found "
            f"{len(structure.predictors)} ({', '.join(structure.predictors) or 'none'})."
        )
    found = structure.school_predictors
    if len(found) < rules.min_group_level:
        raise SpecError(
            f"the final model needs at least {_count(rules.min_group_level)} {group}-level "
            f"predictor{'s' * (rules.min_group_level > 1)} (constant within each {group}: "
            f"{', '.join(sorted(structure.school_level))}); found {_count(len(found)) if found else 'none'}."
        )


def _count(n: int) -> str:
    """Small counts in words, as the assignment states its rules ("at least three predictors")."""
    words = ("none", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
    return words[n] if 0 <= n < len(words) else str(n)
