"""Encoding a fitted statsmodels MixedLM inside the student's kernel (part of the extraction step).

Sent into the kernel together with :mod:`grader.kernel.extract`, whose ``_number`` it uses: the two
files are one namespace there. Stdlib only; every access is defensive (see extract.py).
"""

MAX_STR = 2000


def _model(value, depth):  # type: ignore[no-untyped-def]
    number = _number  # noqa: F821 - extract.py's; the kernel files share one namespace
    model = value.model
    cov_re = value.cov_re
    return {
        "type": "model",
        "formula": str(model.formula)[:MAX_STR] if type(model.formula) is str else None,
        "re_names": [str(c)[:200] for c in list(cov_re.columns)[:20]],
        "method": str(value.method)[:10],
        "fe_params": [[str(k)[:200], number(v)] for k, v in list(value.fe_params.items())[:100]],
        "cov_re": [[number(x) for x in row] for row in cov_re.to_numpy().tolist()[:20]],
        "scale": number(value.scale),
        "llf": number(value.llf),
        "aic": number(value.aic),
        "n_obs": int(value.nobs),
        "n_groups": int(model.n_groups),
        "converged": bool(getattr(value, "converged", False)),
    }
