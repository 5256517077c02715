"""The assignment's data: loading hsb12.sav as the assignment does, and perturbed copies."""

from __future__ import annotations

from reference.data.hsb import (
    GROUP,
    RESPONSE,
    bundled_data_path,
    data_hash,
    load_hsb,
    school_level_columns,
    student_level_columns,
)

__all__ = [
    "GROUP",
    "RESPONSE",
    "bundled_data_path",
    "data_hash",
    "load_hsb",
    "school_level_columns",
    "student_level_columns",
]
