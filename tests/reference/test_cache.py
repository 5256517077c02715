"""The fit cache: one fit per distinct model, atomic and shared across processes, never trusted blindly."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from reference import FitResult, ModelSpec, make_spec
from reference.data import load_dataset, with_dataset
from reference.fitting import cache as cache_module
from reference.fitting.cache import ENV_VAR, FitCache, cached_fit, default_cache
from tests.hlm import SEED_FINAL

TEMPLATE = FitResult(
    spec=make_spec("mathach ~ 1"),
    fe_params={"Intercept": 12.63706979},  # lme4's unconditional ML fit
    bse={"Intercept": 0.2436170887},
    fe_cov=((0.05934928591,),),
    cov_re=((8.55346068,),),
    cov_re_names=("Intercept",),
    scale=39.14839996,
    llf=-23557.9051,
    aic=47121.810,
    optimizer="fake",
    n_obs=7185,
    n_groups=160,
)
# A tiny frame described as the HSB data (the cache keys a fit by the data and its grouping).
DATA = with_dataset(
    pd.DataFrame({"school": [1, 1, 2, 2], "mathach": [1.0, 2.0, 3.0, 4.0]}), load_dataset("hlm")
)


@pytest.fixture
def fits(monkeypatch: pytest.MonkeyPatch) -> list[ModelSpec]:
    """Replace the real fit by an instant fake, recording every spec it is asked to fit."""
    calls: list[ModelSpec] = []

    def fake_fit(spec: ModelSpec, data: pd.DataFrame) -> FitResult:
        calls.append(spec)
        normal = make_spec(spec.formula, spec.re_formula, reml=spec.reml)
        return dataclasses.replace(TEMPLATE, spec=normal)

    monkeypatch.setattr(cache_module, "robust_fit", fake_fit)
    return calls


def test_a_class_choosing_five_models_costs_five_fits(
    tmp_path: Path, fits: list[ModelSpec]
) -> None:
    choices = [
        ("mathach ~ ses + meanses + pracad", "1"),
        ("mathach ~ ses + meanses + pracad", "~ses"),
        ("mathach ~ minority + female + sector", "~minority"),
        ("mathach ~ cses + meanses + sector + cses:sector", "~cses"),
        ("mathach ~ ses + size + himinty", "1"),
    ]
    store = FitCache(tmp_path)
    for student in range(200):
        formula, re_formula = choices[student % 5]
        if student % 2:  # same models, written the way students write them
            formula, re_formula = (
                formula.upper().replace(" ", ""),
                re_formula.replace("~", "~ 1 + "),
            )
        cached_fit(make_spec(formula, re_formula), DATA, cache=store)
    assert len(fits) == 5
    assert len(list(tmp_path.glob("*.json"))) == 5


def test_disk_copies_serve_new_processes(tmp_path: Path, fits: list[ModelSpec]) -> None:
    spec = make_spec("mathach ~ ses + meanses + pracad")
    first = FitCache(tmp_path).fit(spec, DATA)
    again = FitCache(tmp_path).fit(spec, DATA)  # a fresh instance has an empty memory
    assert again == first and len(fits) == 1
    assert list(tmp_path.glob("*.tmp")) == []


def test_method_and_data_are_part_of_the_key(tmp_path: Path, fits: list[ModelSpec]) -> None:
    store = FitCache(tmp_path)
    spec = make_spec("mathach ~ ses + meanses + pracad")
    store.fit(spec, DATA)
    store.fit(spec.with_reml(True), DATA)
    store.fit(spec, DATA.assign(mathach=DATA["mathach"] + 1))
    assert len(fits) == 3


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[: len(text) // 2],  # half-written
        lambda text: "not json at all",
        lambda text: json.dumps({"key": "v1|another model", "fit": json.loads(text)["fit"]}),
        lambda text: json.dumps({"key": json.loads(text)["key"], "fit": {"formula": "x"}}),
    ],
    ids=["truncated", "garbage", "wrong-key", "incomplete"],
)
def test_damaged_files_are_refitted_and_repaired(
    tmp_path: Path, fits: list[ModelSpec], damage: Callable[[str], str]
) -> None:
    spec = make_spec("mathach ~ ses + meanses + pracad")
    FitCache(tmp_path).fit(spec, DATA)
    (path,) = tmp_path.glob("*.json")
    path.write_text(damage(path.read_text()))
    assert FitCache(tmp_path).fit(spec, DATA).spec == spec
    assert len(fits) == 2
    assert FitResult.from_dict(json.loads(path.read_text())["fit"]).spec == spec


def test_unwritable_directory_falls_back_to_memory(tmp_path: Path, fits: list[ModelSpec]) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    store = FitCache(blocker / "cache")  # cannot be created under a file
    assert store.directory is None
    spec = make_spec("mathach ~ ses + meanses + pracad")
    store.fit(spec, DATA)
    store.fit(spec, DATA)
    assert len(fits) == 1


def test_no_cache_always_fits(fits: list[ModelSpec]) -> None:
    spec = make_spec("mathach ~ ses + meanses + pracad")
    cached_fit(spec, DATA, cache=None)
    cached_fit(spec, DATA, cache=None)
    assert len(fits) == 2


def test_default_cache_follows_the_environment(
    empty_cache_dir: Path, fits: list[ModelSpec]
) -> None:
    assert default_cache().directory == empty_cache_dir
    cached_fit(make_spec("mathach ~ ses + meanses + pracad"), DATA)
    assert len(list(empty_cache_dir.glob("*.json"))) == 1


def test_default_cache_is_under_home_without_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_VAR)
    monkeypatch.setattr(cache_module, "_DEFAULTS", {})
    monkeypatch.setattr(cache_module, "FitCache", lambda directory: directory)
    assert default_cache() == str(Path.home() / ".cache" / "hlm-grader")  # type: ignore[comparison-overlap]


CONCURRENT = """
import sys, time, dataclasses
import pandas as pd
from reference import make_spec
from reference.fitting import cache
from tests.reference.test_cache import TEMPLATE, DATA
from tests.hlm import SEED_FINAL

def slow_fit(spec, data):
    with open(sys.argv[2], "a") as log:
        log.write("fit\\n")
    time.sleep(0.5)
    return dataclasses.replace(TEMPLATE, spec=make_spec(spec.formula, spec.re_formula))

cache.robust_fit = slow_fit
fit = cache.FitCache(sys.argv[1]).fit(make_spec("mathach ~ ses + meanses + pracad"), DATA)
print(fit.spec.formula)
"""


def test_concurrent_processes_fit_a_model_once(tmp_path: Path) -> None:
    log = tmp_path / "fits.log"
    root = Path(__file__).resolve().parents[2]
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", CONCURRENT, str(tmp_path / "cache"), str(log)],
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    outputs = [worker.communicate(timeout=60) for worker in workers]
    assert [out for out, _err in outputs] == ["mathach ~ ses + meanses + pracad\n"] * 3
    assert all(err == "" for _out, err in outputs)
    assert log.read_text() == "fit\n"


def test_memo_computes_a_derived_document_once(tmp_path: Path) -> None:
    calls: list[int] = []

    def compute() -> dict[str, object]:
        calls.append(1)
        return {"text": ["β0j = γ00 + u0j"]}

    first = FitCache(tmp_path).memo(SEED_FINAL, "abc", "equations", compute)
    again = FitCache(tmp_path).memo(SEED_FINAL, "abc", "equations", compute)  # a new process
    other = FitCache(tmp_path).memo(SEED_FINAL, "other-data", "equations", compute)
    assert first == again == other == {"text": ["β0j = γ00 + u0j"]}
    assert len(calls) == 2
