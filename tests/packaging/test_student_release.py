"""A student with only the release folder and Python: two commands to a self-check.

The release is made as an instructor makes it (``hlm-grader course init``, then ``nbgrader
generate_assignment``). The student's folder is a copy of ``release/hlm/`` with the notebook
filled in, and the student's Python a fresh virtualenv with nothing in it. Then exactly the two
commands the notebook gives (and README's "For students"): ``pip install <the wheel>`` and
``hlm-grader check hlm.ipynb``. The expected score is the scenario's (the assignment's points, 0
for each part with a classic mistake), not the grader's.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import nbformat
import pytest

from grader.notebook.course import init_course
from tests.packaging.venvs import create, pip_cache

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "nbgrader"
SCENARIO = "partial"  # inverted ICC and reversed AIC; fits with lbfgs only, so it runs fast


def load_build() -> ModuleType:
    spec = importlib.util.spec_from_file_location("nbgrader_fixtures", FIXTURES / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look the module up while building the class
    spec.loader.exec_module(module)
    return module


build = load_build()


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    course = init_course(tmp_path_factory.mktemp("instructor") / "course")
    subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment", "hlm"],
                   cwd=course.root, env=build.nbgrader_env(), check=True, capture_output=True,
                   timeout=600)  # fmt: skip
    return course.root / "release" / "hlm"


def listing(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


def instructions(notebook: nbformat.NotebookNode) -> str:
    return "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")


def test_the_release_holds_the_notebook_the_data_and_the_grader(release: Path) -> None:
    (wheel,) = [name for name in listing(release) if name.endswith(".whl")]
    assert listing(release) == sorted(["data", "data/hsb12.sav", "hlm.ipynb", wheel])
    text = instructions(nbformat.read(release / "hlm.ipynb", as_version=4))
    assert f"```\npip install {wheel}\n```" in text  # the name in the notebook is the file's


def test_two_commands_from_the_release_folder_to_a_self_check(
    release: Path, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path / "hlm"
    shutil.copytree(release, folder)
    notebook = nbformat.read(folder / "hlm.ipynb", as_version=4)
    filled = build.submission(notebook, nbformat.read(build.SOURCE, as_version=4),
                              build.BY_NAME[SCENARIO])  # fmt: skip
    nbformat.write(filled, folder / "hlm.ipynb")
    before = listing(folder)
    text = instructions(notebook)
    install = re.search(r"```\n(pip install hlm_grader-\S+\.whl)\n```", text)
    assert install is not None and "`hlm-grader check hlm.ipynb`" in text
    python = create(tmp_path / "python", pip_cache(tmp_path_factory))

    installed = python.shell(install.group(1), cwd=folder)
    assert installed.returncode == 0, installed.stderr[-3000:]
    checked = python.shell("hlm-grader check hlm.ipynb", cwd=folder)

    assert checked.returncode == 1, checked.stderr[-3000:]  # two parts are wrong
    total = build.BY_NAME[SCENARIO].total
    assert f"Total: {total:g} / 100" in checked.stdout
    assert listing(folder) == before  # the self-check leaves nothing behind


def test_readme_gives_students_the_same_two_commands(release: Path) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## For students", 1)[1].split("\n## ", 1)[0]
    (wheel,) = [name for name in listing(release) if name.endswith(".whl")]
    assert re.search(r"pip install hlm_grader-[\w.*<>-]+\.whl", section)
    assert "hlm-grader check hlm.ipynb" in section and wheel.startswith("hlm_grader-")
