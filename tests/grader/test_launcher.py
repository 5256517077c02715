"""The kernel's first code (grader/kernel/launcher.py): limits, the output cap, the cwd off the path.

Limits are set in child processes (never in the test process), started exactly as the grader starts
a kernel: ``python -c SOURCE MEMORY FILE OUTPUT ...``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from grader.kernel import launcher
from grader.kernel.launcher import OutputCap
from grader.run.sandbox import launcher_source

resource = pytest.importorskip("resource")

NOTICE = "\n[output cut after 10 characters]\n"


def run_python(code: str, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code, *args], cwd=cwd, capture_output=True, text=True, timeout=60
    )


def test_output_within_the_limit_passes_whole() -> None:
    cap = OutputCap(10)
    assert cap.admit("a", "12345") == "12345" and cap.admit("a", "67890") == "67890"


def test_output_past_the_limit_is_cut_once_with_a_notice() -> None:
    cap = OutputCap(10)
    assert cap.admit("a", "1234567") == "1234567"
    assert cap.admit("a", "89abcdef") == "89a" + NOTICE
    assert cap.admit("a", "more") is None and cap.admit("a", "") is None


def test_each_request_has_its_own_allowance() -> None:
    cap = OutputCap(10)
    assert cap.admit("a", "x" * 20) == "x" * 10 + NOTICE
    assert cap.admit("b", "y" * 10) == "y" * 10


def test_the_source_run_by_the_kernel_is_this_module() -> None:
    assert launcher_source() == Path(launcher.__file__).read_text(encoding="utf-8")


def test_limits_are_applied_and_a_too_large_file_fails(tmp_path: Path) -> None:
    code = launcher_source().replace('if __name__ == "__main__":', "if False:") + (
        "\nimport json, resource\n"
        "applied = apply_limits(2 * 1024**3, 5000)\n"
        "try:\n"
        "    open('big', 'w').write('x' * 10000)\n"
        "    big = 'written'\n"
        "except OSError as exc:\n"
        "    big = type(exc).__name__\n"
        "print(json.dumps([applied, resource.getrlimit(resource.RLIMIT_AS)[0], big]))\n"
    )
    done = run_python(code, tmp_path)
    applied, address_space, big = json.loads(done.stdout)
    assert applied == {"RLIMIT_AS": 2 * 1024**3, "RLIMIT_FSIZE": 5000, "RLIMIT_CORE": 0}
    assert address_space == 2 * 1024**3 and big == "OSError"
    assert (tmp_path / "big").stat().st_size <= 5000


def test_a_lower_hard_limit_is_kept(tmp_path: Path) -> None:
    code = launcher_source().replace('if __name__ == "__main__":', "if False:") + (
        "\nimport resource\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (3000, 3000))\n"
        "print(apply_limits(2 * 1024**3, 5000)['RLIMIT_FSIZE'])\n"
    )
    assert run_python(code, tmp_path).stdout.strip() == "3000"


@pytest.mark.parametrize("module", ["dataclasses", "ipykernel_launcher"])
def test_a_students_module_in_the_working_copy_shadows_nothing(tmp_path: Path, module: str) -> None:
    # A file named like a module the launcher or the kernel imports would otherwise run instead.
    (tmp_path / f"{module}.py").write_text("raise SystemExit('shadowed')\n")
    done = run_python(launcher_source(), tmp_path, str(2 * 1024**3), "10000000", "100", "--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip()[0].isdigit()  # ipykernel's own --version answered
