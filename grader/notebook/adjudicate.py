"""``python -I -m grader.notebook.adjudicate ANSWERS DATA OUT``: judge an answers file in a fresh process.

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


def adjudicate(answers: Path, data: Path, out: Path) -> None:
    """Judge ``answers`` against the reference computed on ``data``; write the results to ``out``."""
    from grader.answers.submission import parse_answers
    from grader.assignment.config import load_config
    from grader.errors import GraderError
    from grader.judge.engine import judge
    from reference.data.hsb import load_hsb
    from reference.errors import HLMReferenceError

    try:
        config = load_config()
        parts, notes = judge(
            parse_answers(answers.read_bytes()[:8_000_000]),
            config=config,
            data=load_hsb(data),
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
    if len(argv) != 3:
        print("usage: python -I -m grader.notebook.adjudicate ANSWERS DATA OUT", file=sys.stderr)
        return 2
    adjudicate(Path(argv[0]), Path(argv[1]), Path(argv[2]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
