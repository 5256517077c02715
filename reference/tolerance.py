"""The one tolerance rule every numeric comparison uses, in the reference and in the grader."""

from __future__ import annotations

import math


def within(observed: float, expected: float, *, atol: float, rtol: float = 0.0) -> bool:
    """``|observed − expected| ≤ atol + rtol·|expected|``; NaN or infinity never passes.

    >>> within(0.179, 0.1793, atol=0.0015), within(float("nan"), 0.1793, atol=1.0)
    (True, False)
    """
    if not (math.isfinite(observed) and math.isfinite(expected)):
        return False
    return abs(observed - expected) <= atol + rtol * abs(expected)


def describe_tolerance(atol: float, rtol: float = 0.0) -> str:
    """Human wording of a tolerance, e.g. ``±0.01`` or ``±0.01 + 1% of the expected value``."""
    parts = []
    if atol:
        parts.append(f"±{atol:g}")
    if rtol:
        parts.append(f"{rtol * 100:g}% of the expected value")
    return " + ".join(parts) if parts else "exactly"
