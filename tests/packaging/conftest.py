"""Session fixtures of the packaging tests: the built wheel and the virtualenvs, made once."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.packaging.venvs import ASSIGNMENT_PACKAGES, Venv, create, once, pip_cache

REPO = Path(__file__).resolve().parents[2]
# What a clean checkout does not have: build output, caches, environments, version control.
NOT_SOURCE = shutil.ignore_patterns(
    ".git", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis", ".venv",
    ".ipynb_checkpoints",
)  # fmt: skip


def clean_copy(target: Path) -> Path:
    """This checkout as a fresh clone has it, including uncommitted work (what is under test).

    Building in a copy keeps setuptools' ``build/`` folder, which can carry files deleted from
    the source into the next wheel, out of the picture.
    """
    shutil.copytree(REPO, target, ignore=NOT_SOURCE)
    return target


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder holding ``source/`` (a clean copy) and ``dist/`` (its wheel, by pip wheel)."""

    def make(folder: Path) -> None:
        source = clean_copy(folder / "source")
        subprocess.run(
            [sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "--quiet", "-w",
             str(folder / "dist")],
            cwd=source, check=True, capture_output=True, timeout=600,
        )  # fmt: skip

    return once(tmp_path_factory, "built-wheel", make)


@pytest.fixture(scope="session")
def wheel(built: Path) -> Path:
    (found,) = (built / "dist").glob("hlm_grader-*.whl")
    return found


@pytest.fixture(scope="session")
def wheel_venv(tmp_path_factory: pytest.TempPathFactory, wheel: Path) -> Venv:
    """A fresh virtualenv with the wheel installed, not editable, its dependencies from the index."""
    cache = pip_cache(tmp_path_factory)
    folder = once(
        tmp_path_factory, "wheel-venv", lambda f: create(f / "venv", cache).pip_install(str(wheel))
    )
    return Venv(folder / "venv", cache)


@pytest.fixture(scope="session")
def assignment_venv(tmp_path_factory: pytest.TempPathFactory) -> Venv:
    """A fresh virtualenv with only the assignment's own packages: no hlm-grader."""
    cache = pip_cache(tmp_path_factory)
    folder = once(
        tmp_path_factory, "assignment-venv",
        lambda f: create(f / "venv", cache).pip_install(*ASSIGNMENT_PACKAGES),
    )  # fmt: skip
    return Venv(folder / "venv", cache)
