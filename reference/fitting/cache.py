"""A disk cache of fits, so that a class choosing a handful of models costs a handful of fits.

One JSON file per (normalised spec, data hash, format version). Writes are atomic (a temporary file
renamed over the target), so concurrent processes writing the same key each leave a complete file; a
per-key lock file makes the second process wait and reuse the first one's fit instead of refitting.
Unreadable or stale files are ignored and refitted. The directory is ``$HLM_GRADER_CACHE`` or
``~/.cache/hlm-grader``; when it cannot be created or written, fits are kept in memory only.
"""

from __future__ import annotations

import contextlib
import enum
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from reference.data.files import data_hash
from reference.fitting.result import FitResult
from reference.fitting.robust import robust_fit
from reference.model.spec import ModelSpec, make_spec

ENV_VAR = "HLM_GRADER_CACHE"
# Bump whenever fitting could give different numbers or FitResult.to_dict changes shape.
CACHE_VERSION = 1


class CacheDefault(enum.Enum):
    """Type of :data:`DEFAULT`, the "use the default cache" marker of ``cache=`` arguments."""

    CACHE = "the default cache"


DEFAULT = CacheDefault.CACHE


class FitCache:
    """Fits by (spec, data hash): in memory, and on disk when ``directory`` is usable.

    >>> cache = FitCache(None)  # memory only
    >>> cache.directory is None
    True
    """

    __slots__ = ("_memory", "directory")

    def __init__(self, directory: str | Path | None) -> None:
        self.directory = _usable(Path(directory)) if directory is not None else None
        self._memory: dict[str, FitResult] = {}

    def get(self, spec: ModelSpec, digest: str) -> FitResult | None:
        """The stored fit of ``spec`` on data with hash ``digest``, or ``None``."""
        key = cache_key(spec, digest)
        if key not in self._memory:
            found = self._read(key)
            if found is None:
                return None
            self._memory[key] = found
        return self._memory[key]

    def put(self, fit: FitResult, digest: str) -> None:
        """Store ``fit`` (of data with hash ``digest``); disk errors only cost the disk copy."""
        key = cache_key(fit.spec, digest)
        self._memory[key] = fit
        path = self._path(key)
        if path is not None:
            record = {"key": key, "fit": fit.to_dict()}
            with contextlib.suppress(OSError):
                _atomic_write(path, json.dumps(record, allow_nan=False))

    def fit(self, spec: ModelSpec, data: pd.DataFrame) -> FitResult:
        """The cached fit of ``spec`` on ``data``, fitting (once across processes) when missing."""
        digest = data_hash(data)
        found = self.get(spec, digest)
        if found is not None:
            return found
        with _locked(self._path(cache_key(spec, digest))):
            found = self.get(spec, digest)  # another process may have fitted it meanwhile
            if found is None:
                found = robust_fit(spec, data)
                self.put(found, digest)
        return found

    def memo(
        self, spec: ModelSpec, digest: str, name: str, compute: Callable[[], dict[str, Any]]
    ) -> dict[str, Any]:
        """A JSON document derived from the fit of ``spec`` (e.g. its rendered equations),
        computed once and kept beside the fit, so a warm run need not import what made it."""
        key = f"{cache_key(spec, digest)}|{name}"
        path = self._path(key)
        if path is not None:
            with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
                record = json.loads(path.read_text(encoding="utf-8"))
                if record["key"] == key and isinstance(record["value"], dict):
                    return dict(record["value"])
        value = compute()
        if path is not None:
            with contextlib.suppress(OSError, ValueError, TypeError):
                _atomic_write(path, json.dumps({"key": key, "value": value}, allow_nan=False))
        return value

    def _path(self, key: str) -> Path | None:
        if self.directory is None:
            return None
        return self.directory / f"{hashlib.sha256(key.encode()).hexdigest()[:32]}.json"

    def _read(self, key: str) -> FitResult | None:
        path = self._path(key)
        if path is None:
            return None
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
            if record["key"] != key:  # a hash collision or a file copied from elsewhere
                return None
            return FitResult.from_dict(record["fit"])
        except (OSError, ValueError, KeyError, TypeError):
            return None  # missing, half-written by a crashed tool, or corrupt: refit


def cache_key(spec: ModelSpec, digest: str) -> str:
    """Text key of a fit: format version, normalised spec and data hash.

    >>> from reference.model.spec import make_spec
    >>> SEED_FINAL = make_spec("mathach ~ ses + meanses + pracad + minority + female", "~minority")
    >>> cache_key(SEED_FINAL, "94239d3fee5bc2bb")
    'v1|mathach ~ ses + meanses + pracad + minority + female|~minority|ML|94239d3fee5bc2bb'
    """
    normal = make_spec(
        spec.formula,
        spec.re_formula,
        reml=spec.reml,
        derived=spec.derived,
        independent=spec.independent,
    )
    return f"v{CACHE_VERSION}|{normal.key()}|{digest}"


def default_cache() -> FitCache:
    """The process-wide cache for the directory currently configured (see the module notes)."""
    directory = os.environ.get(ENV_VAR) or str(Path.home() / ".cache" / "hlm-grader")
    if directory not in _DEFAULTS:
        _DEFAULTS[directory] = FitCache(directory)
    return _DEFAULTS[directory]


def resolve(cache: FitCache | CacheDefault | None) -> FitCache | None:
    """The cache a ``cache=`` argument means: :data:`DEFAULT` is :func:`default_cache`."""
    return default_cache() if cache is DEFAULT else cache


def cached_fit(
    spec: ModelSpec, data: pd.DataFrame, *, cache: FitCache | CacheDefault | None = DEFAULT
) -> FitResult:
    """:func:`reference.fitting.robust.robust_fit`, through a cache (``None``: always fit).

    >>> from reference import load_data, make_spec
    >>> SEED_FINAL = make_spec("mathach ~ ses + meanses + pracad + minority + female", "~minority")
    >>> round(cached_fit(SEED_FINAL, load_data("hlm"), cache=None).llf, 4)
    -23139.4984
    """
    store = resolve(cache)
    return robust_fit(spec, data) if store is None else store.fit(spec, data)


_DEFAULTS: dict[str, FitCache] = {}


def _usable(directory: Path) -> Path | None:
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return directory if os.access(directory, os.W_OK | os.X_OK) else None


def _atomic_write(path: Path, text: str) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.stem, suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


@contextlib.contextmanager
def _locked(path: Path | None) -> Iterator[None]:
    """Hold an exclusive lock on ``path``'s ``.lock`` sibling (no-op without a directory or fcntl)."""
    try:
        import fcntl
    except ImportError:  # Windows: concurrent processes may then fit the same model twice
        fcntl = None  # type: ignore[assignment]
    if path is None or fcntl is None:
        yield
        return
    try:
        stream = open(path.with_suffix(".lock"), "a")  # noqa: SIM115 - closed below
    except OSError:
        yield
        return
    with stream:
        fcntl.flock(stream, fcntl.LOCK_EX)  # released when the file is closed
        yield
