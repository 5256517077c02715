"""Fitting the reference models while the student's notebook is still running.

The reference needs the unconditional model (ML and REML) and the student's own final model. The
first two never depend on the student, and the final model's formula can usually be read from the
notebook's source before it runs: a literal string passed to ``mixedlm``. Fitting them in a separate
process while the kernel works means that, on a machine with a free core, the robust re-fit of a
model nobody has fitted before adds almost nothing to the student's wait. Results land in the disk
cache, where the judge finds them; a guess that turns out wrong only costs idle CPU.

The notebook's source is only *parsed* (``ast``), never executed, and every formula found goes
through :func:`reference.model.spec.make_spec`'s token check before any formula engine sees it.
"""

from __future__ import annotations

import ast
import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from reference.data.dataset import Dataset
from reference.errors import HLMReferenceError
from reference.model.spec import ModelSpec, make_spec, unconditional

MAX_GUESSES = 4
_MIXEDLM_NAMES = {"mixedlm", "from_formula"}


def guess_specs(sources: list[str], response: str) -> list[ModelSpec]:
    """ML specs of the ``mixedlm("...", re_formula="...")`` calls with literal formulas of the
    response (other than the unconditional model's, which is always fitted).

    >>> guess_specs(['m = smf.mixedlm("mathach ~ ses + meanses + sector", df, '
    ...              'groups=df["school"], re_formula="~ses").fit()'], "mathach")
    [ModelSpec(formula='mathach ~ ses + meanses + sector', re_formula='~ses', reml=False, derived=(), independent=())]
    """
    found: dict[ModelSpec, None] = {}
    empty = ModelSpec(f"{response} ~ 1", "1")
    for source in sources:
        for call in _calls(source):
            spec = _spec_of(call)
            if spec is not None and spec.response == response and spec != empty:
                found[spec] = None
    return list(found)[-MAX_GUESSES:]


def _calls(source: str) -> list[ast.Call]:
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []  # cells with IPython magics or broken code: no guess
    return [
        node for node in ast.walk(tree)
        if isinstance(node, ast.Call) and _callee(node.func) in _MIXEDLM_NAMES
    ]  # fmt: skip


def _callee(func: ast.expr) -> str | None:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else None


def _spec_of(call: ast.Call) -> ModelSpec | None:
    formula = _literal(call.args[0]) if call.args else _keyword(call, "formula")
    re_formula = _keyword(call, "re_formula")
    if formula is None:
        return None
    try:
        return make_spec(formula, re_formula or "1")
    except HLMReferenceError:
        return None


def _keyword(call: ast.Call, name: str) -> str | None:
    return next((_literal(k.value) for k in call.keywords if k.arg == name), None)


def _literal(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _fit_all(specs: list[ModelSpec], assignment: str, data_file: str) -> None:
    """Worker: fit (and so cache) every spec; a spec that fails is simply skipped."""
    import warnings

    from reference.data.files import load_data
    from reference.fitting.cache import cached_fit

    warnings.simplefilter("ignore")
    data = load_data(Path(assignment), data_file)
    for spec in specs:
        try:
            cached_fit(spec, data)
        except (HLMReferenceError, ValueError, ArithmeticError):
            continue


class Prefetch:
    """A background process fitting the reference models; ``wait()`` before judging."""

    def __init__(self, sources: list[str], data_file: Path, dataset: Dataset) -> None:
        empty = unconditional(dataset)
        specs = [empty, empty.with_reml(True), *guess_specs(sources, dataset.response)]
        context = multiprocessing.get_context("spawn")  # no copy of the grader's state or threads
        self._pool = ProcessPoolExecutor(max_workers=1, mp_context=context)
        self._future: Future[None] = self._pool.submit(
            _fit_all, specs, str(dataset.folder), str(data_file)
        )

    def wait(self, timeout: float = 120.0) -> None:
        """Let the fits finish (they would otherwise be repeated), then stop the process."""
        try:
            self._future.result(timeout=timeout)
        except Exception:  # noqa: S110 - a failed prefetch only means the judge fits it itself
            pass
        finally:
            self._pool.shutdown(wait=False, cancel_futures=True)
