"""Reference solution for the HLM assignment: data, model specs, robust fits, quantities, equations.

Pure statistics: this package never imports :mod:`grader`.
"""

from __future__ import annotations

from reference.data import bundled_data_path, data_hash, load_hsb, school_level_columns
from reference.errors import DataError, EquationError, FitError, HLMReferenceError, SpecError
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
    "DataError",
    "EquationError",
    "FitError",
    "FixedTerm",
    "HLMReferenceError",
    "ModelSpec",
    "ModelStructure",
    "SpecError",
    "bundled_data_path",
    "data_hash",
    "load_hsb",
    "make_spec",
    "parse_spec",
    "school_level_columns",
]
