"""``python -I -m grader.notebook.adjudicate ANSWERS DATA OUT [ASSIGNMENT]``: judge an answers file in
a fresh process (ASSIGNMENT: a bundled assignment's name, or a folder of one; the default one when
left out, as the command line of earlier releases did).

This is what the nbgrader test cells call. Running with ``-I`` in a new interpreter means nothing the
student's code did to the kernel's modules (monkeypatched ``math``, ``numpy``, ``grader``, …) applies
to the verdict. The result is a JSON file ``{"parts": {id: part}, "notes": [...], "error": ...}``.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import warnings
from pathlib import Path

from assignments import DEFAULT


def adjudicate(answers: Path, data: Path, out: Path, assignment: str) -> None:
    """Judge ``answers`` against the reference computed on ``data`` for ``assignment``; write the
    results to ``out``."""
    from grader.answers.submission import parse_answers
    from grader.assignment.assignment import load_assignment
    from grader.errors import GraderError
    from grader.judge.engine import judge
    from reference.data.files import load_data
    from reference.errors import HLMReferenceError

    try:
        loaded = load_assignment(assignment)
        parts, notes = judge(
            parse_answers(answers.read_bytes()[:8_000_000]),
            assignment=loaded,
            data=load_data(loaded.dataset, data),
        )
        doc: dict[str, object] = {
            "parts": {p.id: p.to_dict() for p in parts},
            "notes": list(notes),
            "error": None,
        }
    except (GraderError, HLMReferenceError, OSError) as exc:
        doc = {"parts": {}, "notes": [], "error": str(exc)}
    _write_atomic(out, json.dumps(doc, allow_nan=False))


def _write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)


def main(argv: list[str]) -> int:
    warnings.simplefilter("ignore")
    if len(argv) not in (3, 4):
        print("usage: python -I -m grader.notebook.adjudicate ANSWERS DATA OUT [ASSIGNMENT]",
              file=sys.stderr)  # fmt: skip
        return 2
    assignment = argv[3] if len(argv) == 4 else DEFAULT
    adjudicate(Path(argv[0]), Path(argv[1]), Path(argv[2]), assignment)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
