"""Every sentence key the grader says, and the fields each may use: the catalogue's schema.

An assignment's ``messages.toml`` gives one sentence per key (grading.toml's ``[messages]`` may
reword any); a sentence may use only its key's fields, in braces, plus the assignment's facts
(:data:`FACTS`). Keys are namespaced by who says them: ``common.*`` (every part), one namespace per
part, ``findings.*`` (what an equation comparison found), ``read.*``/``prose.*`` (what was read
from the notebook's text), ``judge.*``, ``run.*``, ``batch.*`` and ``notebook.*``.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from reference.compare.findings import FIELDS as FINDING_FIELDS
from reference.compare.findings import KINDS as FINDING_KINDS

#: Facts of the assignment every sentence may use: the response and group columns, the data file
#: as the notebook reads it (``data/hsb12.sav``) and its name (``hsb12.sav``).
FACTS = frozenset({"response", "group", "data_file", "data_name"})

_STATED = frozenset({"answer", "stated", "observed", "variable"})  # see checks.base.stated
_NUMBER = _STATED | {"tolerance"}  # what judge_number gives every sentence about a number
_CHECKED = frozenset({"answer", "tolerance"})
_TERMS = frozenset({"terms"})
_NONE: frozenset[str] = frozenset()

_COMMON = {
    "missing": {"variable", "description"},
    "missing_free_form": {"what", "examples", "forms"},
    "unread": {"items"},
    "invalid": _STATED | {"reason", "wanted"},
    "not_finite": _NUMBER,
    "passed": _NUMBER,
    "ecf": _NUMBER | {"credit"},
    "ecf_estimates": {"credit"},
    "percent": _NUMBER,
    "no_final": _NONE,
    "expected": {"expected", "tolerance"},
    "typed_in": _NUMBER,
}
_READ = {
    "read.number": {"what", "where", "excerpt", "observed"},
    "read.equation": {"what", "where", "equations"},
    "read.list": {"what", "where", "items"},
    "read.letters": {"renames"},
    "read.notes": {"notes"},
    "prose.disagrees": {"cell", "quoted", "excerpt", "observed"},
    "prose.reml": {"cell", "quoted", "excerpt", "observed"},
}
_NUMBERS = {
    "icc.checked": _CHECKED,
    "icc.reml": _NUMBER,
    "icc.inverted": _NUMBER,
    "icc.wrong": _NUMBER,
    "icc.unconditional_wrong": {"variable", "found"},
    "aic_change.checked": _CHECKED,
    "aic_change.nan": _NUMBER,
    "aic_change.sign": _NUMBER,
    "aic_change.reml": _NUMBER,
    "aic_change.wrong": _NUMBER,
    "residual_variance_change.checked": _CHECKED,
    "residual_variance_change.tau": _NUMBER,
    "residual_variance_change.sign": _NUMBER,
    "residual_variance_change.wrong": _NUMBER,
    "forecast.undefined": {"reason"},
    "forecast.checked": _CHECKED,
    "forecast.dropped_term": _NUMBER | {"term"},
    "forecast.random_effect": _NUMBER | {"group_id"},
    "forecast.wrong": _NUMBER,
}
_MODEL = {
    "final_model.checked": {"variable", "formula", "re_formula", "optimum_tolerance"},
    "final_model.missing": _NONE,
    "final_model.rules": {"reason"},
    "final_model.unusable": {"reason"},
    "final_model.read": {"columns"},
    "final_model.boundary": {"gap"},
    "final_model.reml": _NONE,
    "final_model.groups": {"n_groups", "expected_groups"},
    "final_model.rows": {"n_obs", "expected_rows"},
    "final_model.short": {"gap", "observed_llf"},
    "final_model.not_genuine": {"variable"},
    "final_model.passed": _NONE,
    "fixed_estimates.checked": {"variable", "tolerance"},
    "fixed_estimates.missing_terms": _TERMS,
    "fixed_estimates.extra_terms": _TERMS,
    "fixed_estimates.wrong_values": _TERMS,
    "fixed_estimates.ecf": _TERMS | {"credit"},
    "fixed_estimates.typed_in": _TERMS,
    "fixed_estimates.from_model": _NONE,
    "fixed_estimates.all_agree": {"count"},
    "effect_lists.checked": {"answers"},
    "effect_lists.fixed_missing": _TERMS,
    "effect_lists.fixed_extra": _TERMS,
    "effect_lists.random_missing": _TERMS,
    "effect_lists.random_extra": _TERMS,
    "equations.checked": {"variables"},
    "equations.checked_estimates": _CHECKED,
    "equations.same_omission": {"terms", "earlier"},
    "equations.matches": {"label"},
    "equations.matches_with_note": {"label"},
    "equations.differs": {"label"},
}
_ENGINE = {
    "judge.grader_failed": {"error"},
    "judge.no_check": _NONE,
    "judge.not_judged": {"reason"},
    "run.no_answers": _NONE,
    "run.no_answers_because": {"reason"},
    "run.cell_raised": {"cell", "error", "message"},
    "run.hint_data": _NONE,
    "run.hint_module": _NONE,
    "run.cell": {"cell"},
    "run.extra_cell": {"cell"},
    "run.cell_timeout": {"cell", "limit"},
    "run.deadline_before": {"cell", "limit"},
    "run.deadline_in": {"cell", "limit"},
    "run.extra_cell_failed": {"cell", "error", "message"},
    "run.not_stopped": {"label", "limit"},
    "run.kernel_died": {"label"},
    "run.kernel_not_started": {"reason", "log"},
    "run.lost_track": {"cell", "error"},
    "batch.hidden": _NONE,
    "batch.hidden_short": _NONE,
    "batch.astray": {"parts"},
    "batch.not_graded": _NONE,
    "batch.summary_hidden": {"seed"},
    "notebook.no_part": {"part"},
    "notebook.no_result": {"problem"},
}

#: Every key and the fields its sentence may use (the assignment's facts besides).
KEYS: Mapping[str, frozenset[str]] = MappingProxyType({
    **{f"common.{k}": frozenset(v) for k, v in _COMMON.items()},
    **{k: frozenset(v) for table in (_READ, _NUMBERS, _MODEL, _ENGINE) for k, v in table.items()},
    **{f"findings.{kind}": FINDING_FIELDS for kind in sorted(FINDING_KINDS)},
})  # fmt: skip
