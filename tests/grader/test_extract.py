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
