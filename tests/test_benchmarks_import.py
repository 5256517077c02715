"""The benchmarks stay runnable: every name they import, at the top or inside a function, exists.

They are run by hand, not by the suite, so a moved module would otherwise be found only when
someone needs a figure (bench_reading.py once imported ``reference.data.hsb`` after it moved).
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
from pathlib import Path

import pytest

BENCHMARKS = sorted((Path(__file__).resolve().parents[1] / "benchmarks").glob("bench_*.py"))
OPTIONAL = {"psutil"}  # measured when present, said when not


@pytest.mark.parametrize("path", BENCHMARKS, ids=lambda p: p.stem)
def test_every_import_of_a_benchmark_resolves(path: Path) -> None:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.split(".")[0] in OPTIONAL or node.module == "__future__":
                continue
            module = importlib.import_module(node.module)
            for alias in node.names:
                assert hasattr(module, alias.name) or importlib.util.find_spec(
                    f"{node.module}.{alias.name}"
                ), f"{path.name}: {node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] not in OPTIONAL:
                    importlib.import_module(alias.name)
