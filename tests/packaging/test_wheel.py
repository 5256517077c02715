"""The package as pip builds it and a student installs it: a wheel, not editable, in a fresh venv.

The wheel is built from a clean copy of this checkout with ``pip wheel . --no-deps`` and installed
with its dependencies from the package index into an empty virtualenv, so a module or data file
missing from the wheel, or a dependency missing from its metadata, fails here. Scores expected of
the fixture notebook come from its scenario (``tests/fixtures/nbgrader/build.py``: the assignment's
points, 0 for a part with a classic mistake), never from the grader.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from types import ModuleType

import nbformat
import pytest

from grader.run.sandbox import bwrap_available
from tests.packaging.venvs import RUN_NOTEBOOK, Venv

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
PACKAGES = ("assignments", "grader", "reference")
# pyproject.toml's package data, besides modules.
DATA_SUFFIXES = {".toml", ".ipynb", ".md", ".sav", ".csv"}
INSTRUCTOR_ONLY = {"nbgrader", "jupyterlab", "notebook", "sqlalchemy", "alembic", "dask",
                   "distributed"}  # fmt: skip
FIXTURES = REPO / "tests" / "fixtures" / "nbgrader"
SCENARIO = "partial"  # inverted ICC and reversed AIC; fits with lbfgs only, so it runs fast


def load_build() -> ModuleType:
    spec = importlib.util.spec_from_file_location("nbgrader_fixtures", FIXTURES / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look the module up while building the class
    spec.loader.exec_module(module)
    return module


EXPECTED = load_build().BY_NAME[SCENARIO].expected


def source_files() -> set[str]:
    """Every module and data file of the packages in this checkout, as paths in a wheel."""
    found = set()
    for package in PACKAGES:
        for path in (REPO / package).rglob("*"):
            relative = path.relative_to(REPO)
            hidden = any(part == "__pycache__" or part.startswith(".") for part in relative.parts)
            shipped = path.suffix == ".py" or path.suffix in DATA_SUFFIXES
            if path.is_file() and shipped and not hidden:
                found.add(relative.as_posix())
    return found


def wheel_files(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return {n for n in archive.namelist() if ".dist-info/" not in n}


def test_the_wheel_holds_every_module_and_data_file_and_nothing_else(wheel: Path) -> None:
    assert wheel_files(wheel) == source_files()


def test_the_sdist_builds_the_same_wheel(built: Path, wheel: Path, tmp_path: Path) -> None:
    # python -m build, as a release would be made: the sdist, then a wheel from the sdist alone.
    subprocess.run(
        [sys.executable, "-m", "build", "--sdist", "--outdir", str(tmp_path), str(built / "source")],
        check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    (sdist,) = tmp_path.glob("hlm_grader-*.tar.gz")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(sdist), "--no-deps", "--quiet", "-w",
         str(tmp_path / "from-sdist")],
        check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    (rebuilt,) = (tmp_path / "from-sdist").glob("hlm_grader-*.whl")
    assert wheel_files(rebuilt) == wheel_files(wheel)


def test_the_venv_imports_the_installed_wheel_not_this_checkout(
    wheel_venv: Venv, tmp_path: Path
) -> None:
    code = "import assignments, grader, reference; print(grader.__file__, reference.__file__)"
    done = wheel_venv.python("-c", code, cwd=tmp_path)
    site = str(wheel_venv.root / "lib")
    assert done.returncode == 0 and all(f.startswith(site) for f in done.stdout.split())
    assert not list(wheel_venv.root.glob("lib/python3*/site-packages/__editable__*"))


def test_the_students_install_has_no_instructor_packages(wheel_venv: Venv) -> None:
    installed = wheel_venv.installed()
    assert "hlm-grader" in installed and installed & INSTRUCTOR_ONLY == set()


def student_folder(tmp_path: Path) -> Path:
    """A student's folder: the notebook filled in as the scenario's student did, and the data."""
    folder = tmp_path / "student"
    (folder / "data").mkdir(parents=True)
    shutil.copyfile(FIXTURES / f"{SCENARIO}.ipynb", folder / "hlm.ipynb")
    shutil.copyfile(
        REPO / "assignments" / "hlm" / "data" / "hsb12.sav", folder / "data" / "hsb12.sav"
    )
    return folder


def listing(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


def test_hlm_grader_check_from_the_wheel(wheel_venv: Venv, tmp_path: Path) -> None:
    folder = student_folder(tmp_path)
    before = listing(folder)
    done = wheel_venv.run("hlm-grader", "check", "hlm.ipynb", "--json", cwd=folder)
    assert done.returncode == 1, done.stderr[-3000:]  # not every part passed
    report = json.loads(done.stdout)
    assert {p["id"]: p["score"] for p in report["parts"]} == EXPECTED
    assert report["sandboxed"] is bwrap_available()  # the venv lives under /tmp: bound back
    assert listing(folder) == before  # nothing left in the student's folder


def test_check_in_a_notebook_with_a_kernel_of_the_venv(wheel_venv: Venv, tmp_path: Path) -> None:
    folder = student_folder(tmp_path)
    nb = nbformat.read(folder / "hlm.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(
        "import json, sys\nimport grader\nfrom grader.notebook import check\n\n"
        "report = check()\n"
        "print(json.dumps({'parts': {p.id: p.score for p in report.parts}, 'error': report.error,"
        " 'grader': grader.__file__, 'python': sys.executable}))"
    ))  # fmt: skip
    nbformat.write(nb, folder / "hlm.ipynb")
    before = listing(folder)
    done = wheel_venv.python(
        "-c", RUN_NOTEBOOK, "hlm.ipynb", str(tmp_path / "ran.ipynb"), cwd=folder
    )
    assert done.returncode == 0, done.stderr[-3000:]
    last = nbformat.read(tmp_path / "ran.ipynb", as_version=4).cells[-1]
    found = json.loads(
        "".join(o.get("text", "") for o in last.outputs if o.output_type == "stream")
    )
    assert found["error"] is None and found["parts"] == EXPECTED
    assert found["grader"].startswith(str(wheel_venv.root)) and found["python"].startswith(
        str(wheel_venv.root)
    )
    assert listing(folder) == before  # the judgement is not cached beside the notebook


def test_course_init_says_it_needs_the_instructor_extra(wheel_venv: Venv, tmp_path: Path) -> None:
    done = wheel_venv.run("hlm-grader", "course", "init", str(tmp_path / "course"))
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        "hlm-grader: `hlm-grader course` needs nbgrader: pip install 'hlm-grader[instructor]'\n"
    )
    assert not (tmp_path / "course").exists()


def test_a_scheduler_says_it_needs_the_dask_extra(wheel_venv: Venv, tmp_path: Path) -> None:
    (tmp_path / "submissions").mkdir()
    shutil.copyfile(FIXTURES / f"{SCENARIO}.ipynb", tmp_path / "submissions" / "alice.ipynb")
    done = wheel_venv.run("hlm-grader", "grade", str(tmp_path / "submissions"), "--out",
                          str(tmp_path / "out"), "--scheduler", "tcp://127.0.0.1:9")  # fmt: skip
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        "hlm-grader: `hlm-grader grade --scheduler` needs Dask distributed: "
        "pip install 'hlm-grader[dask]'\n"
    )
    assert not (tmp_path / "out").exists()
