"""Running notebooks: whatever a notebook does, the run ends with a result saying what happened."""

from __future__ import annotations

import asyncio
import hashlib
import resource
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

import grader.run.client
import grader.run.execute
from grader.errors import ExecutionError, NotebookError
from grader.run.execute import ExecutionResult, run_notebook
from grader.run.sandbox import KernelLaunch
from tests.hlm import CONFIG

PYTHON3 = {"name": "python3", "display_name": "Python 3", "language": "python"}
DATA = b"not really SPSS, but the notebook only needs its bytes\n"
DATA_PATH = "data/hsb12.sav"  # where the HSB notebook reads its data
WRITE_X = "open('answers.json', 'w').write(repr(x))"
slow = pytest.mark.slow


@pytest.fixture
def data_file(tmp_path: Path) -> Path:
    path = tmp_path / "source" / "hsb12.sav"
    path.parent.mkdir()
    path.write_bytes(DATA)
    return path


def notebook(tmp_path: Path, *cells: str | nbformat.NotebookNode) -> Path:
    nodes = [new_code_cell(c) if isinstance(c, str) else c for c in cells]
    path = tmp_path / "submission.ipynb"
    nbformat.write(new_notebook(cells=nodes, metadata={"kernelspec": PYTHON3}), path)
    return path


def run(tmp_path: Path, data_file: Path, cells: Sequence[str], **kwargs: Any) -> ExecutionResult:
    kwargs.setdefault("artifacts", ["answers.json"])
    return run_notebook(
        notebook(tmp_path, *cells),
        data_file=data_file,
        data_path=DATA_PATH,
        say=CONFIG.say,
        **kwargs,
    )


def statuses(result: ExecutionResult) -> list[tuple[str, str | None]]:
    return [(cell.status, cell.error_name) for cell in result.cells]


@slow
def test_a_notebook_runs_and_the_extra_cells_file_comes_back(
    tmp_path: Path, data_file: Path
) -> None:
    path = notebook(
        tmp_path,
        new_markdown_cell("# Answers"),
        "raw = open('data/hsb12.sav', 'rb').read()",
        "x = len(raw)\nprint('read', x)",
        "import os\nos.chdir(os.path.expanduser('~'))",  # the answers must still land in the cwd
    )
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    result = run_notebook(
        path,
        data_file=data_file,
        data_path=DATA_PATH,
        say=CONFIG.say,
        extra_cells=[WRITE_X],
        artifacts=["answers.json", "other.json"],
    )
    assert result.error is None and not result.timed_out and not result.kernel_died
    assert [(c.index, c.status) for c in result.cells] == [(1, "ok"), (2, "ok"), (3, "ok")]
    assert [(c.index, c.status) for c in result.extra_cells] == [(0, "ok")]
    assert result.artifacts == {"answers.json": str(len(DATA)).encode()}
    assert result.notes == ()
    assert result.notebook is not None and len(result.notebook.cells) == 4  # extra cell left out
    assert result.notebook.cells[2].outputs[0].text == f"read {len(DATA)}\n"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


@slow
def test_a_notebook_overwriting_its_copy_leaves_the_original_unchanged(
    tmp_path: Path, data_file: Path
) -> None:
    path = notebook(tmp_path, "open('submission.ipynb', 'w').write('gone')")
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    assert statuses(
        run_notebook(path, data_file=data_file, data_path=DATA_PATH, say=CONFIG.say)
    ) == [("ok", None)]
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


@slow
def test_an_error_in_cell_2_does_not_stop_cell_3(tmp_path: Path, data_file: Path) -> None:
    result = run(tmp_path, data_file, ["x = 1", "1 / 0", "x = x + 1"], extra_cells=[WRITE_X])
    assert statuses(result) == [("ok", None), ("error", "ZeroDivisionError"), ("ok", None)]
    assert result.cells[1].error_message == "division by zero"
    assert result.error is None
    assert result.artifacts["answers.json"] == b"2"


@slow
def test_an_infinite_loop_is_interrupted_and_later_cells_still_run(
    tmp_path: Path, data_file: Path
) -> None:
    cells = ["x = 1", "while True:\n    pass", "x = x + 1"]
    result = run(tmp_path, data_file, cells, extra_cells=[WRITE_X], cell_timeout=1.5)
    assert statuses(result) == [("ok", None), ("timeout", "TimeoutError"), ("ok", None)]
    assert result.timed_out and not result.kernel_died
    assert (
        result.error
        == "Cell 2 ran longer than 1.5 s and was interrupted; the later cells still ran."
    )
    assert result.artifacts["answers.json"] == b"2"


@slow
def test_the_total_deadline_skips_the_rest_but_answers_are_still_read(
    tmp_path: Path, data_file: Path
) -> None:
    cells = ["x = 1", "import time\ntime.sleep(60)", "x = 2"]
    result = run(
        tmp_path, data_file, cells, extra_cells=[WRITE_X], cell_timeout=30, total_timeout=2
    )
    assert [c.status for c in result.cells] == ["ok", "timeout", "skipped"]
    assert result.error == (
        "The notebook reached its 2 s time limit in cell 2; the remaining cells were not run."
    )
    assert result.timed_out
    assert result.artifacts["answers.json"] == b"1"
    assert result.elapsed < 20


@slow
@pytest.mark.parametrize(
    "death", ["import os\nos._exit(1)", "import ctypes\nctypes.string_at(0)"], ids=["exit", "segv"]
)
def test_a_dying_kernel_is_reported_in_one_sentence(
    tmp_path: Path, data_file: Path, death: str
) -> None:
    result = run(tmp_path, data_file, ["x = 1", death, "x = 2"], extra_cells=[WRITE_X])
    assert statuses(result) == [("ok", None), ("error", "DeadKernelError"), ("skipped", None)]
    assert [c.status for c in result.extra_cells] == ["skipped"]
    assert result.kernel_died and not result.timed_out
    assert result.error == (
        "The kernel died while running cell 2 (it may have run out of memory, crashed, "
        "or called exit() or os._exit())."
    )
    assert result.artifacts == {}


@slow
def test_exit_interrupts_and_input_are_ordinary_cell_errors(
    tmp_path: Path, data_file: Path
) -> None:
    cells = [
        "import sys\nsys.exit(3)",
        "raise SystemExit",
        "raise KeyboardInterrupt",
        "name = input('Your name? ')",
        "x = 1",
    ]
    result = run(tmp_path, data_file, cells, extra_cells=[WRITE_X], cell_timeout=20)
    assert statuses(result) == [
        ("error", "SystemExit"),
        ("error", "SystemExit"),
        ("error", "KeyboardInterrupt"),
        ("error", "StdinNotImplementedError"),  # input() fails at once instead of waiting
        ("ok", None),
    ]
    assert result.error is None and result.artifacts["answers.json"] == b"1"


@slow
def test_a_cell_printing_100_mb_is_cut_and_the_grader_stays_small(
    tmp_path: Path, data_file: Path
) -> None:
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    cells = [
        "print('x' * 100_000_000)",
        "for _ in range(60):\n    print('y' * 1_000_000)",
        "import os\nos.write(1, b'z' * 50_000_000)",
        "x = 1",
    ]
    result = run(tmp_path, data_file, cells, extra_cells=[WRITE_X], max_output_bytes=100_000)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before) / 1024
    assert [c.status for c in result.cells] == ["ok"] * 4
    assert result.notebook is not None
    for cell in result.notebook.cells[:3]:
        text = "".join(output.get("text", "") for output in cell.outputs)
        assert 100_000 <= len(text) < 101_000
        assert "[output cut after 100,000 characters]" in text
    assert grown_mb < 100
    assert result.artifacts["answers.json"] == b"1"


@slow
@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_AS is enforced on Linux only")
def test_a_memory_bomb_hits_the_memory_limit(tmp_path: Path, data_file: Path) -> None:
    cells = [
        "bomb = bytearray(20 * 2**30)",
        "smaller = bytearray(2 * 2**30)",  # fits the machine, not the 1 GiB limit
        "x = 1",
    ]
    result = run(tmp_path, data_file, cells, extra_cells=[WRITE_X], memory_mb=1024)
    assert statuses(result) == [("error", "MemoryError"), ("error", "MemoryError"), ("ok", None)]
    assert not result.kernel_died and result.artifacts["answers.json"] == b"1"


@slow
def test_a_cell_that_ignores_interrupts_stops_the_run(
    tmp_path: Path, data_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(grader.run.client, "_INTERRUPT_GRACE", 1)
    monkeypatch.setattr(grader.run.client, "_IOPUB_GRACE", 1)
    stubborn = "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass"
    result = run(tmp_path, data_file, ["x = 1", stubborn, "x = 2"], extra_cells=[WRITE_X],
                 cell_timeout=1)  # fmt: skip
    assert [c.status for c in result.cells] == ["ok", "timeout", "skipped"]
    assert [c.status for c in result.extra_cells] == ["skipped"]
    assert (
        result.error
        == "Running cell 2 did not stop when interrupted after 1 s; nothing after it could run."
    )
    assert result.timed_out and not result.kernel_died


@slow
def test_a_failing_extra_cell_is_the_runs_error(tmp_path: Path, data_file: Path) -> None:
    result = run(tmp_path, data_file, ["x = 1"], extra_cells=["raise RuntimeError('no answers')"])
    assert [(c.status, c.error_name) for c in result.extra_cells] == [("error", "RuntimeError")]
    assert result.error is not None
    assert result.error.startswith("The grader's extra cell 1 failed (RuntimeError: no answers).")
    assert "remove that code" in result.error  # says what the student can do about it


@slow
def test_an_empty_notebook_runs_with_a_note(tmp_path: Path, data_file: Path) -> None:
    result = run(tmp_path, data_file, [], extra_cells=["open('answers.json', 'w').write('{}')"])
    assert result.cells == () and result.error is None
    assert result.notes == ("The notebook has no cells, so there is nothing to run.",)
    assert result.artifacts == {"answers.json": b"{}"}


@slow
def test_without_the_sandbox_the_run_works_and_says_so(tmp_path: Path, data_file: Path) -> None:
    result = run(tmp_path, data_file, ["x = 41 + 1"], extra_cells=[WRITE_X], sandbox=False)
    assert result.sandboxed is False
    assert result.error is None and result.artifacts["answers.json"] == b"42"


@slow
@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="needs /proc")
def test_the_work_dir_and_the_kernels_processes_are_gone_afterwards(
    tmp_path: Path, data_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    temp_root = tmp_path / "temp"
    temp_root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp_root))
    child = "import subprocess\nchild = subprocess.Popen(['sleep', '61.2345'])"
    result = run(tmp_path, data_file, [child], sandbox=False)
    assert [c.status for c in result.cells] == ["ok"]
    assert list(temp_root.iterdir()) == []
    assert _wait_until_gone("61.2345")


def _wait_until_gone(marker: str, seconds: float = 5) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not any(marker.encode() in _cmdline(p) for p in Path("/proc").glob("[0-9]*")):
            return True
        time.sleep(0.1)
    return False


def _cmdline(process: Path) -> bytes:
    try:
        return (process / "cmdline").read_bytes()
    except OSError:
        return b""


@slow
def test_a_kernel_that_cannot_start_is_an_execution_error(
    tmp_path: Path, data_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    temp_root = tmp_path / "temp"
    temp_root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp_root))
    real_launch = grader.run.execute.kernel_launch

    def broken_launch(*args: Any, **kwargs: Any) -> KernelLaunch:
        launch = real_launch(*args, **kwargs)
        argv = (sys.executable, "-c", "import sys; print('no kernel here'); sys.exit(3)")
        return KernelLaunch(argv, launch.env, launch.transport, launch.sandboxed, launch.work)

    monkeypatch.setattr(grader.run.execute, "kernel_launch", broken_launch)
    with pytest.raises(ExecutionError, match=r"The kernel could not start .*: no kernel here\."):
        run(tmp_path, data_file, ["x = 1"])
    assert list(temp_root.iterdir()) == []


def test_a_bad_notebook_is_a_notebook_error_before_any_kernel(
    tmp_path: Path, data_file: Path
) -> None:
    path = tmp_path / "broken.ipynb"
    path.write_text('{"cells": [', encoding="utf-8")
    with pytest.raises(NotebookError, match=r"is not valid JSON"):
        run_notebook(path, data_file=data_file, data_path=DATA_PATH, say=CONFIG.say)


def test_a_missing_data_file_is_an_execution_error(tmp_path: Path) -> None:
    with pytest.raises(ExecutionError, match=r"The data file .* does not exist"):
        run_notebook(
            notebook(tmp_path, "x = 1"),
            data_file=tmp_path / "missing.sav",
            data_path=DATA_PATH,
            say=CONFIG.say,
        )


@pytest.mark.parametrize("name", ["../answers.json", "out/answers.json", "", ".."])
def test_artifact_names_must_be_plain_file_names(
    tmp_path: Path, data_file: Path, name: str
) -> None:
    with pytest.raises(ValueError, match=r"artifact names must be plain file names"):
        run_notebook(
            notebook(tmp_path, "x = 1"),
            data_file=data_file,
            data_path=DATA_PATH,
            say=CONFIG.say,
            artifacts=[name],
        )


@slow
def test_a_call_from_inside_a_running_event_loop_works(tmp_path: Path, data_file: Path) -> None:
    async def from_a_notebook_cell() -> ExecutionResult:  # Jupyter runs cells inside a loop
        return run(tmp_path, data_file, ["x = 5"], extra_cells=[WRITE_X])

    assert asyncio.run(from_a_notebook_cell()).artifacts["answers.json"] == b"5"
