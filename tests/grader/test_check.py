"""``check_notebook``'s sentences about failed cells, without a kernel."""

from __future__ import annotations

import pytest

from grader.check import cell_notes
from grader.run.execute import CellRun
from tests.hlm import HLM


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("FileNotFoundError", "[Errno 2] No such file or directory: '/Users/anna/hsb12.sav'"),
        # pyreadstat.read_sav and pandas.read_spss, the readers the assignment uses
        ("PyreadstatError", "File /Users/anna/Desktop/STAT 512/hsb12.sav does not exist!"),
        ("PyreadstatError", r"File C:\Users\anna\Downloads\hsb12.sav does not exist!"),
    ],
)
def test_a_data_path_from_the_students_computer_gets_the_relative_path_hint(
    name: str, message: str
) -> None:
    (note,) = cell_notes((CellRun(0, "error", name, message),), HLM)
    assert note.startswith(f"Cell 1 raised {name}")
    assert note.endswith(
        "Read the data with the relative path data/hsb12.sav, as the assignment does."
    )


def test_an_error_without_a_message_reads_as_a_sentence() -> None:
    # Was: "Cell 3 raised MemoryError: " (an empty message after the colon).
    assert cell_notes((CellRun(2, "error", "MemoryError", ""),), HLM) == (
        "Cell 3 raised MemoryError.",
    )


def test_other_pyreadstat_errors_get_no_path_hint() -> None:
    (note,) = cell_notes(
        (
            CellRun(
                2,
                "error",
                "PyreadstatError",
                "Invalid file, or file has unsupported features (hsb12.sav)",
            ),
        ),
        HLM,
    )
    assert "relative path" not in note


@pytest.mark.slow
def test_one_check_reads_the_notebook_once_and_locates_the_answers_once(monkeypatch) -> None:
    """Work once: the prefetch and the run share one reading of the file, and the report's
    summary facts come from the judgement's own reading of the answers."""
    from pathlib import Path

    import grader.check
    import grader.judge.engine
    import grader.run.execute
    from grader.answers.locate import locate
    from grader.run.notebook_file import read_notebook

    calls = {"read": 0, "locate": 0}

    def counted(function, key):  # type: ignore[no-untyped-def]
        def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
            calls[key] += 1
            return function(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(grader.check, "read_notebook", counted(read_notebook, "read"))
    monkeypatch.setattr(grader.run.execute, "read_notebook", counted(read_notebook, "read"))
    monkeypatch.setattr(grader.judge.engine, "locate", counted(locate, "locate"))
    notebook = Path(__file__).parents[1] / "fixtures" / "notebooks" / "seed_style.ipynb"
    report = grader.check.check_notebook(notebook, prefetch=False)
    assert calls == {"read": 1, "locate": 1}
    assert report.meta["final_model"]["formula"].startswith("mathach ~ ses + meanses")
