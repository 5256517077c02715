"""The one family of errors the reference raises.

Every message says what was expected, what was found and what to do next, so the CLI can print it as
one line and exit with status 2.
"""

from __future__ import annotations


class HLMReferenceError(Exception):
    """Root of every error raised by :mod:`reference`."""


class DataError(HLMReferenceError):
    """The data file is missing, unreadable, not SPSS, or lacks required columns."""


class SpecError(HLMReferenceError):
    """A model specification breaks the assignment's rules or names unknown variables."""


class FitError(HLMReferenceError):
    """No optimizer produced a finite log-likelihood for a model."""


class EquationError(HLMReferenceError):
    """An equation could not be built, rebuilt from data, or compared."""
