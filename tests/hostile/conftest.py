"""What every hostile-corpus test shares: hidden data, a secret to protect, and a damage check.

:func:`untouched` snapshots everything a hostile notebook could try to change outside its own run
(the corpus, the bundled data, the repository's top level, the host's /tmp canaries, left-over
processes) and fails the test if any of it changed.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from grader.report.values import GradeReport
from grader.run.sandbox import bwrap_available
from reference.data.perturb import write_perturbed
from tests.hlm import HLM
from tests.hostile.build_corpus import (
    CANARY,
    NOTEBOOKS,
    ORPHAN_MARK,
    SECRET_FILE_NAME,
    SECRET_VARIABLE,
)

REPO = Path(__file__).resolve().parents[2]
HIDDEN_SEED = 20240502

needs_sandbox = pytest.mark.skipif(
    not bwrap_available(),
    reason="the hostile corpus runs only inside bubblewrap: without it, its writes would land",
)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The state a notebook must not change, taken before and compared after a run."""

    hashes: dict[str, str]
    corpus_names: frozenset[str]

    @classmethod
    def take(cls, extra: tuple[Path, ...] = ()) -> Snapshot:
        files = [*sorted(NOTEBOOKS.glob("*.ipynb")), HLM.bundled_data, *extra]
        return cls(
            hashes={str(p): sha256(p) for p in files},
            corpus_names=frozenset(p.name for p in NOTEBOOKS.iterdir()),
        )


def canaries() -> list[str]:
    """Canary files on the host: in /tmp, anywhere in the repository, in the real home."""
    found = [*Path("/tmp").glob(Path(CANARY).name + "*"), *Path.home().glob("hlm-hostile-canary*")]
    new_in_repo = subprocess.run(
        ["git", "ls-files", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    found += [REPO / name for name in new_in_repo if "canary" in name]
    return sorted(str(p) for p in found)


def orphans() -> list[int]:
    """Processes started by the orphan_process case that are still alive."""
    alive = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if argv[:2] == [b"sleep", ORPHAN_MARK.encode()]:
            alive.append(int(entry.name))
    return alive


@dataclass(frozen=True, slots=True)
class Guard:
    """A snapshot plus the secret a notebook must not be able to read."""

    before: Snapshot
    secret: str
    extra: tuple[Path, ...]

    def check(self, *reports: GradeReport) -> None:
        """Fail if anything outside the run changed or any report leaks the secret."""
        after = Snapshot.take(self.extra)
        changed = [p for p, h in self.before.hashes.items() if after.hashes.get(p) != h]
        assert not changed, f"files changed by a notebook: {changed}"
        assert after.corpus_names == self.before.corpus_names, "a notebook added corpus files"
        assert not canaries(), f"a notebook left canaries on the host: {canaries()}"
        assert _no_orphans(), f"processes outlived their run: {orphans()}"
        for report in reports:
            assert self.secret not in json.dumps(report.to_dict()), "a report leaked the secret"


def _no_orphans(wait: float = 5.0) -> bool:
    deadline = time.monotonic() + wait
    while orphans():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


@pytest.fixture
def untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hidden_data: Path
) -> Iterator[Guard]:
    """Plant a secret in the environment and the host's /tmp; check for damage afterwards."""
    leftovers = canaries()
    assert not leftovers, f"canaries from an earlier run; remove them first: {leftovers}"
    secret = "hlm-secret-" + secrets.token_hex(8)
    monkeypatch.setenv(SECRET_VARIABLE, secret)
    (tmp_path / SECRET_FILE_NAME).write_text(secret, encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # anything the grader's own process wrote by mistake lands here
    guard = Guard(Snapshot.take((hidden_data,)), secret, (hidden_data,))
    yield guard
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("hlm-hostile-canary")]


@pytest.fixture(scope="session")
def hidden_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A perturbed copy of the data, as ``hlm-grader grade --hidden-data`` makes one."""
    return write_perturbed(
        tmp_path_factory.mktemp("hidden") / "hsb12.sav", HIDDEN_SEED, HLM.dataset
    )
