"""Where and how a student's kernel starts: a private working directory, resource limits, and
bubblewrap around it when the machine has it.

The kernel is untrusted. Inside bubblewrap the whole system is read-only, ``/tmp`` is private, the
network and the host's process table are gone and every capability is dropped (as root, bubblewrap
keeps them otherwise, and a kernel could simply remount ``/`` read-write). Without bubblewrap
(macOS, Windows, a locked-down container) the kernel still gets the resource limits, a scrubbed
environment and its own home, and the result says ``sandboxed=False``.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import shutil
import site
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import zmq
from jupyter_client.asynchronous.client import AsyncKernelClient
from jupyter_client.kernelspec import KernelSpec
from jupyter_client.manager import AsyncKernelManager

from grader.errors import ExecutionError
from grader.run.workdir import WorkDir

GIB = 1024**3
CONNECTION_FILE = "{connection_file}"
_TMP = "/tmp"  # noqa: S108 (the path inside the sandbox, replaced by a private tmpfs)
#: This project's top-level packages: a kernel may import them (the in-notebook ``check()``, an
#: older release's ``reference.notation``), so the sandbox shows them wherever they are installed.
OWN_PACKAGES = ("grader", "reference", "assignments")


# Variables a kernel legitimately needs from the grader's environment; everything else (tokens,
# credentials, Jupyter and IPython configuration) stays behind.
_PASSED_THROUGH = (
    "PATH",
    "LANG",
    "LANGUAGE",
    "LC_ALL",
    "LC_CTYPE",
    "TZ",
    "PYTHONPATH",
    "SYSTEMROOT",
)
_THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


@dataclass(frozen=True, slots=True)
class Limits:
    """Resource limits for the kernel process and everything it starts.

    Attributes:
        memory_bytes: Address-space cap (RLIMIT_AS); an allocation beyond it is a MemoryError.
        file_bytes: Largest file the kernel may write (RLIMIT_FSIZE); beyond it a write fails.
        output_chars: Characters of stdout and stderr kept per cell; the rest is cut.
    """

    memory_bytes: int = 4 * GIB
    file_bytes: int = 200 * 1000**2
    output_chars: int = 1000**2


@dataclass(frozen=True, slots=True)
class KernelLaunch:
    """Everything needed to start one kernel.

    Attributes:
        argv: The command, with ``{connection_file}`` where the connection file goes.
        env: The kernel's whole environment.
        transport: ``"ipc"`` (unix sockets in the work dir) or ``"tcp"`` (Windows only).
        sandboxed: Whether ``argv`` runs the kernel inside bubblewrap.
        work: The run's directory.
    """

    argv: tuple[str, ...]
    env: Mapping[str, str] = field(repr=False)
    transport: str
    sandboxed: bool
    work: WorkDir


@functools.cache
def bwrap_available() -> bool:
    """Whether bubblewrap exists and can build our sandbox here (checked once per process)."""
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        return False
    with tempfile.TemporaryDirectory(prefix="hlm-grader-probe-") as probe:
        command = [bwrap, *_bwrap_options(Path(probe)), sys.executable, "-S", "-c", ""]
        try:
            return subprocess.run(command, capture_output=True, timeout=30).returncode == 0
        except (OSError, subprocess.SubprocessError):
            return False


def resolve_sandbox(requested: bool | None) -> bool:
    """Decide whether to sandbox: ``None`` means whenever bubblewrap works.

    Raises:
        ExecutionError: ``requested`` is True but bubblewrap is missing or cannot run here.
    """
    if requested is None:
        return bwrap_available()
    if requested and not bwrap_available():
        raise ExecutionError(
            "A sandbox was requested but bubblewrap (bwrap) is missing or cannot create namespaces "
            "here; install bubblewrap, allow user namespaces, or run with sandbox=False."
        )
    return requested


def kernel_launch(work: WorkDir, *, sandboxed: bool, limits: Limits) -> KernelLaunch:
    """Build the kernel's command line and environment for a run in ``work``."""
    kernel = [
        sys.executable,
        "-c",
        launcher_source(),
        str(limits.memory_bytes),
        str(limits.file_bytes),
        str(limits.output_chars),
        "-f",
        CONNECTION_FILE,
        # History in a file would only be written to the throwaway home; memory is faster.
        "--HistoryManager.hist_file=:memory:",
    ]
    if sandboxed:
        # In the pid namespace the kernel's parent is pid 1, which ipykernel's parent poller takes
        # for "my parent died"; bubblewrap's --die-with-parent does that job instead.
        sandbox = [_bwrap(), *_bwrap_options(work.root), "--bind", *[str(work.runtime)] * 2]
        kernel = [*sandbox, *kernel, "--IPKernelApp.parent_handle=0"]
    transport = "tcp" if os.name == "nt" else "ipc"
    return KernelLaunch(tuple(kernel), kernel_env(work), transport, sandboxed, work)


@functools.cache
def launcher_source() -> str:
    """The kernel's first code, :mod:`grader.kernel.launcher`, as source for ``python -c``.

    Run as source, not as ``-m``, so the kernel's interpreter starts once and needs no ``grader``
    on its path (inside the sandbox only the working copy and the environment are visible).
    """
    return resources.files("grader.kernel").joinpath("launcher.py").read_text(encoding="utf-8")


def _bwrap() -> str:
    return shutil.which("bwrap") or "bwrap"


def _bwrap_options(work: Path) -> list[str]:
    # The sandbox's own /tmp is a fresh tmpfs, not the host's shared one.
    options = ["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", _TMP]
    for path in _python_paths_under_tmp():
        options += ["--ro-bind", str(path), str(path)]
    options += ["--bind", str(work), str(work), "--chdir", str(work)]
    # --unshare-pid also hides the grader's /proc/<pid>/environ (its secrets) from the kernel.
    options += ["--unshare-net", "--unshare-pid", "--unshare-ipc", "--die-with-parent"]
    return [*options, "--cap-drop", "ALL"]


def _python_paths_under_tmp() -> list[Path]:
    # The private /tmp hides whatever lives there (a CI runner's venv, a clone installed editable,
    # a uv cache): bind back, read-only, what the kernel's interpreter imports from; nothing else.
    paths = {Path(p).resolve() for p in kernel_import_paths() if os.path.isdir(p)}
    under_tmp = {p for p in paths if p.is_relative_to(_TMP) and p != Path(_TMP)}
    return sorted(p for p in under_tmp if not any(p.is_relative_to(q) for q in under_tmp - {p}))


def kernel_import_paths() -> set[str]:
    """Where the kernel's interpreter imports from, wherever the grader was installed.

    That is the interpreter's installation (venv and base), ``PYTHONPATH``, the site directories
    and what their ``.pth`` files add, and the folders of this project's own packages, which an
    editable install maps from its source wherever that lives (a clone in ``/tmp``, a home folder).
    The grader's own ``sys.path`` is not used: it holds whatever started the grader (a test
    runner's root, a script's folder), which the kernel does not import from.
    """
    paths = {sys.prefix, sys.exec_prefix, sys.base_prefix}
    paths.update(os.environ.get("PYTHONPATH", "").split(os.pathsep))
    site_dirs = site.getsitepackages()
    if site.ENABLE_USER_SITE:
        site_dirs.append(site.getusersitepackages())
    for site_dir in site_dirs:
        paths.update([site_dir, *_pth_paths(Path(site_dir))])
    for name in OWN_PACKAGES:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.submodule_search_locations:
            paths.update(spec.submodule_search_locations)
    return {p for p in paths if p}


def _pth_paths(site_dir: Path) -> list[str]:
    # As site.addpackage reads them: a line is a path relative to the site dir, unless it imports.
    found = []
    for pth in site_dir.glob("*.pth"):
        try:
            lines = pth.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            continue
        found += [str(site_dir / line.rstrip()) for line in lines
                  if line.strip() and not line.startswith(("#", "import ", "import\t"))]  # fmt: skip
    return found


def kernel_env(work: WorkDir) -> dict[str, str]:
    """The kernel's environment: a few safe variables from ours, the rest pointing into ``work``."""
    env = {name: os.environ[name] for name in _PASSED_THROUGH if name in os.environ}
    env.setdefault("PATH", os.defpath)
    home, tmp = str(work.home), str(work.tmp)
    env.update(HOME=home, USERPROFILE=home, TMPDIR=tmp, TEMP=tmp, TMP=tmp)
    env.update(MPLBACKEND="Agg", PYTHONDONTWRITEBYTECODE="1")
    if site.ENABLE_USER_SITE:
        # Keeps packages from `pip install --user` importable although HOME moved.
        env["PYTHONUSERBASE"] = site.getuserbase()
    # Every BLAS thread reserves address space; on a many-core machine RLIMIT_AS would make
    # `import numpy` fail before a student's line runs.
    threads = str(min(os.cpu_count() or 1, 8))
    env.update({name: os.environ.get(name, threads) for name in _THREAD_VARIABLES})
    return env


class GraderKernelManager(AsyncKernelManager):
    """A kernel manager that starts the kernel exactly as ``launch`` says.

    It never consults installed kernelspecs (a user's ``python3`` spec could point anywhere),
    interrupts by message (a signal to bubblewrap would kill the sandbox, not interrupt the
    kernel), and caps the size of each message the grader accepts from the kernel.
    """

    def __init__(self, launch: KernelLaunch, *, max_message_bytes: int) -> None:
        runtime = launch.work.runtime
        super().__init__(
            kernel_name="python3",
            transport=launch.transport,
            ip=str(runtime / "ipc") if launch.transport == "ipc" else "127.0.0.1",
            connection_file=str(runtime / "kernel.json"),
        )
        self.launch = launch
        self.max_message_bytes = max_message_bytes
        self._grader_spec = KernelSpec(
            argv=list(launch.argv),
            display_name="Python 3 (grader)",
            language="python",
            interrupt_mode="message",
        )

    @property
    def kernel_spec(self) -> KernelSpec | None:
        """The fixed spec built from ``launch``."""
        return self._grader_spec

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        """The launch command with the connection file filled in."""
        connection_file = os.path.realpath(self.connection_file)
        argv = [arg.replace(CONNECTION_FILE, connection_file) for arg in self.launch.argv]
        return argv + list(extra_arguments or [])

    def client(self, **kwargs: Any) -> AsyncKernelClient:  # type: ignore[override]
        """A client whose sockets refuse any single message above ``max_message_bytes``.

        The last resort against a kernel that gets around its own output cap: a gigabyte message
        would otherwise be held, several times over while decoding, before any truncation.
        """
        client = super().client(**kwargs)
        client.context.setsockopt(zmq.MAXMSGSIZE, self.max_message_bytes)
        return client
