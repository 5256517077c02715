"""The lme4 truth of the corpus's final models, read from ``lme4_truth.txt`` (see lme4_truth.R).

Only the corpus's own files are read: the numbers are lme4's, never the grader's.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

TRUTH_FILE = Path(__file__).resolve().parent / "lme4_truth.txt"


@dataclass(frozen=True, slots=True)
class Truth:
    """One model's lme4 fit and the assignment's quantities derived from it."""

    name: str
    formula: str
    loglik: float
    fixef: dict[str, float]
    sigma2: float
    sigma2_change: float
    forecast: float
    aic_change: float | None  # None for REML fits

    def line(self) -> str:
        """The numbers a grader's feedback is checked against, in one line."""
        aic = "" if self.aic_change is None else f"AIC change {self.aic_change:.2f}, "
        return (f"lme4: log-lik {self.loglik:.4f}, {aic}σ² change {self.sigma2_change:.4f}, "
                f"forecast {self.forecast:.3f}")  # fmt: skip


def _fields(block: str) -> dict[str, str]:
    found = {}
    for line in block.splitlines():
        key, sep, value = line.partition(": ")
        if sep and not line.startswith("#"):
            found[key.strip()] = value.strip()
    return found


def _truth(fields: dict[str, str]) -> Truth:
    fixef = dict(item.split("=", 1) for item in fields["fixef"].split())
    aic = fields.get("aic_change")
    return Truth(
        name=fields["model"],
        formula=fields["formula"],
        loglik=float(fields["loglik"]),
        fixef={k: float(v) for k, v in fixef.items()},
        sigma2=float(fields["sigma2"]),
        sigma2_change=float(fields["sigma2_change"]),
        forecast=float(fields["forecast"]),
        aic_change=None if aic is None else float(aic),
    )


@cache
def load_truth(path: Path = TRUTH_FILE) -> dict[str, Truth]:
    """Every model of the truth file, by name."""
    blocks = path.read_text(encoding="utf-8").split("\n\n")
    models = [_fields(b) for b in blocks]
    return {m["model"]: _truth(m) for m in models if "model" in m}
