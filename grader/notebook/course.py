"""A ready nbgrader course for an assignment: ``nbgrader_config.py`` and ``source/<name>/``.

``source/<name>/`` (``source/hlm/`` for the HLM assignment) holds the notebook, the data and
hlm-grader itself as a wheel: nbgrader copies all three into the students' ``release/<name>/``,
and the notebook tells students how to install the wheel for the self-check. The course's config
names the assignment (``HLM_GRADER_ASSIGNMENT``), so the hidden test cells and the feedback pages
know which one they grade.

After :func:`init_course` the standard nbgrader commands work unedited from the course root
(``generate_assignment``, ``autograde``, ``generate_feedback``, ``export``). The configuration
deals with the nbgrader 0.9 behaviours that otherwise cost students points silently:

* any stderr output in an autograder test cell scores 0, so :class:`IgnorePattern` (which does
  nothing unless ``enabled``) drops warnings and log records;
* deleted test cells are only restored with ``OverwriteCells.add_missing_cells``;
* feedback shows hidden tests' code unless ``ClearHiddenTests`` runs when it is generated;
* files a grader leaves beside a notebook (the judgement cache of earlier versions, answer
  files) must never be copied into the autograded or feedback folders — a student could otherwise
  submit a forged one.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import assignments
from grader.assignment.assignment import ENV_VAR, Assignment, load_assignment
from grader.assignment.contract import ANSWERS_FILE
from grader.errors import GraderError
from grader.notebook.wheel import installed_version, wheel_filename, write_wheel

KERNEL = "python3"
# The judgement cache that grader.notebook.nbgrader_cell once wrote beside the notebook it graded
# (it keeps judgements in memory now); students' folders may still hold one.
JUDGEMENT_CACHE = ".hlm-judgement-*"
# stderr outputs IgnorePattern drops: Python warnings ("ConvergenceWarning: ...") and records of
# the logging module's default format at levels below ERROR.
IGNORE_PATTERN = r"(?m)\w*Warning: |^(?:DEBUG|INFO|WARNING):"
FEEDBACK_PREPROCESSORS = (
    "nbgrader.preprocessors.GetGrades",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
)
# nbgrader's own steps that clean a submission before it runs, with our repair before
# OverwriteCells (whose add_missing_cells fails on a notebook not started from the release).
SANITIZE_PREPROCESSORS = (
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.DeduplicateIds",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "grader.notebook.repair.RestoreGradeCells",
    "nbgrader.preprocessors.OverwriteCells",
    "nbgrader.preprocessors.CheckCellMetadata",
)
FEEDBACK_EXPORTER = "grader.report.nbgrader_page.FeedbackExporter"
IGNORED_FILES = (".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", JUDGEMENT_CACHE,
                 ANSWERS_FILE)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Course:
    """The files of an initialised course of one assignment, relative to ``root``."""

    root: Path
    assignment: Assignment

    @property
    def name(self) -> str:
        """The assignment's nbgrader name (and the course's id): its folder's name."""
        return self.assignment.name

    @property
    def config_file(self) -> Path:
        return self.root / "nbgrader_config.py"

    @property
    def source(self) -> Path:
        return self.root / "source" / self.name

    @property
    def notebook(self) -> Path:
        return self.source / self.assignment.notebook

    @property
    def data(self) -> Path:
        return self.source / self.assignment.data_file

    @property
    def wheel(self) -> Path:
        """hlm-grader for the students: ``pip install`` it, then ``hlm-grader check`` their notebook."""
        return self.source / wheel_filename(installed_version())

    @property
    def files(self) -> tuple[Path, ...]:
        return (self.config_file, self.notebook, self.data, self.wheel)


def init_course(
    root: str | Path,
    *,
    assignment: Assignment | str | Path = assignments.DEFAULT,
    force: bool = False,
    timeout: int = 300,
) -> Course:
    """Create an nbgrader course for an assignment in ``root``.

    Args:
        root: the course directory; created if missing.
        assignment: the assignment (loaded, or a bundled one's name, or a folder of one).
        force: write into a non-empty ``root``, replacing the files this function writes (other
            files, such as the gradebook and submissions, are kept).
        timeout: seconds each notebook cell may run when autograding.

    Raises:
        GraderError: ``root`` is a file, or a non-empty directory and ``force`` is false.
        ConfigError: no such assignment, or its files are malformed.
    """
    chosen = load_assignment(assignment)
    course = Course(Path(root).resolve(), chosen)
    _check_target(course.root, force=force)
    course.data.parent.mkdir(parents=True, exist_ok=True)
    named = str(chosen.folder) if isinstance(assignment, Path) else chosen.name
    course.config_file.write_text(nbgrader_config(timeout=timeout, assignment=chosen,
                                                  named=named), encoding="utf-8")  # fmt: skip
    for found, target in ((chosen.folder / chosen.notebook, course.notebook),
                          (chosen.bundled_data, course.data)):  # fmt: skip
        shutil.copyfile(found, target)
    for old in course.source.glob(wheel_filename("*")):
        old.unlink()  # --force: one hlm-grader in the release, the one installed now
    write_wheel(course.source)
    return course


def _check_target(root: Path, *, force: bool) -> None:
    if root.exists() and not root.is_dir():
        raise GraderError(f"{root} is a file; give a new or empty directory for the course.")
    if root.is_dir() and any(root.iterdir()) and not force:
        raise GraderError(
            f"{root} is not empty; choose a new directory, or pass --force to rewrite the "
            "course's config and source notebook there (gradebook and submissions are kept)."
        )


def nbgrader_config(*, timeout: int = 300, assignment: Assignment, named: str) -> str:
    """The text of the course's ``nbgrader_config.py`` for ``assignment``, which the grader's
    code in nbgrader's processes and kernels finds as ``named`` (a name, or its folder)."""
    if timeout <= 0:
        raise GraderError(f"the cell timeout must be a positive number of seconds; got {timeout}.")
    ignored = ", ".join(repr(p) for p in IGNORED_FILES)
    feedback = ", ".join(repr(p) for p in FEEDBACK_PREPROCESSORS)
    sanitize = ", ".join(repr(p) for p in SANITIZE_PREPROCESSORS)
    return f'''\
"""nbgrader configuration of the course of {assignment.title!r} (written by `hlm-grader course init`)."""

import os

c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file

# The assignment the grader's code grades, in nbgrader and in the kernels it starts (the hidden
# test cells' grade(...)) and in the feedback pages: a bundled assignment's name, or its folder.
os.environ[{ENV_VAR!r}] = {named!r}

c.CourseDirectory.course_id = {assignment.name!r}
# The course root is this file's folder, so the course can be moved or copied as a whole.
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
# Never copy the grader's judgement cache or answer files between folders: a submitted one
# would otherwise be trusted when autograding, and would leak into students' feedback.
c.CourseDirectory.ignore = [{ignored}]

# Seconds per cell: the final model is fitted with several optimizers, and the first test cell
# judges every part. An infinite loop is interrupted after this long; later cells still run.
c.ExecutePreprocessor.timeout = {timeout}
c.ExecutePreprocessor.kernel_name = {KERNEL!r}

# Any stderr output in a test cell scores 0. Test cells themselves never write to stderr, so
# drop warnings and log records that surface there (e.g. a library warning raised late).
c.IgnorePattern.enabled = True
c.IgnorePattern.pattern = {IGNORE_PATTERN!r}

# Restore test cells a student deleted (edited ones are restored from the gradebook anyway).
c.OverwriteCells.add_missing_cells = True

# Feedback shows each test cell's output (the part's feedback), not its hidden grading code.
c.GenerateFeedback.preprocessors = [{feedback}]

# A submission not started from the release (or missing grade cells) gets them back before
# nbgrader's checks, so it is graded instead of dropped (grader/notebook/repair.py).
c.Autograde.sanitize_preprocessors = [{sanitize}]

# Feedback pages name each part in their score list and show its feedback without an Out[n]
# prompt: nbgrader's feedback template, extended (grader/report/nbgrader_page.py).
c.GenerateFeedback.exporter_class = {FEEDBACK_EXPORTER!r}
'''
