"""What an nbgrader autograder test cell calls: ``grade("icc")``.

The cell's last expression is the returned score, which nbgrader records as partial credit and
which displays the part's feedback (:mod:`grader.report.cell`). The answers are read in the kernel
(as data, see :mod:`grader.kernel.extract`) but judged in a fresh ``python -I`` process
(:mod:`grader.notebook.adjudicate`), and nothing is ever written to stderr or stdout: nbgrader
gives 0 points to a test cell with any stderr output.

All parts are judged together on the first call and the result is kept in the kernel's memory, keyed
by a hash of the answers and the data, so the ten test cells cost one judgement, not ten, and nothing
is left beside the student's notebook. (Student code runs in this same kernel before the test cells,
so this path can be fooled by a determined student; the authoritative grade is ``hlm-grader grade``,
which judges outside the kernel. See README.)
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import assignments
from grader.assignment.assignment import Assignment, assignment_here, load_assignment
from grader.errors import ConfigError
from grader.report.cell import PartScore, part_score

JUDGE_TIMEOUT = 600
# This kernel's judgements, by a hash of the answers and the data. In memory, not in a file: a
# self-check leaves nothing in the student's folder, and there is no cache file to forge.
_JUDGEMENTS: dict[str, dict[str, object]] = {}


def grade(
    part_id: str, namespace: dict[str, object] | None = None, assignment: str | None = None
) -> PartScore:
    """Judge one part of the running notebook; its score, which displays the part's feedback.

    The assignment is ``assignment`` if given, else the notebook's (see
    :func:`grader.assignment.assignment_here`: the course's setting, else the data file beside it).
    """
    results = judgement(namespace if namespace is not None else user_namespace(), assignment)
    parts = results.get("parts")
    part = parts.get(part_id) if isinstance(parts, dict) else None
    error = results.get("error")
    return part_score(part_id, part if isinstance(part, dict) else None, str(error or "") or None)


def judgement(namespace: dict[str, object], assignment: str | None = None) -> dict[str, object]:
    """Every part's result for the answers in ``namespace``, judged out of this process."""
    from grader.notebook.source import with_notebook_text  # Markdown and printed answers

    named = assignment or str(assignment_here())
    try:
        loaded = load_assignment(named)
    except ConfigError as exc:
        return {"parts": {}, "error": str(exc)}
    answers = with_notebook_text(_answers_json(namespace, loaded, named), namespace)
    return _results(answers, loaded, named)


def user_namespace() -> dict[str, object]:
    import __main__

    return vars(__main__)


def _answers_json(ns: dict[str, object], assignment: Assignment, named: str) -> bytes:
    from grader.answers.cell import kernel_source

    module: dict[str, object] = {"__name__": "_hlm_extract"}
    exec(compile(kernel_source(), "hlm_extract", "exec"), module)  # noqa: S102 - our own source
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "answers.json"
        module["extract"](ns, str(path), assignment.contract.names, named)  # type: ignore[operator]
        return path.read_bytes()


def _results(answers: bytes, assignment: Assignment, named: str) -> dict[str, object]:
    data = Path(assignment.data_file)  # where the notebook reads it, in this folder
    digest = hashlib.sha256(answers)
    digest.update(data.read_bytes() if data.is_file() else b"")
    digest.update(named.encode())
    key = digest.hexdigest()
    if key not in _JUDGEMENTS:
        with tempfile.TemporaryDirectory(prefix="hlm-judgement-") as tmp:
            out = Path(tmp) / "judgement.json"
            problem = _judge(answers, out, data, named)
            try:
                _JUDGEMENTS[key] = json.loads(out.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                said = assignment.grading.say("notebook.no_result", problem=problem)
                return {"parts": {}, "error": said}
    return _JUDGEMENTS[key]


def _judge(answers: bytes, out: Path, data: Path, assignment: str) -> str:
    """Run the judging process; on failure, say why (its stderr's last line), never on stderr."""
    with tempfile.TemporaryDirectory() as tmp:
        answers_path = Path(tmp) / "answers.json"
        answers_path.write_bytes(answers)
        command = [sys.executable, "-I", "-m", "grader.notebook.adjudicate", str(answers_path),
                   str(data.resolve()), str(out.resolve())]  # fmt: skip
        if assignment != assignments.DEFAULT:  # the default needs no word: as in earlier releases
            command.append(assignment)
        try:
            done = subprocess.run(command, capture_output=True, timeout=JUDGE_TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            return f" (judging took longer than {JUDGE_TIMEOUT} s)"
        except OSError as exc:
            return f" (the judging process could not start: {exc.strerror})"
    lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
    return f" ({lines[-1][:300]})" if done.returncode and lines else ""
