"""The hostile corpus manifest: each case's file, what it does, and what the grader must report.

A case's expectation is what a fair grader owes that student, written from the case's code, not
copied from the grader's output: where the one sentence saying what happened is (the report's
``error``, its ``notes``, or a part's feedback), a key phrase of it, and the status of every part
that can still be judged. Parts not listed must be ``missing``. The notebooks are built by
:mod:`tests.hostile.build_corpus`; two cases are made at test time (see :data:`MADE_AT_TEST_TIME`).

Most cases type ``icc = 0.1793`` (the ML ICC) before or after the hostile cell, so the report
shows whether the rest of the notebook was still judged.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

from tests.hostile.build_corpus import CANARY

Status = Literal["passed", "partial", "failed", "missing", "error"]
PARTS = (
    "icc", "final_model", "level_equations", "combined_equation", "effect_lists",
    "fixed_estimates", "combined_with_estimates", "aic_change", "residual_variance_change",
    "forecast",
)  # fmt: skip
#: Seconds for a case that runs away: enough for the cells before it, short enough for the suite.
RUNAWAY = 10.0


@dataclass(frozen=True, slots=True)
class Case:
    """One hostile or broken submission and the outcome it deserves.

    Attributes:
        name: the case's id (and its file's stem unless ``source`` names another file).
        does: what the notebook does, in a sentence.
        where: where the report says what happened: ``"error"``, ``"notes"`` or a part id.
        phrase: a key phrase of that sentence.
        judged: the status each judged part deserves; every other part is ``missing``.
        kernel: False when the file must be refused before any kernel starts.
        timeout: seconds the notebook may run (the grader's ``timeout``).
        hidden_data: grade against a perturbed copy of the data (``--hidden-data``).
        canaries: host paths the notebook tries to create; none may exist afterwards.
        source: the notebook's file stem, when several cases grade one file differently.
    """

    name: str
    does: str
    where: str
    phrase: str
    judged: Mapping[str, Status] = field(default_factory=lambda: MappingProxyType({}))
    kernel: bool = True
    timeout: float = 120.0
    hidden_data: bool = False
    canaries: tuple[str, ...] = ()
    source: str | None = None

    @property
    def file(self) -> str:
        return f"{self.source or self.name}.ipynb"

    @property
    def statuses(self) -> dict[str, Status]:
        return {part: self.judged.get(part, "missing") for part in PARTS}


def judged(**statuses: Status) -> Mapping[str, Status]:
    unknown = set(statuses) - set(PARTS)
    if unknown:
        raise ValueError(f"unknown parts {sorted(unknown)}")
    return MappingProxyType(statuses)


_PASSED: Status = "passed"
ALL_PASSED = judged(**dict.fromkeys(PARTS, _PASSED))
ICC_ONLY = judged(icc="passed")
FIT_PARTS = judged(icc="passed", final_model="passed", fixed_estimates="passed")
# The parts a notebook that fits the final model (lbfgs) gets without setting other answers.
FINAL_ONLY = judged(final_model="passed", fixed_estimates="passed")


def _with(base: Mapping[str, Status], **more: Status) -> Mapping[str, Status]:
    return judged(**{**base, **more})


BROKEN_FILES = (
    Case("invalid_json", "A transfer cut short: the JSON stops mid-way.", "error",
         "is not valid JSON", kernel=False),
    Case("binary", "A PNG image renamed to .ipynb.", "error", "is not a text file", kernel=False),
    Case("nbformat3", "A notebook saved by IPython 2 (nbformat 3, worksheets).", "error",
         "uses notebook format 3", kernel=False),
    Case("empty_file", "An upload of zero bytes.", "error", "is empty", kernel=False),
    Case("not_a_notebook", "A JSON file of answers, not a notebook.", "error",
         "not a Jupyter notebook", kernel=False),
    Case("malformed_cell", "A cell whose source is a number.", "error", "malformed cell 2",
         kernel=False),
    Case("zero_cells", "A notebook with no cells at all.", "notes", "has no cells"),
    Case("no_metadata", "Hand-made JSON: no metadata on the notebook or its cell.", "notes",
         "names no kernel", ICC_ONLY),
    Case("no_kernelspec", "No kernelspec in the metadata.", "notes", "names no kernel",
         ICC_ONLY),
    Case("unknown_kernel", "Asks for a conda environment's kernel that does not exist here.",
         "notes", "asks for the kernel 'conda-env-stats-py'", ICC_ONLY),
    Case("r_kernel", "Written for the R kernel (IRkernel), in R.", "notes",
         "written for the R kernel"),
)  # fmt: skip

RUNAWAY_CODE = (
    Case("infinite_loop", "`while True: pass` after the ICC.", "error", "time limit in cell 2",
         ICC_ONLY, timeout=RUNAWAY),
    Case("ignores_interrupt", "Ignores SIGINT, then loops forever.", "error",
         "did not stop when interrupted", timeout=RUNAWAY),
    Case("print_100mb", "Prints 100 MB in 1 MB writes, then 100 MB in one print.", "icc",
         "agrees with the reference", ICC_ONLY, timeout=60),
    Case("memory_bomb", "Allocates 100 MB blocks until memory runs out.", "notes",
         "raised MemoryError", ICC_ONLY, timeout=60),
    Case("big_file", "Writes a 300 MB file into its working directory.", "notes",
         "File too large", ICC_ONLY, timeout=60),
    Case("os_exit", "Calls os._exit(1).", "error", "kernel died while running cell 2",
         timeout=60),
    Case("segfault", "Reads address 0 with ctypes.", "error", "kernel died while running cell 2",
         timeout=60),
    Case("sys_exit", "Calls sys.exit() before the ICC.", "notes", "raised SystemExit", ICC_ONLY,
         timeout=60),
    Case("keyboard_interrupt", "Raises KeyboardInterrupt before the ICC.", "notes",
         "raised KeyboardInterrupt", ICC_ONLY, timeout=60),
    # IPython takes several seconds to format a 3000-frame traceback, hence the longer timeout.
    Case("deep_recursion", "Recurses without end before the ICC.", "notes",
         "raised RecursionError", ICC_ONLY),
    Case("recursion_limit_raised", "Lifts the recursion limit and recurses through map().",
         "error", "kernel died while running cell 2", timeout=60),
    Case("input_call", "Calls input() before the ICC.", "notes",
         "does not support input requests", ICC_ONLY, timeout=60),
    Case("orphan_process", "Starts `sleep` in a new session, meant to outlive the run.", "icc",
         "agrees with the reference", ICC_ONLY, timeout=60),
)  # fmt: skip

TAMPERING = (
    Case("patch_isclose", "Makes math.isclose and numpy.isclose/allclose always true; wrong ICC.",
         "icc", "is not the ICC", judged(icc="failed")),
    Case("patch_grader", "Patches grader.tolerance.within, grader.judge.engine.judge, "
         "grader.answers.submission.parse_answers and reference.quantities.solve; wrong ICC.", "icc",
         "is not the ICC", judged(icc="failed")),
    Case("patch_statsmodels", "Stops lbfgs after 3 iterations, then patches MixedLMResults.llf "
         "to claim 1e6.", "final_model", "not a point of its likelihood",
         judged(icc="passed", final_model="partial", fixed_estimates="partial",
                aic_change="failed")),
    Case("patch_nbgrader_grade", "Replaces grader.notebook.grade (what nbgrader's test "
         "cells call) by one returning 5 points; wrong ICC.", "icc", "is not the ICC",
         judged(icc="failed")),
    Case("redefine_names", "Rebinds print, open, json, float, type, str, exec, globals, ... "
         "to None.", "icc", "agrees with the reference", ICC_ONLY),
    Case("clobber_builtins", "Sets `__builtins__ = {}` after the ICC, so no later cell can "
         "import anything.", "error", "extra cell 1 failed"),
    Case("overwrite_data", "Overwrites data/hsb12.sav and tries the bundled data file.", "icc",
         "agrees with the reference", ICC_ONLY),
    Case("write_outside", "Writes canaries to the host's /tmp, the run's parent, the repository "
         "and the real home; overwrites the other corpus notebooks and the bundled data.", "icc",
         "agrees with the reference", ICC_ONLY,
         canaries=(f"{CANARY}-write-outside",)),
    Case("steal_secrets", "Reads the environment, /proc/*/environ and the host's /tmp for a "
         "secret and puts what it finds in its answers.", "icc", "('stolen: ')",
         judged(icc="failed", forecast="failed")),
    Case("answers_symlink", "Leaves answers.json as a symlink to a host path.", "icc",
         "agrees with the reference", ICC_ONLY, canaries=(f"{CANARY}-symlink",)),
    Case("answers_fifo", "Leaves answers.json as a FIFO, so opening it blocks.", "icc",
         "agrees with the reference", ICC_ONLY, timeout=RUNAWAY),
    Case("garbage_answers", "Patches json.dump so the extraction writes invalid JSON.", "error",
         "could not be read back"),
    Case("oversized_answers", "Patches json.dump so the extraction writes 6 MB.", "notes",
         "larger than 5,000,000 bytes"),
    Case("forged_answers", "Patches json.dump to put typed-in answers in place of its own "
         "(wrong) ICC; graded on hidden data.", "icc", "looks typed in",
         judged(icc="failed", forecast="error"), hidden_data=True),
    Case("forged_malformed_answers", "Patches json.dump to write answer records of the wrong "
         "JSON types (a list whose items are true, an unhashable 'special').", "icc",
         "holds a list where a number was expected",
         judged(icc="failed", effect_lists="error", forecast="failed")),
    Case("lying_objects", "Answers are objects whose __float__, __eq__, __repr__, __str__, "
         "__class__ lie or raise, a float subclass and a fake numpy.float64.", "aic_change",
         "holds a __main__.FloatSubclass",
         _with(FINAL_ONLY, icc="failed", level_equations="failed", effect_lists="failed",
               fixed_estimates="failed", aic_change="failed", residual_variance_change="failed",
               forecast="failed")),
    Case("sympy_code_name", "Equations with a Symbol named `__import__('os').system(...)`, "
         "and the same code as strings.", "level_equations", "is not part of the notation",
         _with(FINAL_ONLY, icc="failed", level_equations="failed", combined_equation="failed",
               effect_lists="failed"),
         canaries=(f"{CANARY}-sympy", f"{CANARY}-names", f"{CANARY}-string")),
    Case("enormous_answers", "A million 1 MB names, ten million digits, an 80 MB array, a "
         "20,000-term equation, a list nested 100,000 deep and one containing itself.",
         "level_equations", "more than 5000 parts",
         _with(FINAL_ONLY, icc="failed", level_equations="failed", combined_equation="failed",
               effect_lists="failed", forecast="failed")),
    Case("exponential_answer", "An answer repeating one list 200 times at each of 7 levels.",
         "icc", "agrees with the reference", _with(ICC_ONLY, effect_lists="error"),
         timeout=60),
    Case("markup_and_surrogates", "Answers and an error message holding rich markup and a "
         "lone surrogate.", "icc", "('[/bold] [/]')",
         judged(icc="failed", effect_lists="error", forecast="failed")),
)  # fmt: skip

HARD_CODED = (
    # lbfgs alone stops short of this random-slope model's optimum on the copy of HIDDEN_SEED:
    # partial credit for the fit itself, whatever was typed in.
    Case("hardcoded", "Fits the final model (lbfgs only) but types in the ICC, estimates, AIC "
         "change, variance change and forecast; graded on hidden data.", "icc", "looks typed in",
         judged(icc="failed", final_model="partial", fixed_estimates="failed",
                aic_change="failed", residual_variance_change="failed", forecast="failed"),
         hidden_data=True),
    Case("hardcoded_visible", "The same notebook on the bundled data: typed-in numbers pass "
         "there, which is why hidden data exists.", "icc", "agrees with the reference",
         judged(icc="passed", final_model="passed", fixed_estimates="passed",
                aic_change="passed", residual_variance_change="passed", forecast="passed"),
         source="hardcoded"),
    Case("computed_control", "Computes every answer (a random-intercept model, default fit); "
         "graded on hidden data.", "forecast", "agrees with the reference",
         ALL_PASSED, hidden_data=True),
)  # fmt: skip

MISTAKES = (
    Case("absolute_data_path", "Reads the data from the student's own disk (macOS and Windows "
         "paths).", "notes", "relative path data/hsb12.sav", ICC_ONLY),
    Case("wrong_types", "A string, None, a Series, an array, a string list and an equation as "
         "text.", "aic_change", "holds None where a number was expected",
         _with(FINAL_ONLY, icc="passed", level_equations="failed", effect_lists="failed",
               fixed_estimates="failed", aic_change="failed",
               # a one-row Series holding the right value is that value (as predict() returns)
               residual_variance_change="passed", forecast="failed")),
    Case("numpy_types", "numpy scalars, a 0-d array, a Series and an array of names.",
         "aic_change", "agrees with the reference",
         _with(FIT_PARTS, effect_lists="partial", aic_change="passed",
               residual_variance_change="passed")),
    Case("nan_inf", "nan and ±inf answers.", "forecast", "is -inf, not a finite number",
         _with(FINAL_ONLY, icc="failed", fixed_estimates="failed", aic_change="failed",
               residual_variance_change="failed", forecast="failed")),
    Case("no_outputs", "Saved without outputs (as every corpus notebook is).", "final_model",
         "reached the optimum", FIT_PARTS),
    Case("mid_execution", "Saved while a cell was running: counts set, outputs missing, "
         "a busy cell's timing metadata.", "final_model", "reached the optimum", FIT_PARTS),
    Case("full_marks", "The solution, fitted with lbfgs: the control in every batch.",
         "final_model", "reached the optimum", ALL_PASSED),
)  # fmt: skip

#: Cases written into tmp_path by the test (see build_corpus.write_huge_outputs and
#: write_non_utf8_name), not committed.
MADE_AT_TEST_TIME = (
    Case("huge_outputs", "50 MB of stored outputs.", "error", "more than the 20 MB",
         kernel=False),
    Case("non_utf8_name", "A file name that is not UTF-8 (Latin-1 hlm-élève.ipynb).", "icc",
         "agrees with the reference", ICC_ONLY, timeout=60),
)  # fmt: skip

COMMITTED: tuple[Case, ...] = (*BROKEN_FILES, *RUNAWAY_CODE, *TAMPERING, *HARD_CODED, *MISTAKES)
CASES: tuple[Case, ...] = (*COMMITTED, *MADE_AT_TEST_TIME)
BY_NAME: dict[str, Case] = {case.name: case for case in CASES}
