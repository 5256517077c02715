"""Shared fixtures: the HSB data read once per session, and fit caches that never touch ~/.cache."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from reference import load_data
from reference.fitting.cache import ENV_VAR


@pytest.fixture(scope="session", autouse=True)
def session_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Every test (and every CLI subprocess it starts) caches fits in one session directory.

    Sharing it across the session means each model is fitted once however many tests use it; keeping
    it out of the user's ``~/.cache`` means no test depends on, or pollutes, a real cache.
    """
    path = tmp_path_factory.mktemp("hlm-grader-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(ENV_VAR, str(path))
        yield path


@pytest.fixture
def empty_cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the default cache at a fresh, empty directory for one test."""
    path = tmp_path / "cache"
    monkeypatch.setenv(ENV_VAR, str(path))
    return path


@pytest.fixture(scope="session")
def hsb() -> pd.DataFrame:
    """The bundled data as the assignment loads it. Shared: tests must not modify it."""
    return load_data("hlm")
