"""Reference solutions of two-level models of an assignment's data: data, model specs, robust fits,
quantities, equations.

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
    "FitCache": "fitting.cache", "cached_fit": "fitting.cache", "default_cache": "fitting.cache",
    "compare_combined": "compare.equations", "compare_estimates": "compare.equations", "compare_level1": "compare.equations",
    "compare_level2": "compare.equations",
    "Dataset": "data.dataset", "dataset_of": "data.dataset", "load_dataset": "data.description",
    "data_hash": "data.files", "load_data": "data.files", "school_level_columns": "data.files",
    "Equation": "equations.display",
    "ModelEquations": "equations.model", "model_equations": "equations.model",
    "EstimatedEquations": "equations.estimates",
    "Comparison": "compare.findings", "Finding": "compare.findings",
    "Attempt": "fitting.robust", "FitResult": "fitting.robust", "loglike_at": "fitting.robust",
    "robust_fit": "fitting.robust", "statsmodels_default_fit": "fitting.statsmodels_fits",
    "ReferenceSolution": "quantities",
    "forecast_from": "quantities", "forecast_interval": "quantities", "icc": "quantities",
    "relative_change": "quantities", "solve": "quantities",
    "from_tree": "equations.serialize", "to_tree": "equations.serialize",
    "FixedTerm": "model.structure", "ModelSpec": "model.spec", "ModelStructure": "model.structure",
    "make_spec": "model.spec", "parse_spec": "model.spec", "solution_spec": "model.spec",
    "unconditional": "model.spec",
}  # fmt: skip

if TYPE_CHECKING:
    from reference.compare.equations import (
        compare_combined,
        compare_estimates,
        compare_level1,
        compare_level2,
    )
    from reference.compare.findings import Comparison, Finding
    from reference.data.dataset import Dataset, dataset_of
    from reference.data.description import load_dataset
    from reference.data.files import data_hash, load_data, school_level_columns
    from reference.equations.display import Equation
    from reference.equations.estimates import EstimatedEquations
    from reference.equations.model import ModelEquations, model_equations
    from reference.equations.serialize import from_tree, to_tree
    from reference.fitting.cache import FitCache, cached_fit, default_cache
    from reference.fitting.robust import Attempt, FitResult, loglike_at, robust_fit
    from reference.fitting.statsmodels_fits import statsmodels_default_fit
    from reference.model.spec import (
        ModelSpec,
        make_spec,
        parse_spec,
        solution_spec,
        unconditional,
    )
    from reference.model.structure import FixedTerm, ModelStructure
    from reference.quantities import (
        ReferenceSolution,
        forecast_from,
        forecast_interval,
        icc,
        relative_change,
        solve,
    )


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'reference' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"reference.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "Attempt",
    "Comparison",
    "DataError",
    "Dataset",
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
    "cached_fit",
    "compare_combined",
    "compare_estimates",
    "compare_level1",
    "compare_level2",
    "data_hash",
    "dataset_of",
    "default_cache",
    "forecast_from",
    "forecast_interval",
    "from_tree",
    "icc",
    "load_data",
    "load_dataset",
    "loglike_at",
    "make_spec",
    "model_equations",
    "parse_spec",
    "relative_change",
    "robust_fit",
    "school_level_columns",
    "solution_spec",
    "solve",
    "statsmodels_default_fit",
    "to_tree",
    "unconditional",
]
