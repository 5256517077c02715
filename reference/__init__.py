"""Reference solution for the HLM assignment: data, model specs, robust fits, quantities, equations.

Pure statistics: this package never imports :mod:`grader`.
"""

from __future__ import annotations

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
    "SEED_FINAL",
    "UNCONDITIONAL",
    "Comparison",
    "DataError",
    "Equation",
    "EquationError",
    "EstimatedEquations",
    "Finding",
    "FitError",
    "FixedTerm",
    "HLMReferenceError",
    "ModelEquations",
    "ModelSpec",
    "ModelStructure",
    "SpecError",
    "bundled_data_path",
    "compare_combined",
    "compare_estimates",
    "compare_level1",
    "compare_level2",
    "data_hash",
    "from_tree",
    "load_hsb",
    "make_spec",
    "model_equations",
    "parse_spec",
    "school_level_columns",
    "to_tree",
]
