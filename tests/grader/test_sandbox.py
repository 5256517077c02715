"""The kernel's surroundings: its command line, environment and files, and the sandbox it runs in."""

from __future__ import annotations

import json
import os
import shutil
import socket
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

import assignments
import grader
import grader.run.sandbox
import reference
from grader.errors import ExecutionError
from grader.run.execute import ExecutionResult, run_notebook
from grader.run.sandbox import (
    GIB,
    Limits,
    bwrap_available,
    kernel_env,
    kernel_import_paths,
    kernel_launch,
    resolve_sandbox,
)
from grader.run.workdir import WorkDir, make_workdir, read_artifacts, remove_workdir
from tests.hlm import CONFIG

SECRET = "HLM_TEST_SECRET_TOKEN"


@pytest.fixture
def work(tmp_path: Path) -> Iterator[WorkDir]:
    (tmp_path / "submission.ipynb").write_text("{}", encoding="utf-8")
    (tmp_path / "hsb12.sav").write_bytes(b"data")
    work = make_workdir(tmp_path / "submission.ipynb", tmp_path / "hsb12.sav", "data/hsb12.sav")
    yield work
    remove_workdir(work)


def test_the_work_dir_holds_copies_of_the_notebook_and_the_data(work: WorkDir) -> None:
    assert (work.root / "submission.ipynb").read_text() == "{}"
    assert (work.root / "data" / "hsb12.sav").read_bytes() == b"data"
    assert {p.name for p in work.root.iterdir()} == {"submission.ipynb", "data", ".home", ".tmp"}
    assert work.runtime.is_dir() and len(str(work.runtime)) < 60  # room for socket names


def test_the_data_is_always_at_data_hsb12_sav(tmp_path: Path) -> None:
    (tmp_path / "nb.ipynb").write_text("{}", encoding="utf-8")
    (tmp_path / "hsb12_perturbed_7.sav").write_bytes(b"perturbed")
    work = make_workdir(tmp_path / "nb.ipynb", tmp_path / "hsb12_perturbed_7.sav", "data/hsb12.sav")
    try:
        assert (work.root / "data" / "hsb12.sav").read_bytes() == b"perturbed"
        assert sorted(p.name for p in (work.root / "data").iterdir()) == ["hsb12.sav"]
    finally:
        remove_workdir(work)


def test_a_missing_data_file_is_the_graders_error(tmp_path: Path) -> None:
    with pytest.raises(ExecutionError, match=r"data file .* does not exist; check the assignment"):
        make_workdir(tmp_path / "submission.ipynb", tmp_path / "nothing.sav", "data/hsb12.sav")


def test_remove_workdir_copes_with_read_only_directories(work: WorkDir) -> None:
    locked = work.root / "locked"
    locked.mkdir()
    (locked / "file").write_text("x")
    locked.chmod(0o500)
    remove_workdir(work)
    assert not work.root.exists() and not work.runtime.exists()


def test_artifacts_are_read_back_as_bytes(work: WorkDir) -> None:
    (work.root / "answers.json").write_bytes(b'{"icc": 0.18}')
    assert read_artifacts(work, ["answers.json", "absent.json"], 100) == (
        {"answers.json": b'{"icc": 0.18}'},
        (),
    )


def test_an_oversized_artifact_is_ignored_with_a_note(work: WorkDir) -> None:
    (work.root / "answers.json").write_bytes(b"x" * 101)
    assert read_artifacts(work, ["answers.json"], 100) == (
        {},
        ("The run's answers.json is larger than 100 bytes and was ignored.",),
    )


def test_a_symlink_artifact_never_reads_a_host_file(work: WorkDir, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("grader secret")
    (work.root / "answers.json").symlink_to(secret)
    assert read_artifacts(work, ["answers.json"], 100) == (
        {},
        ("The run's answers.json is not a regular file and was ignored.",),
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_artifact_does_not_block(work: WorkDir) -> None:
    os.mkfifo(work.root / "answers.json")
    assert read_artifacts(work, ["answers.json"], 100)[0] == {}


def test_the_kernel_environment_keeps_no_secrets(
    work: WorkDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SECRET, "hunter2")
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", "/somewhere")
    env = kernel_env(work)
    assert SECRET not in env and "JUPYTER_CONFIG_DIR" not in env
    assert env["HOME"] == str(work.home) and env["TMPDIR"] == str(work.tmp)
    assert env["MPLBACKEND"] == "Agg" and env["PYTHONDONTWRITEBYTECODE"] == "1"
    assert env["PATH"] == os.environ["PATH"]


def test_the_sandboxed_command_line(work: WorkDir) -> None:
    launch = kernel_launch(work, sandboxed=True, limits=Limits(memory_bytes=GIB, file_bytes=5))
    argv = " ".join(launch.argv)
    assert launch.argv[0].endswith("bwrap") and launch.sandboxed and launch.transport == "ipc"
    assert "--ro-bind / / --dev /dev --proc /proc --tmpfs /tmp" in argv
    assert f"--bind {work.root} {work.root} --chdir {work.root}" in argv
    for flag in ("--unshare-net", "--unshare-pid", "--die-with-parent", "--cap-drop ALL"):
        assert flag in argv
    python = launch.argv.index(sys.executable)
    assert launch.argv[python + 3 : python + 8] == (
        str(GIB),
        "5",
        "1000000",
        "-f",
        "{connection_file}",
    )
    assert launch.argv[-1] == "--IPKernelApp.parent_handle=0"


def read_only_binds(argv: tuple[str, ...]) -> list[str]:
    """The sources of every ``--ro-bind SRC DEST`` after ``/``, in order."""
    return [argv[i + 1] for i, a in enumerate(argv) if a == "--ro-bind" and argv[i + 1] != "/"]


@pytest.fixture
def tmp_dir_outside_pytest() -> Iterator[Path]:
    # Under /tmp itself, as a CI runner's venv or a fresh clone would be (pytest's own tmp_path
    # may live elsewhere when TMPDIR is set).
    path = Path("/tmp") / f"hlm-test-{uuid.uuid4().hex}"
    (path / "lib").mkdir(parents=True)
    yield path
    shutil.rmtree(path)


def test_an_environment_under_tmp_is_bound_back_into_the_sandbox(
    work: WorkDir, tmp_dir_outside_pytest: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    venv = tmp_dir_outside_pytest
    monkeypatch.setattr(sys, "prefix", str(venv))
    argv = kernel_launch(work, sandboxed=True, limits=Limits()).argv
    assert str(venv) in read_only_binds(argv)
    assert argv.index("--tmpfs") < argv.index(str(venv)) < argv.index("--bind")


def test_pythonpath_under_tmp_is_bound_but_the_graders_own_path_entries_are_not(
    work: WorkDir, tmp_dir_outside_pytest: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    on_pythonpath, only_on_sys_path = tmp_dir_outside_pytest / "lib", tmp_dir_outside_pytest / "x"
    only_on_sys_path.mkdir()
    monkeypatch.setenv(
        "PYTHONPATH", os.pathsep.join([str(on_pythonpath), os.environ.get("PYTHONPATH", "")])
    )
    # What started the grader (a test runner's root, a script's folder) is not the kernel's path.
    monkeypatch.setattr(sys, "path", [str(only_on_sys_path), *sys.path])
    binds = read_only_binds(kernel_launch(work, sandboxed=True, limits=Limits()).argv)
    assert str(on_pythonpath) in binds and str(only_on_sys_path) not in binds


def test_the_projects_own_packages_are_on_the_kernels_import_path() -> None:
    # Wherever an install put them (an editable install maps them from its source folder).
    paths = kernel_import_paths()
    for package in (grader, reference, assignments):
        assert str(Path(package.__file__).parent) in paths


def test_nothing_outside_tmp_is_bound_twice(work: WorkDir) -> None:
    # The system is already visible read-only; only what the private /tmp hides is bound back.
    binds = read_only_binds(kernel_launch(work, sandboxed=True, limits=Limits()).argv)
    assert all(Path(b).is_relative_to("/tmp") for b in binds)


def test_the_unsandboxed_command_line_is_python_itself(work: WorkDir) -> None:
    launch = kernel_launch(work, sandboxed=False, limits=Limits())
    assert launch.argv[:2] == (sys.executable, "-c") and not launch.sandboxed
    assert "--IPKernelApp.parent_handle=0" not in launch.argv


def test_requiring_a_sandbox_without_bubblewrap_is_an_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(grader.run.sandbox, "bwrap_available", lambda: False)
    assert resolve_sandbox(None) is False and resolve_sandbox(False) is False
    with pytest.raises(ExecutionError, match=r"bubblewrap \(bwrap\) is missing or cannot create"):
        resolve_sandbox(True)


def test_bubblewrap_is_unavailable_when_it_is_not_installed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    bwrap_available.cache_clear()
    try:
        assert bwrap_available() is False
    finally:
        bwrap_available.cache_clear()


# --- a real kernel in the sandbox ------------------------------------------------------------

PROBE = """\
import json, os, socket, resource
found = {}
def attempt(name, action):
    try:
        action()
        found[name] = "ok"
    except Exception as exc:
        found[name] = type(exc).__name__
"""


def probe_cells(marker: str, host_file: Path, port: int, *, sandbox: bool) -> list[str]:
    escapes = [  # only tried in the sandbox: outside it they would really write there
        *(
            f"attempt({where!r}, lambda: open({where!r} + '/{marker}', 'w').write('x'))"
            for where in ("/work/main", "/root", "/etc")
        ),
        f"attempt('tmp', lambda: open('/tmp/{marker}', 'w').write('x'))",
        f"attempt('host_tmp', lambda: open({str(host_file)!r}).read())",
        # A detached grandchild escapes any process group; only the pid namespace ends it.
        f"import subprocess\nsubprocess.Popen(['sleep', '{sleeper(marker)}'], start_new_session=True)",
    ]
    return [
        PROBE,
        *(escapes if sandbox else []),
        f"attempt('.', lambda: open('{marker}', 'w').write('x'))",
        f"attempt('network', lambda: socket.create_connection(('127.0.0.1', {port}), timeout=3))",
        "attempt('data', lambda: open('data/hsb12.sav', 'wb').write(b'overwritten'))",
        f"found['secret_in_env'] = {SECRET!r} in os.environ",
        "found['secret_in_proc'] = sum(\n"
        f"    {SECRET!r}.encode() in open(f'/proc/{{p}}/environ', 'rb').read()\n"
        "    for p in os.listdir('/proc') if p.isdigit())",
        "found['home_in_cwd'] = os.environ['HOME'].startswith(os.getcwd())",
        "found['caps'] = [l.split()[1] for l in open('/proc/self/status') if l.startswith('CapEff')]",
        "found['limits'] = [resource.getrlimit(resource.RLIMIT_AS)[0],\n"
        "                   resource.getrlimit(resource.RLIMIT_FSIZE)[0]]",
    ]


def sleeper(marker: str) -> str:
    return f"62.{int(marker[-8:], 16)}"


def gone(command_marker: str, seconds: float = 5) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not any(command_marker.encode() in _cmdline(p) for p in Path("/proc").glob("[0-9]*")):
            return True
        time.sleep(0.1)
    return False


def _cmdline(process: Path) -> bytes:
    try:
        return (process / "cmdline").read_bytes()
    except OSError:
        return b""


@pytest.fixture(scope="module")
def server() -> Iterator[socket.socket]:
    listener = socket.create_server(("127.0.0.1", 0))
    yield listener
    listener.close()


@dataclass(frozen=True)
class Probe:
    result: ExecutionResult
    found: dict[str, Any]  # what each attempt inside the kernel ended with
    marker: str
    data_file: Path


def run_probe(tmp_path: Path, server: socket.socket, *, sandbox: bool) -> Probe:
    marker, host_file = f"hlm-probe-{uuid.uuid4().hex}", tmp_path / "host.txt"
    host_file.write_text("host")
    data_file = tmp_path / "hsb12.sav"
    data_file.write_bytes(b"original data")
    path = tmp_path / "probe.ipynb"
    cells = probe_cells(marker, host_file, server.getsockname()[1], sandbox=sandbox)
    nbformat.write(new_notebook(cells=[new_code_cell(c) for c in cells]), path)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(SECRET, "hunter2")
        result = run_notebook(
            path,
            data_file=data_file,
            data_path="data/hsb12.sav",
            say=CONFIG.say,
            extra_cells=["json.dump(found, open('probe.json', 'w'))"],
            artifacts=["probe.json"],
            sandbox=sandbox,
        )
    for where in ("/work/main", "/root", "/etc", "/tmp"):
        Path(where, marker).unlink(missing_ok=True)  # only there if the sandbox leaked
    return Probe(result, json.loads(result.artifacts.get("probe.json", b"{}")), marker, data_file)


@pytest.fixture(scope="module")
def probe(tmp_path_factory: pytest.TempPathFactory, server: socket.socket) -> Probe:
    if not bwrap_available():
        pytest.skip("bubblewrap is not usable here")
    return run_probe(tmp_path_factory.mktemp("probe"), server, sandbox=True)


@pytest.mark.slow
def test_the_sandboxed_run_reports_itself(probe: Probe) -> None:
    assert probe.result.sandboxed and probe.result.error is None
    assert {c.status for c in probe.result.cells} == {"ok"}


@pytest.mark.slow
def test_the_system_is_read_only_but_the_work_dir_is_not(probe: Probe) -> None:
    assert probe.found["/work/main"] == probe.found["/root"] == probe.found["/etc"] == "OSError"
    assert probe.found["."] == "ok"
    assert not any(Path(where, probe.marker).exists() for where in ("/work/main", "/root", "/etc"))


@pytest.mark.slow
def test_tmp_is_private(probe: Probe) -> None:
    assert probe.found["tmp"] == "ok" and not Path("/tmp", probe.marker).exists()
    assert probe.found["host_tmp"] == "FileNotFoundError"


@pytest.mark.slow
def test_the_network_is_unreachable(probe: Probe) -> None:
    assert probe.found["network"] in {"ConnectionRefusedError", "OSError", "TimeoutError"}


@pytest.mark.slow
def test_overwriting_the_data_copy_leaves_the_original(probe: Probe) -> None:
    assert probe.found["data"] == "ok"
    assert probe.data_file.read_bytes() == b"original data"


@pytest.mark.slow
def test_the_graders_secrets_are_not_visible(probe: Probe) -> None:
    # Not in the environment, and not in /proc/<grader pid>/environ either (pid namespace).
    assert probe.found["secret_in_env"] is False and probe.found["secret_in_proc"] == 0
    assert probe.found["home_in_cwd"] is True


@pytest.mark.slow
def test_the_kernel_has_no_capabilities_and_has_its_limits(probe: Probe) -> None:
    assert probe.found["caps"] == ["0000000000000000"]  # so even root cannot remount / writable
    assert probe.found["limits"] == [Limits().memory_bytes, Limits().file_bytes]


@pytest.mark.slow
def test_a_detached_grandchild_dies_with_the_sandbox(probe: Probe) -> None:
    assert gone(sleeper(probe.marker))


@pytest.mark.slow
def test_without_the_sandbox_the_same_probe_reaches_the_network(
    tmp_path: Path, server: socket.socket
) -> None:
    unsandboxed = run_probe(tmp_path, server, sandbox=False)
    assert unsandboxed.result.sandboxed is False
    assert unsandboxed.found["network"] == "ok"  # so the check in the sandbox is not vacuous
    assert unsandboxed.found["secret_in_env"] is False and unsandboxed.found["home_in_cwd"] is True


@pytest.mark.slow
def test_a_package_under_tmp_imports_in_the_sandbox_read_only(
    tmp_dir_outside_pytest: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As a clone under /tmp installed editable, or PYTHONPATH=$PWD in one: the kernel imports it,
    # cannot change it, and sees nothing else of the host's /tmp.
    if not bwrap_available():
        pytest.skip("bubblewrap is not usable here")
    package = tmp_dir_outside_pytest / "lib" / "hlm_probe_package"
    package.mkdir()
    (package / "__init__.py").write_text("VALUE = 42\n")
    beside = tmp_dir_outside_pytest / "beside.txt"
    beside.write_text("not on the path")
    paths = [str(package.parent), *filter(None, [os.environ.get("PYTHONPATH")])]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(paths))
    cell = (
        "import json, hlm_probe_package\n"
        "found = {'value': hlm_probe_package.VALUE}\n"
        f"found['beside'] = __import__('os').path.exists({str(beside)!r})\n"
        "try:\n"
        f"    open({str(package / 'new.py')!r}, 'w').write('x')\n"
        "    found['write'] = 'ok'\n"
        "except OSError as exc:\n"
        "    found['write'] = type(exc).__name__\n"
    )
    path = tmp_path / "nb.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell(cell)]), path)
    (tmp_path / "hsb12.sav").write_bytes(b"data")
    result = run_notebook(
        path,
        data_file=tmp_path / "hsb12.sav",
        data_path="data/hsb12.sav",
        say=CONFIG.say,
        extra_cells=["json.dump(found, open('found.json', 'w'))"],
        artifacts=["found.json"],
        sandbox=True,
    )
    assert result.sandboxed and result.error is None
    found = json.loads(result.artifacts["found.json"])
    assert found == {"value": 42, "beside": False, "write": "OSError"}
    assert not (package / "new.py").exists()
