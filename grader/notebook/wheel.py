"""The running hlm-grader packed as a wheel, for the students' release folder.

``hlm-grader course init`` puts it beside the source notebook (nbgrader copies it into
``release/hlm/``), so a student who has only the release folder and Python installs the self-check
with one command: ``pip install hlm_grader-<version>-py3-none-any.whl``. It is packed from the
installed package itself, editable or not, so the instructor needs no build tools, no network and no
checkout, and the students get exactly the grader the instructor runs. The packing is
deterministic: the same installation always gives the same bytes.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import re
import zipfile
from importlib import metadata
from pathlib import Path

from grader.errors import GraderError

DISTRIBUTION = "hlm-grader"
#: What the wheel built from pyproject.toml holds: modules and the package data it lists.
SHIPPED_SUFFIXES = frozenset({".py", ".toml", ".ipynb", ".md", ".sav", ".csv"})
_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip file can hold: no build time in the bytes
_WHEEL = (
    "Wheel-Version: 1.0\nGenerator: hlm-grader course init\nRoot-Is-Purelib: true\nTag: {tag}\n"
)
TAG = "py3-none-any"


def wheel_filename(version: str, name: str = DISTRIBUTION) -> str:
    """The wheel's file name, as pip expects it.

    >>> wheel_filename("0.1.0")
    'hlm_grader-0.1.0-py3-none-any.whl'
    """
    return f"{_normalized(name)}-{version}-{TAG}.whl"


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def installed_version() -> str:
    """The version of the installed hlm-grader.

    Raises:
        GraderError: hlm-grader is imported from a folder, not installed (no metadata to ship).
    """
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        raise GraderError(
            f"{DISTRIBUTION} is not installed here (only imported from a folder), so there is no "
            "package to give students; install it with pip install -e . from the checkout."
        ) from None


def write_wheel(folder: Path) -> Path:
    """Pack the installed hlm-grader as a wheel in ``folder``; return its path.

    Raises:
        GraderError: hlm-grader is not installed, or one of its packages cannot be found.
    """
    version = installed_version()
    dist = metadata.distribution(DISTRIBUTION)
    info = f"{_normalized(DISTRIBUTION)}-{version}.dist-info"
    files = {name: path.read_bytes() for name, path in sorted(_package_files(dist).items())}
    # An egg-info (a checkout's build folder on the path) has the same core metadata as PKG-INFO.
    core = dist.read_text("METADATA") or dist.read_text("PKG-INFO")
    if not core:
        raise GraderError(f"the installed {DISTRIBUTION} has no metadata; reinstall it.")
    files[f"{info}/METADATA"] = core.encode("utf-8")
    for extra in ("entry_points.txt", "top_level.txt"):
        text = dist.read_text(extra)
        if text is not None:
            files[f"{info}/{extra}"] = text.encode("utf-8")
    files[f"{info}/WHEEL"] = _WHEEL.format(tag=TAG).encode("ascii")
    files[f"{info}/RECORD"] = _record(files, f"{info}/RECORD")
    target = folder / wheel_filename(version)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            entry = zipfile.ZipInfo(name, date_time=_EPOCH)
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, data, compress_type=zipfile.ZIP_DEFLATED)
    return target


def _package_files(dist: metadata.Distribution) -> dict[str, Path]:
    """Every shipped file of the distribution's top-level packages, by its path in the wheel."""
    found: dict[str, Path] = {}
    for package in (dist.read_text("top_level.txt") or "").split():
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            raise GraderError(f"the package {package!r} of {DISTRIBUTION} cannot be found.")
        root = Path(next(iter(spec.submodule_search_locations)))
        for path in root.rglob("*"):
            relative = path.relative_to(root)
            if path.is_file() and path.suffix in SHIPPED_SUFFIXES and not _hidden(relative):
                found[(Path(package) / relative).as_posix()] = path
    return found


def _hidden(relative: Path) -> bool:
    # Caches and dot-files of a working tree (an editable install) are not part of the package.
    return any(part == "__pycache__" or part.startswith(".") for part in relative.parts)


def _record(files: dict[str, bytes], record: str) -> bytes:
    lines = [f"{name},sha256={_digest(data)},{len(data)}" for name, data in files.items()]
    return "\n".join([*lines, f"{record},,", ""]).encode("utf-8")


def _digest(data: bytes) -> str:
    raw = hashlib.sha256(data).digest()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")
