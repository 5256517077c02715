"""The student's install against the assignment's own packages: disk size and package count.

Target (issue 12): the base install of hlm-grader, what a student needs for the self-check, is at
most 1.10× the size of a virtualenv with only the packages the assignment itself needs (pandas,
pyreadstat, statsmodels, sympy, ipykernel, nbclient). Before the instructor's packages (nbgrader,
JupyterLab, Notebook 7, SQLAlchemy, alembic) moved to the ``[instructor]`` extra it was 1.36×.

In one run: build hlm-grader's wheel from this checkout (``pip wheel . --no-deps``), make two
fresh virtualenvs side by side, install the assignment's packages into one and the wheel (with
its dependencies) into the other, both as a student would (from the package index, byte-compiled),
and compare the sizes of what was installed (``site-packages``; the whole venv is shown too) and
the number of distributions beyond pip. Everything lives in one temporary folder, pip's cache too.

Usage: ``python benchmarks/bench_install.py [--keep DIR]``; exits 1 on a miss.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ASSIGNMENT_PACKAGES = ("pandas", "pyreadstat", "statsmodels", "sympy", "ipykernel", "nbclient")
TARGET = 1.10
MB = 1000**2


@dataclass(frozen=True)
class Install:
    """What one virtualenv holds after its install."""

    name: str
    venv_bytes: int
    site_bytes: int
    packages: int

    def line(self) -> str:
        return (f"{self.name:<34} {self.site_bytes / MB:8.1f} MB installed "
                f"({self.venv_bytes / MB:6.1f} MB venv), {self.packages:3d} packages")  # fmt: skip


def size(folder: Path) -> int:
    """Bytes of the regular files under ``folder`` (symlinks not followed, as ``du`` counts)."""
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def install(work: Path, folder: str, name: str, requirements: list[str]) -> Install:
    """A fresh virtualenv ``work/folder`` with ``requirements`` installed from the package index."""
    venv = work / folder
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PIP_NO_COMPILE"}}
    env["PIP_CACHE_DIR"] = str(work / "pip-cache")
    subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet",
         "--disable-pip-version-check", *requirements],
        check=True, env=env,
    )  # fmt: skip
    (site,) = venv.glob("lib/python3*/site-packages")
    distributions = [d for d in site.glob("*.dist-info") if not d.name.startswith("pip-")]
    return Install(name, size(venv), size(site), len(distributions))


def build_wheel(work: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--quiet", "-w",
         str(work / "dist")],
        check=True,
    )  # fmt: skip
    (wheel,) = (work / "dist").glob("hlm_grader-*.whl")
    return wheel


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", type=Path, help="build here and keep the virtualenvs")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="hlm-bench-install-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        wheel = build_wheel(work)
        baseline = install(work, "assignment", "assignment's packages only", [*ASSIGNMENT_PACKAGES])
        student = install(work, "student", "hlm-grader (base install)", [str(wheel)])
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    ratio = student.site_bytes / baseline.site_bytes
    print(baseline.line())
    print(student.line())
    print(f"ratio {ratio:.3f}x installed size, +{student.packages - baseline.packages} packages "
          f"(target <= {TARGET:.2f}x): {'met' if ratio <= TARGET else 'MISSED'}")  # fmt: skip
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
