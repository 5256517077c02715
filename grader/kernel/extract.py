"""Extraction step, executed inside the student's kernel after their notebook has run.

It turns the answers it finds in the user namespace into plain JSON data and writes them to a file in
the working copy. It judges nothing: the verdict is computed in the grader's own process, which treats
this file as untrusted input (size-capped, schema-checked). Everything here is defensive, because the
objects it touches were made by student code: exact type checks (``type(v) is float``, never
``isinstance``, which a ``__class__`` property can fake), every access in ``try``, caps on sizes.

This module is self-contained (stdlib only; sympy and our serializer are imported lazily) because the
grader sends its source into the kernel rather than trusting what the kernel can import.
"""

import json
import math

MAX_ITEMS = 200
MAX_STR = 2000
MAX_DEPTH = 6
# Values read per variable: shared lists repeat cheaply, so 200 items at each of 6 levels would
# otherwise mean 200**6 reads (and as many JSON values) from a few lines of student code.
MAX_NODES = 10_000
_budget = [0]


def extract(namespace, path, contract_names, assignment=None):  # type: ignore[no-untyped-def]
    """Write ``{"answers": {...}, "models": {...}, "scalars": {...}, "values": {...}}`` to ``path``.

    ``assignment`` (the name the grader gave) is recorded, so the file says which assignment's
    answers it holds.

    ``values`` holds what may be an answer under the student's own name: sympy objects, short
    strings (an equation or a printed-style answer), lists and dicts of those (an ``answers``
    dict), and tables of estimates under names that suggest them. Which of them answers which
    part is decided by the grader, by name and by type.
    """
    out = {"version": 1, "answers": {}, "models": {}, "scalars": {}, "values": {}}
    if isinstance(assignment, str):
        out["assignment"] = assignment[:200]
    kept, size = 0, 0
    for name in list(namespace)[:5000]:
        if not isinstance(name, str) or name.startswith("_") or name in _IPYTHON_NAMES:
            continue
        try:
            value = namespace[name]
        except Exception:  # noqa: S112 - a hostile mapping; skip the name
            continue
        kind = _classify(value)
        if kind == "model":
            out["models"][name[:100]] = _answer(value)
        elif kind == "number":
            out["scalars"][name[:100]] = _answer(value)
        elif _one_element(value, kind):
            out["scalars"][name[:100]] = _answer_one(value, kind)
        elif kept < MAX_VALUES and size < MAX_VALUES_CHARS and _worth_keeping(name, value, kind):
            encoded = _answer(value)
            chars = len(json.dumps(encoded))
            if chars <= MAX_VALUE_CHARS:  # an answer is short; a bigger value is data, not kept
                out["values"][name[:100]] = encoded
                kept, size = kept + 1, size + chars
    for name in contract_names:
        if name in namespace:
            out["answers"][name] = _answer(namespace[name])
    pool = globals().get("_columns")  # kernel/model.py's, run alongside this file in the kernel
    out["columns"] = pool() if callable(pool) else {}
    _write(path, out)


# IPython's own history (In holds every cell's source) and helpers are never answers.
_IPYTHON_NAMES = frozenset({"In", "Out", "exit", "quit", "get_ipython", "display"})
MAX_VALUES = 300
# The values' share of the answers file (the grader refuses a file over 4 MB, and losing every
# answer to a notebook's many long strings would be far worse than missing one of them).
MAX_VALUE_CHARS = 50_000
MAX_VALUES_CHARS = 1_000_000


def _one_element(value, kind):  # type: ignore[no-untyped-def]
    """A numpy array or pandas Series of one number (``X_new @ beta``, ``final.predict(row)``):
    a number in all but type, as a student reads it."""
    try:
        if kind == "array":
            return value.size == 1 and value.dtype.kind in "fiu"
        if kind == "mapping" and type(value).__name__ == "Series":
            return len(value) == 1 and value.dtype.kind in "fiu"
    except Exception:
        return False
    return False


def _answer_one(value, kind):  # type: ignore[no-untyped-def]
    try:
        return _number(value.reshape(-1)[0] if kind == "array" else value.iloc[0])
    except Exception as exc:
        return {"type": "invalid", "reason": "could not be read (" + _reason(exc) + ")"}


def _worth_keeping(name, value, kind):  # type: ignore[no-untyped-def]
    """Whether a variable that is not a model or a number may hold an answer."""
    if kind == "sympy":
        return True
    if kind == "string":
        return len(value) <= MAX_STR
    if kind == "list" or (kind == "mapping" and type(value) is dict):
        return _looks_relevant(name) or _textual(value)
    return kind == "mapping" and _looks_relevant(name)


def _textual(value):  # type: ignore[no-untyped-def]
    """A list or dict (one level deep) of strings, sympy objects or numbers, with some text."""
    try:
        items = list(dict.values(value) if type(value) is dict else value)[:MAX_ITEMS]
    except Exception:
        return False
    kinds = [_classify(v) for v in items]
    if type(value) is not dict:
        return bool(kinds) and all(k in ("string", "sympy") for k in kinds)
    if not any(type(k) is str for k in list(dict.keys(value))[:MAX_ITEMS]):
        return False  # keyed by numbers (school ids): per-school values, not answers
    return any(k in ("string", "sympy", "list") for k in kinds) or all(k == "number" for k in kinds)


def _write(path, out):  # type: ignore[no-untyped-def]
    # The student's code may have left a FIFO (opening it blocks) or a symlink (opening follows
    # it) at ``path``: write a fresh file and move it over whatever the name holds.
    import contextlib
    import os
    import tempfile

    fd, tmp = tempfile.mkstemp(prefix=".answers-", dir=os.path.dirname(os.path.abspath(path)))
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(out, handle, allow_nan=False)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _looks_relevant(name):  # type: ignore[no-untyped-def]
    low = name.lower()
    return any(w in low for w in ("coef", "param", "estim", "fixed", "random", "effect", "pred",
                                  "forecast", "hat", "answer", "result"))  # fmt: skip


def _classify(value):  # type: ignore[no-untyped-def]
    t = type(value)
    if t is bool:
        return "other"
    if t in (int, float):
        return "number"
    module = getattr(t, "__module__", "") or ""
    name = getattr(t, "__name__", "")
    if module.startswith("numpy") and name in _NUMPY_SCALARS:
        return "number"
    if module.startswith("statsmodels") and name in ("MixedLMResults", "MixedLMResultsWrapper"):
        return "model"
    if t is dict or (module.startswith("pandas") and name in ("Series", "DataFrame")):
        return "mapping"
    if t in (list, tuple):
        return "list"
    if module.startswith("sympy"):
        return "sympy"
    if module.startswith("numpy") and name == "ndarray":
        return "array"
    if t is str:
        return "string"
    if value is None:
        return "none"
    return "other"


_NUMPY_SCALARS = {
    "float64", "float32", "float16", "longdouble", "int64", "int32", "int16", "int8",
    "uint64", "uint32", "uint16", "uint8",
}  # fmt: skip


def _number(x):  # type: ignore[no-untyped-def]
    value = float(x)
    if math.isnan(value):
        return {"type": "number", "special": "nan"}
    if math.isinf(value):
        return {"type": "number", "special": "inf" if value > 0 else "-inf"}
    return {"type": "number", "value": value}


def _answer(value):  # type: ignore[no-untyped-def]
    """One variable, read within a budget of MAX_NODES values."""
    _budget[0] = MAX_NODES
    encoded = _encode(value, 0)
    if _budget[0] < 0:
        return {"type": "invalid", "reason": f"too large (more than {MAX_NODES} values)"}
    return encoded


def _encode(value, depth):  # type: ignore[no-untyped-def]
    _budget[0] -= 1  # every read counts, so the lists being walked stop within 200 more
    if _budget[0] < 0:
        return {"type": "invalid", "reason": "too large"}
    if depth > MAX_DEPTH:
        return {"type": "invalid", "reason": "nested too deeply"}
    try:
        return _ENCODERS.get(_classify(value), _other)(value, depth)
    except Exception as exc:
        return {"type": "invalid", "reason": "could not be read (" + _reason(exc) + ")"}


def _reason(exc):  # type: ignore[no-untyped-def]
    """The exception's type and, for our own serializer's errors, its message (capped)."""
    name = type(exc).__name__
    if name != "TreeError":
        return name
    try:
        return str.__str__(exc.args[0])[:300] if exc.args else name
    except Exception:
        return name


def _other(value, depth):  # type: ignore[no-untyped-def]
    t = type(value)
    return {
        "type": "unsupported",
        "pytype": (getattr(t, "__module__", "?") + "." + t.__name__)[:200],
    }


def _string(value, depth):  # type: ignore[no-untyped-def]
    return {"type": "string", "value": str.__str__(value)[:MAX_STR]}


def _list(value, depth):  # type: ignore[no-untyped-def]
    items = [_encode(v, depth + 1) for v in list(value)[:MAX_ITEMS]]
    return {"type": "list", "items": items, "truncated": len(value) > MAX_ITEMS}


def _mapping(value, depth):  # type: ignore[no-untyped-def]
    t = type(value)
    if t.__name__ == "DataFrame":
        if value.shape[1] < 1:
            return {"type": "invalid", "reason": "an empty DataFrame"}
        value = value.iloc[:, 0]
    pairs = (
        list(value.items())[:MAX_ITEMS] if t is not dict else list(dict.items(value))[:MAX_ITEMS]
    )
    if pairs and not any(type(k) is str for k, _ in pairs):
        if len(pairs) <= MAX_KEYED_BY_NUMBER:  # numbered rows: a list in a table's clothes
            return _list([v for _, v in pairs], depth)
        # e.g. a fit's random_effects (a school id -> BLUPs): per-school values, never an answer
        # list; reading its keys as names once put 160 school ids into a student's feedback.
        return {"type": "invalid", "reason": f"a table of {len(value)} values keyed by numbers "
                "(per-school values such as a fit's random_effects?)"}  # fmt: skip
    items = [[str(k)[:200], _encode(v, depth + 1)] for k, v in pairs]
    return {"type": "mapping", "items": items, "pytype": t.__name__}


MAX_KEYED_BY_NUMBER = 20


def _array(value, depth):  # type: ignore[no-untyped-def]
    if value.size == 1:
        return _number(value.reshape(-1)[0])
    return _list(value.reshape(-1).tolist()[: MAX_ITEMS + 1], depth)


def _sympy(value, depth):  # type: ignore[no-untyped-def]
    from reference.equations.totree import (
        to_tree,  # stdlib + sympy only; raises TreeError with a reason
    )

    return {"type": "sympy", "tree": to_tree(value)}


_ENCODERS = {
    "number": lambda v, d: _number(v),
    "string": _string,
    "list": _list,
    "mapping": _mapping,
    "array": _array,
    "sympy": _sympy,
    "model": lambda v, d: _model(v, d),  # type: ignore[name-defined]  # noqa: F821 - kernel/model.py, same namespace
    "none": lambda v, d: {"type": "none"},
    "other": _other,
}
