"""Reference solution for the HLM assignment: data, model specs, robust fits, quantities, equations.

Pure statistics: this package never imports :mod:`grader`.
"""

from __future__ import annotations

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
from reference.errors import DataError, EquationError, FitError, HLMReferenceError, SpecError
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
