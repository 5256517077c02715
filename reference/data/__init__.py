"""An assignment's data: its description (:class:`Dataset`), the file read as the notebook reads
it, and perturbed copies for hidden-data grading."""

from __future__ import annotations

from reference.data.dataset import Dataset, dataset_of, with_dataset
from reference.data.description import load_dataset
from reference.data.files import (
    bundled_data_path,
    data_hash,
    load_data,
    predictor_columns,
    school_level_columns,
    student_level_columns,
)

__all__ = [
    "Dataset",
    "bundled_data_path",
    "data_hash",
    "dataset_of",
    "load_data",
    "load_dataset",
    "predictor_columns",
    "school_level_columns",
    "student_level_columns",
    "with_dataset",
]
