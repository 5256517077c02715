"""The data a class is graded on: the assignment's own file, or with ``--hidden-data`` a perturbed
copy whose seed is kept in the output folder so a resumed run grades on the same copy; and the
reference fits every report needs, made once before the workers start."""

from __future__ import annotations

import json
import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from grader.assignment.assignment import Assignment
from grader.batch.outputs import atomic_write

STATE = "batch.json"  # the run's data choice, so a resumed run grades on the same data


@contextmanager
def run_data(
    out: Path, assignment: Assignment, *, hidden: bool, seed: int | None, force: bool
) -> Iterator[tuple[Path | None, int | None]]:
    """The data file of the run (None: the bundled one) and its hidden-data seed."""
    if not hidden:
        atomic_write(out / STATE, json.dumps({"hidden_seed": None}))
        yield None, None
        return
    from reference.data.perturb import recipe, write_perturbed

    recipe(assignment.dataset)  # an assignment without a recipe says so before anything runs
    if seed is None and not force:
        seed = _stored_seed(out)
    seed = seed if seed is not None else secrets.randbelow(2**31)
    atomic_write(out / STATE, json.dumps({"hidden_seed": seed}))
    with tempfile.TemporaryDirectory(prefix="hlm-grader-hidden-") as tmp:
        target = Path(tmp) / Path(assignment.data_file).name
        yield write_perturbed(target, seed, assignment.dataset), seed


def _stored_seed(out: Path) -> int | None:
    try:
        seed = json.loads((out / STATE).read_text(encoding="utf-8")).get("hidden_seed")
    except (OSError, ValueError, AttributeError):
        return None
    return seed if isinstance(seed, int) and not isinstance(seed, bool) else None


def warm_reference(assignment: Assignment, data_file: Path | None) -> pd.DataFrame:
    # Every report needs the unconditional fits: fit them once here, before the workers start,
    # rather than in every worker at once (they then read them from the disk cache).
    from reference.data.files import load_data
    from reference.fitting.cache import cached_fit
    from reference.model.spec import unconditional

    data = load_data(assignment.dataset, data_file)
    empty = unconditional(assignment.dataset)
    for spec in (empty, empty.with_reml(True)):
        cached_fit(spec, data)
    return data


def data_digest(data: pd.DataFrame) -> str:
    from reference.data.files import data_hash

    return data_hash(data)
