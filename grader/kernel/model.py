"""Encoding a fitted statsmodels MixedLM inside the student's kernel (part of the extraction step).

Sent into the kernel together with :mod:`grader.kernel.extract`, whose ``_number`` it uses: the two
files are one namespace there. Stdlib only; every access is defensive (see extract.py).

Besides the estimates, a model's *design* is sent as numbers: the response, every fixed and random
column, the groups and any variance components, so the grader can tell what each column is by its
values (``C(sector)[T.1.0]`` is sector, a hand-made ``ses_c`` is ses minus its school mean) and fit
exactly the student's model. Columns are pooled by content (models share most of theirs), packed
as little-endian float64, zlib-compressed and base64-encoded; the grader decodes them with caps.
"""

MAX_STR = 2000
MAX_ROWS = 200_000
MAX_COLUMNS = 60  # per model
MAX_POOL_BYTES = 3_000_000  # encoded, over all models
_POOL: dict = {}  # type: ignore[type-arg]


def _model(value, depth):  # type: ignore[no-untyped-def]
    number = _number  # noqa: F821 - extract.py's; the kernel files share one namespace
    model = value.model
    cov_re = value.cov_re
    formula = getattr(model, "formula", None)  # the array API has none
    return {
        "type": "model",
        "formula": str.__str__(formula)[:MAX_STR] if type(formula) is str else None,
        "re_names": [str(c)[:200] for c in _re_names(value)[:20]],
        "method": str(value.method)[:10],
        "fe_params": [[str(k)[:200], number(v)] for k, v in _named(value.fe_params, model)[:100]],
        "cov_re": [[number(x) for x in row] for row in _ndarray(_values(cov_re)).tolist()[:20]],
        "vcomp": [number(x) for x in list(value.vcomp)[:20]],
        "scale": number(value.scale),
        "llf": number(value.llf),
        "aic": number(value.aic),
        "n_obs": int(value.nobs),
        "n_groups": int(model.n_groups),
        "converged": bool(getattr(value, "converged", False)),
        "design": _design(model),
    }


def _re_names(value):  # type: ignore[no-untyped-def]
    """The random effects' names: the columns of ``cov_re``, or the data's names (array API)."""
    columns = getattr(value.cov_re, "columns", None)
    if columns is not None:
        return list(columns)
    return list(value.model.data.exog_re_names or [])


def _named(params, model):  # type: ignore[no-untyped-def]
    """(name, value) pairs of a Series, or of an array named by the model (array API)."""
    if hasattr(params, "items"):
        return list(params.items())
    return list(zip(list(model.exog_names), _ndarray(params).tolist(), strict=False))


def _values(frame):  # type: ignore[no-untyped-def]
    """A DataFrame's values, or the array itself (the array API returns ``cov_re`` as an array)."""
    return frame.to_numpy() if hasattr(frame, "to_numpy") else frame


def _design(model):  # type: ignore[no-untyped-def]
    """The model's columns as pool ids, or why they could not be sent."""
    try:
        n = len(model.endog)
        if n > MAX_ROWS:
            return {"error": "more than " + str(MAX_ROWS) + " rows"}
        exog = _matrix(model.exog, n)
        exog_re = _matrix(model.exog_re, n) if model.exog_re is not None else []
        if len(exog) + len(exog_re) > MAX_COLUMNS:
            return {"error": "more than " + str(MAX_COLUMNS) + " columns"}
        return {
            "n": n,
            "endog": _column(_floats(model.endog, n)),
            "endog_name": str(model.endog_names)[:200],
            "exog": [_column(c) for c in exog],
            "exog_names": [str(x)[:200] for x in list(model.exog_names)[: len(exog)]],
            "exog_re": [_column(c) for c in exog_re],
            "groups": _column(_codes(model.groups, n)),
            "vc": _variance_components(model, n),
        }
    except _Full:
        return {"error": "the models' columns are too large to send"}
    except Exception as exc:
        return {"error": "could not be read (" + type(exc).__name__ + ")"}


class _Full(Exception):
    pass


def _ndarray(value):  # type: ignore[no-untyped-def]
    """A numpy array (a pandas Series or DataFrame gives its values; nothing else is accepted)."""
    t = type(value)
    module = getattr(t, "__module__", "") or ""
    if module.startswith("pandas") and t.__name__ in ("Series", "DataFrame"):
        value = value.to_numpy()
        t = type(value)
        module = getattr(t, "__module__", "") or ""
    if module != "numpy" or t.__name__ != "ndarray":
        raise TypeError("not an array")
    return value


def _floats(values, n):  # type: ignore[no-untyped-def]
    array = _ndarray(values)
    if array.ndim != 1 or array.shape[0] != n:
        raise ValueError("shape")
    return array.astype("<f8")


def _matrix(values, n):  # type: ignore[no-untyped-def]
    array = _ndarray(values)
    if array.ndim == 1:
        array = array.reshape(-1, 1)
    if array.ndim != 2 or array.shape[0] != n:
        raise ValueError("shape")
    return [array[:, k].astype("<f8") for k in range(min(array.shape[1], MAX_COLUMNS + 1))]


def _codes(labels, n):  # type: ignore[no-untyped-def]
    """Group labels as 0, 1, 2, … in order of first appearance (only the partition matters)."""
    seen = {}
    out = [float(seen.setdefault(label, len(seen))) for label in list(_ndarray(labels).tolist())]
    if len(out) != n:
        raise ValueError("shape")
    import array

    return _floats_from_list(array.array("d", out))


def _floats_from_list(values):  # type: ignore[no-untyped-def]
    import sys

    if sys.byteorder != "little":
        values.byteswap()
    return values


def _variance_components(model, n):  # type: ignore[no-untyped-def]
    """Each variance component as one column (one per group, stitched) or a partition."""
    spec = getattr(model, "exog_vc", None)
    if not getattr(model, "k_vc", 0) or spec is None:
        return []
    out = []
    labels = list(model.group_labels)
    for k, name in enumerate(list(spec.names)[:10]):
        out.append({"name": str(name)[:200], **_component(model, spec.mats[k], labels, n)})
    return out


def _component(model, mats, labels, n):  # type: ignore[no-untyped-def]
    column = [0.0] * n
    parts = [0.0] * n
    offset = 0.0
    kind = "column"
    for g, label in enumerate(labels):
        rows = list(model.row_indices[label])
        matrix = _ndarray(mats[g])
        if matrix.ndim != 2 or matrix.shape[0] != len(rows):
            raise ValueError("shape")
        if matrix.shape[1] != 1:
            kind = "partition"
        for i, row in zip(rows, matrix.tolist(), strict=True):
            column[i] = float(row[0])
            ones = [k for k, v in enumerate(row) if v != 0]
            if len(ones) != 1 or row[ones[0]] != 1:
                parts[i] = -1.0
            else:
                parts[i] = offset + ones[0]
        offset += matrix.shape[1]
    import array

    if kind == "partition" and -1.0 in parts:
        return {"kind": "unsupported"}
    values = parts if kind == "partition" else column
    return {"kind": kind, "column": _column(_floats_from_list(array.array("d", values)))}


def _column(values):  # type: ignore[no-untyped-def]
    """The pool id of a column of float64 values (added to the pool if new)."""
    import base64
    import hashlib
    import zlib

    raw = values.tobytes()
    key = hashlib.sha256(raw).hexdigest()[:24]
    if key not in _POOL:
        encoded = base64.b64encode(zlib.compress(raw, 6)).decode("ascii")
        if sum(len(v) for v in _POOL.values()) + len(encoded) > MAX_POOL_BYTES:
            raise _Full()
        _POOL[key] = encoded
    return key


def _columns():  # type: ignore[no-untyped-def]
    """The pool, for the answers file (called once, after every model was encoded)."""
    return dict(_POOL)
