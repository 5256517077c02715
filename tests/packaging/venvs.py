"""Fresh virtualenvs for the packaging tests: built once per session, shared by xdist workers.

Each environment is a plain ``python -m venv`` with packages installed by pip from the package
index, exactly as a student or an instructor would, under pytest's temporary folder (pip's cache
too, so nothing is left outside it). Commands run in them with a clean environment: no
``PYTHONPATH`` (which would bring this checkout's code in through the back door) and the venv's
``bin`` first on ``PATH``.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

#: The assignment's own packages: what the students' notebook needs without hlm-grader.
ASSIGNMENT_PACKAGES = ("pandas", "pyreadstat", "statsmodels", "sympy", "ipykernel", "nbclient")
#: Variables that would make a venv's Python import something other than what is installed in it.
_LEAKS = ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "PYTHONUSERBASE", "VIRTUAL_ENV")
INSTALL_TIMEOUT = 900


@dataclass(frozen=True)
class Venv:
    """A virtualenv and how to run commands in it."""

    root: Path
    pip_cache: Path

    @property
    def bin(self) -> Path:
        return self.root / "bin"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in _LEAKS}
        env["PATH"] = os.pathsep.join([str(self.bin), env.get("PATH", os.defpath)])
        env["PIP_CACHE_DIR"] = str(self.pip_cache)
        env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
        # Byte-compiling every module of pandas and scipy at install costs CPU no test needs
        # (Python compiles what it imports); as a variable, so commands stay as a person types them.
        env["PIP_NO_COMPILE"] = "1"
        return env

    def run(
        self, *argv: str, cwd: Path | None = None, timeout: float = 600
    ) -> subprocess.CompletedProcess[str]:
        """Run ``argv`` (a program of the venv, found on its PATH) and capture its output."""
        return subprocess.run(
            list(argv), cwd=cwd, env=self.env(), capture_output=True, text=True, timeout=timeout,
            check=False,
        )  # fmt: skip

    def shell(
        self, line: str, *, cwd: Path, timeout: float = 900
    ) -> subprocess.CompletedProcess[str]:
        """Run one shell command line, as a person would type it."""
        return self.run("bash", "-c", line, cwd=cwd, timeout=timeout)

    def python(self, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        return self.run(str(self.bin / "python"), *args, cwd=cwd)

    def pip_install(self, *requirements: str, cwd: Path | None = None) -> None:
        done = subprocess.run(
            [str(self.bin / "python"), "-m", "pip", "install", "--quiet", *requirements],
            cwd=cwd, env=self.env(), capture_output=True, text=True, timeout=INSTALL_TIMEOUT,
            check=False,
        )  # fmt: skip
        if done.returncode:
            raise RuntimeError(
                f"pip install {' '.join(requirements)} failed:\n{done.stderr[-3000:]}"
            )

    def installed(self) -> set[str]:
        """The distributions installed, by lower-case name."""
        code = "import importlib.metadata as m; print('\\n'.join(d.metadata['Name'] for d in m.distributions()))"
        return {n.strip().lower().replace("_", "-") for n in self.python("-c", code).stdout.split()}


def create(root: Path, pip_cache: Path) -> Venv:
    """A new, empty virtualenv at ``root`` (pip only), made by this Python."""
    # --clear: a venv half made by a run that failed is started again, not reused.
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(root)], check=True, timeout=120)
    return Venv(root, pip_cache)


@contextlib.contextmanager
def shared(factory: pytest.TempPathFactory, name: str) -> Iterator[Path]:
    """A folder shared by the xdist workers of this session, held under a lock while in use."""
    base = factory.getbasetemp()
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    folder = root / name
    folder.mkdir(exist_ok=True)
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield folder


def once(factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]) -> Path:
    """Run ``make(folder)`` once per session, whichever worker asks first; a failure is retried
    by the next worker that asks, not remembered."""
    with shared(factory, name) as folder:
        if not (folder / "done").exists():
            make(folder)
            (folder / "done").write_text("")
    return folder


def pip_cache(factory: pytest.TempPathFactory) -> Path:
    with shared(factory, "pip-cache") as folder:
        return folder


#: Runs a notebook inside a venv, with that venv's nbclient and a kernel of that venv's Python
#: (jupyter_client starts the ``python3`` kernel with the Python that runs it): ``python -c
#: RUN_NOTEBOOK IN OUT``. Errors stay in the cells' outputs.
RUN_NOTEBOOK = """\
import sys
import nbformat
from nbclient import NotebookClient

nb = nbformat.read(sys.argv[1], as_version=4)
NotebookClient(nb, timeout=600, allow_errors=True, kernel_name="python3").execute()
nbformat.write(nb, sys.argv[2])
"""
