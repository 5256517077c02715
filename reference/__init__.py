"""Reference solution for the HLM assignment: data, model specs, robust fits, quantities, equations.

Pure statistics: this package never imports :mod:`grader`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from reference.errors import DataError, EquationError, FitError, HLMReferenceError, SpecError

# Public names and the module each lives in. They are imported on first use, so a command that
# only needs cached numbers (``hlm-grader reference`` with a warm cache) never pays for sympy,
# scipy or statsmodels.
_EXPORTS = {
    "FitCache": "cache", "cached_fit": "cache", "default_cache": "cache",
    "compare_combined": "compare", "compare_estimates": "compare", "compare_level1": "compare",
    "compare_level2": "compare",
    "bundled_data_path": "data", "data_hash": "data", "load_hsb": "data",
    "school_level_columns": "data",
    "Equation": "display",
    "ModelEquations": "equations", "model_equations": "equations",
    "EstimatedEquations": "estimates",
    "Comparison": "findings", "Finding": "findings",
    "Attempt": "fitting", "FitResult": "fitting", "loglike_at": "fitting",
    "robust_fit": "fitting", "statsmodels_default_fit": "fitting",
    "FORECAST_PROFILE": "quantities", "ReferenceSolution": "quantities",
    "forecast_from": "quantities", "forecast_interval": "quantities", "icc": "quantities",
    "relative_change": "quantities", "solve": "quantities",
    "from_tree": "serialize", "to_tree": "serialize",
    "SEED_FINAL": "spec", "UNCONDITIONAL": "spec", "FixedTerm": "spec", "ModelSpec": "spec",
    "ModelStructure": "spec", "make_spec": "spec", "parse_spec": "spec",
}  # fmt: skip

if TYPE_CHECKING:
    from reference.cache import FitCache, cached_fit, default_cache
    from reference.compare import (
        compare_combined,
        compare_estimates,
        compare_level1,
        compare_level2,
    )
    from reference.data import bundled_data_path, data_hash, load_hsb, school_level_columns
    from reference.display import Equation
    from reference.equations import ModelEquations, model_equations
    from reference.estimates import EstimatedEquations
    from reference.findings import Comparison, Finding
    from reference.fitting import (
        Attempt,
        FitResult,
        loglike_at,
        robust_fit,
        statsmodels_default_fit,
    )
    from reference.quantities import (
        FORECAST_PROFILE,
        ReferenceSolution,
        forecast_from,
        forecast_interval,
        icc,
        relative_change,
        solve,
    )
    from reference.serialize import from_tree, to_tree
    from reference.spec import (
        SEED_FINAL,
        UNCONDITIONAL,
        FixedTerm,
        ModelSpec,
        ModelStructure,
        make_spec,
        parse_spec,
    )


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'reference' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"reference.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "FORECAST_PROFILE",
    "SEED_FINAL",
    "UNCONDITIONAL",
    "Attempt",
    "Comparison",
    "DataError",
    "Equation",
    "EquationError",
    "EstimatedEquations",
    "Finding",
    "FitCache",
    "FitError",
    "FitResult",
    "FixedTerm",
    "HLMReferenceError",
    "ModelEquations",
    "ModelSpec",
    "ModelStructure",
    "ReferenceSolution",
    "SpecError",
    "bundled_data_path",
    "cached_fit",
    "compare_combined",
    "compare_estimates",
    "compare_level1",
    "compare_level2",
    "data_hash",
    "default_cache",
    "forecast_from",
    "forecast_interval",
    "from_tree",
    "icc",
    "load_hsb",
    "loglike_at",
    "make_spec",
    "model_equations",
    "parse_spec",
    "relative_change",
    "robust_fit",
    "school_level_columns",
    "solve",
    "statsmodels_default_fit",
    "to_tree",
]
