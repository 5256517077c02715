"""The private working directory of one run: copies of the notebook and the data, the kernel's home
and temp files, and the files the run leaves behind (read back as untrusted bytes).
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader.errors import ExecutionError

_TMP = "/tmp"  # noqa: S108 (a short base for the runtime directory's unix sockets)


@dataclass(frozen=True, slots=True)
class WorkDir:
    """The fresh directories of one run.

    Attributes:
        root: The kernel's cwd, holding the copies, its home and its temp files.
        runtime: Connection file, ipc sockets and the kernel's own log, kept in a short path of
            its own because a unix socket's path may not exceed about 100 bytes.
    """

    root: Path
    runtime: Path

    @property
    def home(self) -> Path:
        """HOME for the kernel (IPython and matplotlib want to write there)."""
        return self.root / ".home"

    @property
    def tmp(self) -> Path:
        """TMPDIR for the kernel, so temporary files are removed with the run."""
        return self.root / ".tmp"

    @property
    def log(self) -> Path:
        """The kernel's stdout and stderr at the file-descriptor level."""
        return self.runtime / "kernel.log"


def make_workdir(notebook: Path, data_file: Path, data_path: str) -> WorkDir:
    """Create a private directory holding a copy of ``notebook`` and of ``data_file``.

    The data is always at ``data_path`` (the assignment's, relative to the notebook: e.g.
    ``data/hsb12.sav``), whatever the source file is called (a perturbed copy, say); the notebook
    keeps its name unless it would clash with the directory's own entries.

    Raises:
        ExecutionError: The data file is missing, or ``data_path`` is not a plain relative path
            (the grader's setup, not the student, is wrong).
    """
    if not data_file.is_file():
        raise ExecutionError(
            f"The data file {data_file} does not exist; check the assignment's data directory."
        )
    relative = Path(data_path)
    if relative.is_absolute() or not relative.parts or ".." in relative.parts:
        raise ExecutionError(f"The data path {data_path!r} must be a relative path inside the "
                             "notebook's folder, such as data/hsb12.sav.")  # fmt: skip
    root = Path(tempfile.mkdtemp(prefix="hlm-grader-")).resolve()
    work = WorkDir(root, Path(tempfile.mkdtemp(prefix="hlm-k-", dir=_short_temp_dir())).resolve())
    try:
        for directory in (work.root / relative.parent, work.home, work.tmp):
            directory.mkdir(parents=True, exist_ok=True)
        taken = {relative.parts[0], work.home.name, work.tmp.name}
        copy = notebook.name if notebook.name not in taken else "submission.ipynb"
        shutil.copyfile(notebook, work.root / copy)
        # A copy, so a notebook that overwrites its data harms only this run.
        shutil.copyfile(data_file, work.root / relative)
        _seed_matplotlib_cache(work.home)
    except BaseException:
        remove_workdir(work)
        raise
    return work


def _short_temp_dir() -> str:
    base = tempfile.gettempdir()
    return base if len(base) <= 40 or not os.path.isdir(_TMP) else _TMP


def remove_workdir(work: WorkDir) -> None:
    """Delete the run's directories, including files the student made read-only."""
    for directory in (work.root, work.runtime):
        shutil.rmtree(directory, onerror=_make_writable_and_retry)


def _make_writable_and_retry(function: Any, path: str, _exc_info: Any) -> None:
    try:
        os.chmod(os.path.dirname(path), 0o700)
        os.chmod(path, 0o700, follow_symlinks=False)
        function(path)
    except OSError:
        pass  # Best effort: a leftover temp dir must not turn a finished run into a failure.


def read_artifacts(
    work: WorkDir, names: Sequence[str], max_bytes: int
) -> tuple[dict[str, bytes], tuple[str, ...]]:
    """Read the named files the run left in its directory, as untrusted bytes.

    Only regular files count: a student's symlink to a host file or a FIFO named like an
    artifact must not make the grader read outside the run or block.

    Returns:
        The files found, by name, and a note for each one ignored.
    """
    found: dict[str, bytes] = {}
    notes: list[str] = []
    for name in names:
        data, problem = _read_regular_file(work.root / name, max_bytes)
        if data is not None:
            found[name] = data
        elif problem:
            notes.append(f"The run's {name} {problem} and was ignored.")
    return found, tuple(notes)


def _read_regular_file(path: Path, max_bytes: int) -> tuple[bytes | None, str | None]:
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        return None, None
    except OSError:
        return None, "is not a regular file"
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            return None, "is not a regular file"
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        return None, f"is larger than {max_bytes:,} bytes"
    return data, None


def _seed_matplotlib_cache(home: Path) -> None:
    # A fresh HOME would make matplotlib rebuild its font cache (seconds) on every run.
    source = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "matplotlib"
    target = home / ".cache" / "matplotlib"
    for font_list in sorted(source.glob("fontlist-*.json"))[-4:]:
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(font_list, target / font_list.name)
