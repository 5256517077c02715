"""The kernel-side extraction on hostile values, in-process (no kernel needed)."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from grader.kernel import extract


def extracted(tmp_path: Path, namespace: dict[str, Any], names: list[str]) -> dict[str, Any]:
    path = tmp_path / "answers.json"
    extract.extract(namespace, str(path), names)
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def test_a_list_repeating_itself_at_every_level_is_read_in_bounded_time(tmp_path: Path) -> None:
    # Was: 200 items at each of 7 levels is 200**6 reads; the extraction never finished.
    wide: list[Any] = [0.5] * 200
    for _ in range(6):
        wide = [wide] * 200
    started = time.monotonic()
    out = extracted(
        tmp_path, {"random_effects": wide, "coefficients": {"ses": wide}}, ["random_effects"]
    )
    assert time.monotonic() - started < 2
    assert out["answers"]["random_effects"] == {
        "type": "invalid",
        "reason": f"too large (more than {extract.MAX_NODES} values)",
    }
    assert out["values"]["coefficients"]["type"] == "invalid"


def test_the_budget_is_per_variable(tmp_path: Path) -> None:
    big = [[1.0] * 200] * 200  # 40,201 values: over the budget
    small = ["Intercept", "ses"]
    out = extracted(
        tmp_path,
        {"fixed_effects": small, "random_effects": big},
        ["fixed_effects", "random_effects"],
    )
    assert out["answers"]["fixed_effects"]["type"] == "list"
    assert out["answers"]["random_effects"]["type"] == "invalid"


def test_a_fifo_left_at_the_answers_path_is_replaced_not_opened(tmp_path: Path) -> None:
    # Was: open() on the student's FIFO blocked until the cell timed out; every answer was lost.
    os.mkfifo(tmp_path / "answers.json")
    out = extracted(tmp_path, {"icc": 0.1793}, ["icc"])
    assert out["answers"]["icc"] == {"type": "number", "value": 0.1793}


def test_a_symlink_left_at_the_answers_path_is_replaced_not_followed(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.txt"
    target.write_text("untouched", encoding="utf-8")
    (tmp_path / "answers.json").symlink_to(target)
    out = extracted(tmp_path, {"icc": 0.1793}, ["icc"])
    assert out["answers"]["icc"]["value"] == 0.1793
    assert target.read_text(encoding="utf-8") == "untouched"
    assert not (tmp_path / "answers.json").is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answers.json", "elsewhere.txt"]


def test_answers_under_own_names_are_captured_by_type(tmp_path: Path) -> None:
    import sympy

    eq = sympy.Eq(sympy.Symbol("Y_ij"), sympy.Symbol("beta_0j") + sympy.Symbol("r_ij"))
    namespace = {
        "L1": eq,
        "comb_est": "mathach_ij = 11.9 + 1.9*ses_ij + u_0j + r_ij",
        "fe_list": ["Intercept", "ses"],
        "l2_eqs": [eq, eq],
        "answers": {"ICC": 0.1793, "level 1": "Y = b", "fixed": ["ses"]},
        "profile": {"ses": 0.0, "minority": 1},
        "essay": "x" * (extract.MAX_STR + 1),
        "In": ["import pandas", "icc = 0.18"],
        "_private": "mathach = 1",
    }
    out = extracted(tmp_path, namespace, [])["values"]
    assert out["L1"]["type"] == "sympy" and out["l2_eqs"]["type"] == "list"
    assert out["comb_est"] == {"type": "string", "value": namespace["comb_est"]}
    assert [i["value"] for i in out["fe_list"]["items"]] == ["Intercept", "ses"]
    assert [k for k, _ in out["answers"]["items"]] == ["ICC", "level 1", "fixed"]
    assert "profile" in out  # a dict of numbers: the grader decides it answers nothing
    assert not {"essay", "In", "_private"} & set(out)


def test_a_table_of_per_school_values_is_never_read_as_names(tmp_path: Path) -> None:
    import pandas as pd

    # The seed's random_effects: pd.DataFrame(fit.random_effects).T, 160 schools by 2 effects.
    blups = pd.DataFrame({"Group": [0.1] * 160, "minority": [0.2] * 160},
                         index=range(1224, 1384))  # fmt: skip
    out = extracted(tmp_path, {"random_effects": blups, "by_school": dict(blups["Group"])},
                    ["random_effects"])  # fmt: skip
    assert out["answers"]["random_effects"]["type"] == "invalid"
    assert "per-school" in out["answers"]["random_effects"]["reason"]
    assert "by_school" not in out["values"]  # a dict of numbers keyed by numbers: no text


def test_numbered_rows_of_names_are_a_list(tmp_path: Path) -> None:
    import pandas as pd

    out = extracted(tmp_path, {"fixed_effects": pd.Series(["Intercept", "ses"])}, ["fixed_effects"])
    assert [i["value"] for i in out["answers"]["fixed_effects"]["items"]] == ["Intercept", "ses"]


def test_many_long_values_never_fill_the_answers_file(tmp_path: Path) -> None:
    long_list = ["x" * extract.MAX_STR] * extract.MAX_ITEMS  # 400,000 characters of text
    namespace = {f"notes_{i}": ["word " * 300] * 150 for i in range(300)}
    namespace |= {"big": long_list, "rho_text": "ICC: 0.18"}
    started = time.monotonic()
    out = extracted(tmp_path, namespace, [])
    assert time.monotonic() - started < 10
    assert (tmp_path / "answers.json").stat().st_size < 1_200_000
    assert "big" not in out["values"]
