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

from grader.assignment.contract import CONTRACT
from grader.report.cell import PartScore, part_score

DATA = Path("data") / "hsb12.sav"
JUDGE_TIMEOUT = 600
# This kernel's judgements, by a hash of the answers and the data. In memory, not in a file: a
# self-check leaves nothing in the student's folder, and there is no cache file to forge.
_JUDGEMENTS: dict[str, dict[str, object]] = {}


def grade(part_id: str, namespace: dict[str, object] | None = None) -> PartScore:
    """Judge one part of the running notebook; its score, which displays the part's feedback."""
    results = judgement(namespace if namespace is not None else user_namespace())
    parts = results.get("parts")
    part = parts.get(part_id) if isinstance(parts, dict) else None
    error = results.get("error")
    return part_score(part_id, part if isinstance(part, dict) else None, str(error or "") or None)


def judgement(namespace: dict[str, object]) -> dict[str, object]:
    """Every part's result for the answers in ``namespace``, judged out of this process."""
    from grader.notebook.source import with_notebook_text  # Markdown and printed answers

    return _results(with_notebook_text(_answers_json(namespace), namespace))


def user_namespace() -> dict[str, object]:
    import __main__

    return vars(__main__)


def _answers_json(ns: dict[str, object]) -> bytes:
    from grader.answers.cell import kernel_source

    module: dict[str, object] = {"__name__": "_hlm_extract"}
    exec(compile(kernel_source(), "hlm_extract", "exec"), module)  # noqa: S102 - our own source
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "answers.json"
        module["extract"](ns, str(path), [a.name for a in CONTRACT])  # type: ignore[operator]
        return path.read_bytes()


def _results(answers: bytes) -> dict[str, object]:
    digest = hashlib.sha256(answers)
    digest.update(DATA.read_bytes() if DATA.is_file() else b"")
    key = digest.hexdigest()
    if key not in _JUDGEMENTS:
        with tempfile.TemporaryDirectory(prefix="hlm-judgement-") as tmp:
            out = Path(tmp) / "judgement.json"
            problem = _judge(answers, out)
            try:
                _JUDGEMENTS[key] = json.loads(out.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                return {"parts": {}, "error": f"the grader produced no result{problem}"}
    return _JUDGEMENTS[key]


def _judge(answers: bytes, out: Path) -> str:
    """Run the judging process; on failure, say why (its stderr's last line), never on stderr."""
    with tempfile.TemporaryDirectory() as tmp:
        answers_path = Path(tmp) / "answers.json"
        answers_path.write_bytes(answers)
        command = [sys.executable, "-I", "-m", "grader.notebook.adjudicate", str(answers_path),
                   str(DATA.resolve()), str(out.resolve())]  # fmt: skip
        try:
            done = subprocess.run(command, capture_output=True, timeout=JUDGE_TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            return f" (judging took longer than {JUDGE_TIMEOUT} s)"
        except OSError as exc:
            return f" (the judging process could not start: {exc.strerror})"
    lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
    return f" ({lines[-1][:300]})" if done.returncode and lines else ""
