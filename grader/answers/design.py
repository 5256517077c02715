"""A model's design columns as the kernel sent them: untrusted bytes in, checked arrays out.

The kernel (:mod:`grader.kernel.model`) sends each distinct column once, in a pool, as base64 of
zlib-compressed little-endian float64; models refer to columns by id. Everything is checked here:
the id exists, the text is base64, the data inflates to exactly ``8·n`` bytes (a zip bomb stops at
that size), and the numbers are finite. Anything else means no design, with a reason — the model is
then read from its formula, as before.
"""

from __future__ import annotations

import base64
import binascii
import zlib
from collections.abc import Mapping
from typing import Any

import numpy as np

from reference.model.tie import Component, StudentDesign

MAX_ROWS = 200_000
MAX_COLUMNS = 60
Pool = Mapping[str, object]


class _Bad(Exception):
    """A design record that cannot be used; its message says why (for the feedback)."""


def read_design(record: object, pool: Pool, *, reml: bool) -> StudentDesign | str:
    """The design of one model record, or why there is none."""
    if not isinstance(record, dict):
        return "the notebook sent no design for this model"
    if isinstance(record.get("error"), str):
        return f"its columns could not be read in the notebook ({record['error'][:100]})"
    try:
        return _design(record, pool, reml)
    except _Bad as exc:
        return str(exc)


def _design(record: dict[str, Any], pool: Pool, reml: bool) -> StudentDesign:
    n = record.get("n")
    if not isinstance(n, int) or not 0 < n <= MAX_ROWS:
        raise _Bad("its number of rows is not readable")
    exog = _matrix(record.get("exog"), pool, n)
    exog_re = _matrix(record.get("exog_re"), pool, n)
    names = _names(record.get("exog_names"), exog.shape[1])
    return StudentDesign(
        endog=_column(record.get("endog"), pool, n),
        exog=exog,
        exog_names=names,
        exog_re=exog_re,
        exog_re_names=(),
        groups=_column(record.get("groups"), pool, n),
        vc=_components(record.get("vc"), pool, n),
        reml=reml,
    )


def _matrix(ids: object, pool: Pool, n: int) -> np.ndarray:
    if not isinstance(ids, list) or len(ids) > MAX_COLUMNS:
        raise _Bad("its columns are not readable")
    if not ids:
        return np.zeros((n, 0))
    return np.column_stack([_column(i, pool, n) for i in ids])


def _names(names: object, count: int) -> tuple[str, ...]:
    if not isinstance(names, list) or len(names) != count:
        raise _Bad("its column names are not readable")
    return tuple(str(x)[:200] for x in names)


def _components(raw: object, pool: Pool, n: int) -> tuple[Component, ...]:
    if not isinstance(raw, list) or len(raw) > 10:
        raise _Bad("its variance components are not readable")
    out = []
    for item in raw:
        if not isinstance(item, dict) or item.get("kind") not in ("column", "partition"):
            raise _Bad("it has a variance component the grader cannot read")
        name = str(item.get("name", ""))[:200]
        out.append(Component(name, str(item["kind"]), _column(item.get("column"), pool, n)))
    return tuple(out)


def _column(key: object, pool: Pool, n: int) -> np.ndarray:
    text = pool.get(key) if isinstance(key, str) else None
    if not isinstance(text, str) or len(text) > 4 * (8 * n + 1024):
        raise _Bad("one of its columns is missing or too large")
    try:
        packed = base64.b64decode(text.encode("ascii"), validate=True)
        inflater = zlib.decompressobj()
        raw = inflater.decompress(packed, 8 * n + 1)
    except (binascii.Error, UnicodeEncodeError, zlib.error, ValueError):
        raise _Bad("one of its columns is not readable") from None
    if len(raw) != 8 * n:
        raise _Bad("one of its columns has the wrong length")
    values = np.frombuffer(raw, dtype="<f8").astype(float)
    if not np.isfinite(values).all():
        raise _Bad("one of its columns holds values that are not finite")
    return values
