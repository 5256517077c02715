"""Build the hostile corpus under tests/hostile/notebooks/ from the contents below.

Run ``python tests/hostile/build_corpus.py`` after changing a case; the .ipynb files are committed
so instructors can open them, and ``test_corpus_check.py`` checks that they are current. What each
case does and what the grader must make of it is in :mod:`tests.hostile.cases`.

Two cases are made at test time instead (:func:`write_huge_outputs`, :func:`write_non_utf8_name`):
a 50 MB file does not belong in git, and a non-UTF-8 file name does not survive every checkout.

Most cases need no statistics: they type ``icc = 0.1793`` so that one part can show it was still
judged, and do their damage around it. Cases about answer types fit the final model with lbfgs
only, which reaches this model's optimum in a second or two, so the corpus stays fast.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
NOTEBOOKS = HERE / "notebooks"
#: Host paths a hostile notebook tries to create; none may exist after a run.
CANARY = "/tmp/hlm-hostile-canary"  # the sandbox's private /tmp hides what lands here
#: The environment variable and the file holding a secret that no report may contain.
SECRET_VARIABLE = "HLM_HOSTILE_SECRET"
SECRET_FILE_NAME = "hlm-hostile-secret.txt"
#: An argument marking a process a notebook leaves behind; none may outlive the run.
ORPHAN_MARK = "31337"
FIFTY_MB = 50 * 1000**2

SETUP = """\
import math
import warnings

import numpy as np
import pandas as pd
import pyreadstat
import statsmodels.formula.api as smf
from reference.notation import Eq, beta, gamma, r, u, w, x, y

warnings.simplefilter("ignore")
df, meta = pyreadstat.read_sav("data/hsb12.sav")
df = df.drop(columns=["CONS", "DISCLIM"])
df.columns = df.columns.str.lower()
"""

UNCONDITIONAL = """\
unconditional = smf.mixedlm("mathach ~ 1", df, groups=df["school"]).fit(reml=False)
tau00 = unconditional.cov_re.iloc[0, 0]
icc = tau00 / (tau00 + unconditional.scale)
"""

FINAL_MODEL = """\
final_model = smf.mixedlm(
    "mathach ~ ses + meanses + pracad + minority + female",
    df,
    groups=df["school"],
    re_formula="~ minority",
)
"""

# lbfgs alone reaches this model's optimum (checked against lme4 in tests/reference), in seconds.
FINAL = FINAL_MODEL + 'final = final_model.fit(reml=False, method="lbfgs")\n'

TYPED_ICC = "icc = 0.1793  # typed in: this case is about the other cells, not the ICC\n"

EQUATIONS = """\
level1 = Eq(y, beta(0) + beta(1) * x("minority") + beta(2) * x("female") + beta(3) * x("ses") + r)
level2 = [
    Eq(beta(0), gamma(0, 0) + gamma(0, 1) * w("meanses") + gamma(0, 2) * w("pracad") + u(0)),
    Eq(beta(1), gamma(1, 0) + u(1)),
    Eq(beta(2), gamma(2, 0)),
    Eq(beta(3), gamma(3, 0)),
]
combined = Eq(
    y,
    gamma(0, 0) + gamma(0, 1) * w("meanses") + gamma(0, 2) * w("pracad")
    + gamma(1, 0) * x("minority") + gamma(2, 0) * x("female") + gamma(3, 0) * x("ses")
    + u(0) + u(1) * x("minority") + r,
)
"""

REST = """\
fixed_effects = list(final.fe_params.index)
random_effects = ["Intercept", "minority", "Residual"]
fixed_estimates = final.fe_params.to_dict()
estimate_of = {
    gamma(0, 0): "Intercept", gamma(0, 1): "meanses", gamma(0, 2): "pracad",
    gamma(1, 0): "minority", gamma(2, 0): "female", gamma(3, 0): "ses",
}
combined_with_estimates = combined.subs(
    {g: round(float(final.fe_params[term]), 3) for g, term in estimate_of.items()}
)
aic_change = final.aic - unconditional.aic
residual_variance_change = (unconditional.scale - final.scale) / unconditional.scale
profile = {"minority": 1, "female": 1, "ses": 0.0, "cses": 0.4, "meanses": -0.4, "size": 800,
           "sector": 0, "pracad": 0.25, "himinty": 0}
forecast = float(final.predict(pd.DataFrame([profile])).iloc[0])
"""

# A random-intercept model: statsmodels' default fit reaches its optimum on any copy of the data,
# so this notebook earns full marks on hidden data too (the control of the hidden-data batch).
COMPUTED_CONTROL = """\
final = smf.mixedlm("mathach ~ ses + meanses + female", df, groups=df["school"]).fit(reml=False)
level1 = Eq(y, beta(0) + beta(1) * x("ses") + beta(2) * x("female") + r)
level2 = [
    Eq(beta(0), gamma(0, 0) + gamma(0, 1) * w("meanses") + u(0)),
    Eq(beta(1), gamma(1, 0)),
    Eq(beta(2), gamma(2, 0)),
]
combined = Eq(
    y, gamma(0, 0) + gamma(0, 1) * w("meanses") + gamma(1, 0) * x("ses")
    + gamma(2, 0) * x("female") + u(0) + r,
)
fixed_effects = list(final.fe_params.index)
random_effects = ["Intercept", "Residual"]
fixed_estimates = final.fe_params.to_dict()
estimate_of = {gamma(0, 0): "Intercept", gamma(0, 1): "meanses", gamma(1, 0): "ses",
               gamma(2, 0): "female"}
combined_with_estimates = combined.subs(
    {g: round(float(final.fe_params[term]), 3) for g, term in estimate_of.items()}
)
aic_change = final.aic - unconditional.aic
residual_variance_change = (unconditional.scale - final.scale) / unconditional.scale
profile = {"minority": 1, "female": 1, "ses": 0.0, "cses": 0.4, "meanses": -0.4, "size": 800,
           "sector": 0, "pracad": 0.25, "himinty": 0}
forecast = float(final.predict(pd.DataFrame([profile])).iloc[0])
"""

WRITE_OUTSIDE = f'''\
# Try to leave a mark everywhere outside the run's own directory.
import glob
import os
import pwd
from pathlib import Path

import grader
import reference.data

repo = Path(grader.__file__).resolve().parents[1]
targets = [
    "{CANARY}-write-outside",                      # the host's /tmp
    "../hlm-hostile-canary",                        # beside the run's directory
    str(repo / "hlm-hostile-canary"),               # the grader's own repository
    pwd.getpwuid(os.getuid()).pw_dir + "/hlm-hostile-canary",  # the grader's real home
]
attempts = {{}}
for target in targets:
    try:
        Path(target).write_text("written by a student notebook")
        attempts[target] = "written"
    except OSError as exc:
        attempts[target] = type(exc).__name__
# Other students' submissions: every notebook of the corpus, and the bundled data.
victims = glob.glob(str(repo / "tests" / "hostile" / "notebooks" / "*.ipynb"))
victims.append(str(reference.data.bundled_data_path()))
for victim in victims:
    try:
        with open(victim, "r+b") as handle:
            handle.write(b"overwritten by another student")
        attempts[victim] = "written"
    except OSError as exc:
        attempts[victim] = type(exc).__name__
attempts
'''

STEAL_SECRETS = f'''\
# Look for the grader's secrets: its environment, other processes' environments, the host's /tmp.
import glob
import os

found = [value for name, value in os.environ.items() if "SECRET" in name]
for path in glob.glob("/proc/*/environ"):
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        continue
    if b"{SECRET_VARIABLE}" in data:
        found.append(data.decode("utf-8", "replace"))
for path in glob.glob("/tmp/**/{SECRET_FILE_NAME}", recursive=True):
    with open(path, encoding="utf-8") as handle:
        found.append(handle.read())
# Smuggle whatever was found out through the feedback, which quotes a string answer.
icc = "stolen: " + " | ".join(found)
forecast = "stolen: " + " | ".join(found)[:30]
'''

LYING_OBJECTS = """\
class Liar:
    # Every dunder the grader might call lies or raises.
    def __float__(self):
        raise RuntimeError("no float for you")

    def __eq__(self, other):
        return True

    def __hash__(self):
        return 0

    def __repr__(self):
        raise RuntimeError("no repr for you")

    __str__ = __repr__

    def __len__(self):
        raise RuntimeError("no len for you")

    def __iter__(self):
        raise RuntimeError("no iter for you")


class FloatSubclass(float):
    # isinstance(x, float) is True, but float() and == lie.
    def __float__(self):
        return 0.1793

    def __eq__(self, other):
        return True

    __hash__ = float.__hash__


class NumpyImpostor:
    # Claims to be numpy.float64 by module and name; float() raises.
    def __float__(self):
        raise RuntimeError("impostor")


NumpyImpostor.__module__ = "numpy"
NumpyImpostor.__name__ = "float64"


class SneakyKey(str):
    def __str__(self):
        raise RuntimeError("no str for you")


class ClassProperty:
    # Pretends to be a float through __class__.
    @property
    def __class__(self):
        return float


icc = Liar()
aic_change = FloatSubclass(-822.81)
residual_variance_change = NumpyImpostor()
forecast = ClassProperty()
fixed_estimates = {SneakyKey("Intercept"): Liar(), "ses": 1.888}
fixed_effects = [Liar(), "ses"]
random_effects = Liar()
level1 = Liar()
"""

SYMPY_CODE_NAME = f"""\
from sympy import Symbol

payload = Symbol("__import__('os').system('touch {CANARY}-sympy')")
level1 = Eq(y, beta(0) + payload * x("ses") + r)
level2 = [Eq(beta(0), gamma(0, 0) + u(0)), Eq(payload, gamma(1, 0))]
combined = Eq(y, gamma(0, 0) + payload + u(0) + r)
fixed_effects = ["__import__('os').system('touch {CANARY}-names')", "Intercept"]
icc = "__import__('os').system('touch {CANARY}-string')"
"""

ENORMOUS = """\
from sympy import Add, Symbol

fixed_effects = ["x" * 10**6] * 10**6           # a million names, a megabyte each (one string)
random_effects = list(range(10**6))             # a million numbers
icc = "9" * 10**7                               # ten million digits
forecast = np.zeros(10**7)                      # an 80 MB array
coefficients = {i: float(i) for i in range(10**6)}  # a large dict with a relevant name
level1 = Eq(y, Add(*[Symbol(f"v{i}") for i in range(20_000)]))  # twenty thousand terms
nested = []
for _ in range(100_000):
    nested = [nested]
level2 = nested                                  # nested a hundred thousand deep
loop = []
loop.append(loop)
combined = loop                                  # a list that contains itself
"""

# Each level repeats one object 200 times: 200**6 paths through six levels.
EXPONENTIAL = """\
wide = [0.5] * 200
for _ in range(6):
    wide = [wide] * 200
random_effects = wide
coefficients = {"ses": wide}
"""

MARKUP_AND_SURROGATES = """\
icc = "[/bold] [/]"                               # rich markup that closes nothing
forecast = "[red]10 / 10[/red]"                   # markup that would restyle the report
fixed_effects = ["Intercept", "ses\\udce9"]       # a lone surrogate (not encodable as UTF-8)
raise ValueError("[/] and \\udce9 in an error message")
"""

WRONG_TYPES = """\
icc = "0.1793"                                   # a number as text
aic_change = None                                # not computed
residual_variance_change = pd.Series([0.0884])   # a one-row Series
forecast = np.array([8.269, 8.270])              # two forecasts
fixed_effects = "Intercept, ses, meanses, pracad, minority, female"  # one string
random_effects = None
fixed_estimates = final.fe_params.to_numpy()     # values without their names
level1 = "mathach = b0 + b1*minority + r"        # an equation as text
"""

NUMPY_TYPES = """\
icc = np.float64(icc)                              # a numpy scalar
aic_change = np.array(final.aic - unconditional.aic)  # a 0-d array
residual_variance_change = np.float32((unconditional.scale - final.scale) / unconditional.scale)
fixed_estimates = final.fe_params                  # a pandas Series
fixed_effects = np.array(final.fe_params.index)    # an array of names
"""

NAN_INF = """\
icc = float("nan")
aic_change = float("inf")
residual_variance_change = np.nan
forecast = -np.inf
fixed_estimates = {name: float("nan") for name in final.fe_params.index}
"""

HARDCODED = """\
# Numbers typed in from a classmate's output instead of computed from the data.
icc = 0.1793
aic_change = -822.81
residual_variance_change = 0.0884
forecast = 8.269
fixed_estimates = {"Intercept": 11.8018, "ses": 1.8880, "meanses": 1.1302, "pracad": 4.3858,
                   "minority": -2.9447, "female": -1.2328}
"""

FORGED = """\
# Rewrite whatever the grader's extraction writes, so the answers say what we like.
import json

_real_dump = json.dump


def forged_dump(obj, handle, **kwargs):
    if isinstance(obj, dict) and "answers" in obj:
        obj["answers"]["icc"] = {"type": "number", "value": 0.1793}
        obj["answers"]["forecast"] = {"type": "number", "value": 8.269}
    return _real_dump(obj, handle, **kwargs)


json.dump = forged_dump
icc = 0.5
"""

# Records of the right shape but the wrong JSON types, which once crashed the judge.
FORGED_MALFORMED = """\
import json

_real_dump = json.dump


def forged_dump(obj, handle, **kwargs):
    if isinstance(obj, dict) and "answers" in obj:
        obj["answers"]["icc"] = {"type": "list", "items": True}
        obj["answers"]["forecast"] = {"type": "number", "special": []}
        obj["answers"]["fixed_effects"] = {"type": "mapping", "items": "Intercept"}
    return _real_dump(obj, handle, **kwargs)


json.dump = forged_dump
"""

PATCH_STATSMODELS = """\
# Stop the optimizer early, then make every fit claim the optimum's log-likelihood.
from statsmodels.regression.mixed_linear_model import MixedLMResults

final = final_model.fit(reml=False, method="lbfgs", maxiter=3)
MixedLMResults.llf = property(lambda self: 1e6)
aic_change = final.aic - unconditional.aic
"""


def notebook(cells: list[str], *, kernelspec: dict[str, str] | None = None) -> bytes:
    """A format-4 notebook of code cells, as the bytes Jupyter would save."""
    nb = nbformat.v4.new_notebook()
    if kernelspec is not None:
        nb.metadata["kernelspec"] = kernelspec
    # Fixed cell ids (nbformat draws random ones), so a rebuild reproduces the committed bytes.
    nb.cells = [nbformat.v4.new_code_cell(source, id=f"cell-{i}") for i, source in enumerate(cells)]
    return (nbformat.writes(nb) + "\n").encode("utf-8")


PYTHON3 = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def code(*cells: str) -> bytes:
    return notebook(list(cells), kernelspec=PYTHON3)


def _invalid_json() -> bytes:
    text = code(SETUP, UNCONDITIONAL)
    return text[: len(text) * 6 // 10]  # a transfer cut short


def _binary() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 16


def _nbformat3() -> bytes:
    doc = {
        "metadata": {"name": "hlm"},
        "nbformat": 3,
        "nbformat_minor": 0,
        "worksheets": [
            {
                "cells": [
                    {
                        "cell_type": "code",
                        "collapsed": False,
                        "input": TYPED_ICC,
                        "language": "python",
                        "metadata": {},
                        "outputs": [],
                    }
                ],
                "metadata": {},
            }
        ],
    }
    return json.dumps(doc, indent=1).encode()


def _not_a_notebook() -> bytes:
    return json.dumps({"icc": 0.1793, "forecast": 8.269}).encode()


def _malformed_cell() -> bytes:
    doc = json.loads(code(TYPED_ICC))
    doc["cells"].append({"cell_type": "code", "metadata": {}, "source": 42, "outputs": []})
    return json.dumps(doc, indent=1).encode()


def _mid_execution() -> bytes:
    # Saved while cell 3 was still running: counts set, outputs of the later cells missing
    # (one without even an "outputs" key), JupyterLab's timing metadata for a busy cell.
    doc = json.loads(code(SETUP, UNCONDITIONAL, FINAL))
    for count, cell in enumerate(doc["cells"], start=1):
        cell["execution_count"] = count
    doc["cells"][0]["outputs"] = [
        {"name": "stdout", "output_type": "stream", "text": ["loaded\n"]},
    ]
    doc["cells"][2]["metadata"]["execution"] = {
        "iopub.status.busy": "2024-05-02T10:15:00.000Z",
        "iopub.execute_input": "2024-05-02T10:15:00.010Z",
    }
    del doc["cells"][2]["outputs"]
    return json.dumps(doc, indent=1).encode()


FILES: dict[str, Callable[[], bytes]] = {
    # broken files
    "invalid_json": _invalid_json,
    "binary": _binary,
    "nbformat3": _nbformat3,
    "empty_file": lambda: b"",
    "not_a_notebook": _not_a_notebook,
    "malformed_cell": _malformed_cell,
    "zero_cells": lambda: notebook([], kernelspec=PYTHON3),
    "no_metadata": lambda: json.dumps(
        {"cells": [{"cell_type": "code", "source": TYPED_ICC}], "nbformat": 4}
    ).encode(),
    "no_kernelspec": lambda: notebook([TYPED_ICC]),
    "unknown_kernel": lambda: notebook(
        [TYPED_ICC], kernelspec={"name": "conda-env-stats-py", "display_name": "stats"}
    ),
    "r_kernel": lambda: notebook(
        ["icc <- 0.1793\nprint(icc)"],
        kernelspec={"name": "ir", "display_name": "R", "language": "R"},
    ),
    # runaway code
    "infinite_loop": lambda: code(TYPED_ICC, "while True:\n    pass\n", "forecast = 8.269\n"),
    "ignores_interrupt": lambda: code(
        TYPED_ICC,
        "import signal\n\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass\n",
    ),
    "print_100mb": lambda: code(
        "import sys\n\nchunk = 'x' * 1_000_000\nfor _ in range(100):\n    sys.stdout.write(chunk)\n",
        "print('y' * 100_000_000)\n",
        TYPED_ICC,
    ),
    "memory_bomb": lambda: code(
        "def hog():\n    kept = []\n    while True:\n        kept.append(bytes(100_000_000))\n\n\nhog()\n",
        TYPED_ICC,
    ),
    "big_file": lambda: code(
        "with open('big.bin', 'wb') as handle:\n    handle.write(bytes(300_000_000))\n", TYPED_ICC
    ),
    "os_exit": lambda: code(TYPED_ICC, "import os\n\nos._exit(1)\n", "forecast = 8.269\n"),
    "segfault": lambda: code(TYPED_ICC, "import ctypes\n\nctypes.string_at(0)\n"),
    "sys_exit": lambda: code("import sys\n\nsys.exit('done here')\n", TYPED_ICC),
    "keyboard_interrupt": lambda: code("raise KeyboardInterrupt\n", TYPED_ICC),
    "deep_recursion": lambda: code(
        "def down(n):\n    return down(n + 1)\n\n\ndown(0)\n", TYPED_ICC
    ),
    "recursion_limit_raised": lambda: code(
        TYPED_ICC,
        # Recursion through a C function (map) overflows the C stack once the limit is lifted.
        "import sys\n\nsys.setrecursionlimit(10**8)\n\n\n"
        "def down(n):\n    return list(map(down, [n + 1]))\n\n\ndown(0)\n",
    ),
    "input_call": lambda: code("name = input('Your name: ')\n", TYPED_ICC),
    "orphan_process": lambda: code(
        "import subprocess\n\n"
        f"subprocess.Popen(['sleep', '{ORPHAN_MARK}'], start_new_session=True)\n",
        TYPED_ICC,
    ),
    # tampering
    "patch_isclose": lambda: code(
        "import math\n\nimport numpy\n\nmath.isclose = lambda *a, **k: True\n"
        "numpy.isclose = lambda *a, **k: True\nnumpy.allclose = lambda *a, **k: True\n",
        "icc = 0.5  # wrong, and every closeness test now says yes\n",
    ),
    "patch_grader": lambda: code(
        "import grader.answers\nimport grader.judge\nimport reference.tolerance\n"
        "import reference.quantities\n\n"
        "reference.tolerance.within = lambda *a, **k: True\n"
        "grader.judge.judge = lambda *a, **k: ((), ())\n"
        "grader.answers.parse_answers = None\n"
        "reference.quantities.solve = None\n",
        "icc = 0.5  # wrong\n",
    ),
    "patch_statsmodels": lambda: code(SETUP, UNCONDITIONAL, FINAL_MODEL, PATCH_STATSMODELS),
    "patch_nbgrader_grade": lambda: code(
        "import grader.notebook\n\n"
        "grader.notebook.grade = lambda part_id, namespace=None: 5.0  # within every part\n",
        "icc = 0.5  # wrong\n",
    ),
    "redefine_names": lambda: code(
        "print = open = json = math = float = type = isinstance = str = len = None\n"
        "dict = list = Exception = exec = globals = getattr = None\n",
        TYPED_ICC,
    ),
    "clobber_builtins": lambda: code(TYPED_ICC, "__builtins__ = {}\n"),
    "overwrite_data": lambda: code(
        "with open('data/hsb12.sav', 'wb') as handle:\n    handle.write(b'not the data any more')\n",
        "import reference.data\n\ntry:\n"
        "    reference.data.bundled_data_path().write_bytes(b'not the data any more')\n"
        "except OSError as exc:\n    print(type(exc).__name__)\n",
        TYPED_ICC,
    ),
    "write_outside": lambda: code(WRITE_OUTSIDE, TYPED_ICC),
    "steal_secrets": lambda: code(STEAL_SECRETS),
    "answers_symlink": lambda: code(
        TYPED_ICC, f"import os\n\nos.symlink('{CANARY}-symlink', 'answers.json')\n"
    ),
    "answers_fifo": lambda: code(TYPED_ICC, "import os\n\nos.mkfifo('answers.json')\n"),
    "garbage_answers": lambda: code(
        TYPED_ICC,
        "import json\n\njson.dump = lambda obj, handle, **kwargs: handle.write('{not json')\n",
    ),
    "oversized_answers": lambda: code(
        TYPED_ICC,
        "import json\n\njson.dump = lambda obj, handle, **kwargs: handle.write('x' * 6_000_000)\n",
    ),
    "forged_answers": lambda: code(FORGED),
    "forged_malformed_answers": lambda: code(FORGED_MALFORMED),
    "lying_objects": lambda: code(SETUP, FINAL, LYING_OBJECTS),
    "sympy_code_name": lambda: code(SETUP, FINAL, SYMPY_CODE_NAME),
    "enormous_answers": lambda: code(SETUP, FINAL, ENORMOUS),
    "exponential_answer": lambda: code(TYPED_ICC, EXPONENTIAL),
    "markup_and_surrogates": lambda: code(MARKUP_AND_SURROGATES),
    # hard-coded answers
    "hardcoded": lambda: code(SETUP, FINAL, HARDCODED),
    "computed_control": lambda: code(SETUP, UNCONDITIONAL, COMPUTED_CONTROL),
    # mistakes that are not malice
    "absolute_data_path": lambda: code(
        "import pyreadstat\n\n"
        "df, meta = pyreadstat.read_sav('/Users/anna/Desktop/STAT 512/hsb12.sav')\n",
        "import pandas as pd\n\ndf = pd.read_spss(r'C:\\Users\\anna\\Downloads\\hsb12.sav')\n",
        TYPED_ICC,
    ),
    "wrong_types": lambda: code(SETUP, FINAL, WRONG_TYPES),
    "numpy_types": lambda: code(SETUP, UNCONDITIONAL, FINAL, NUMPY_TYPES),
    "nan_inf": lambda: code(SETUP, FINAL, NAN_INF),
    "no_outputs": lambda: code(SETUP, UNCONDITIONAL, FINAL),
    "mid_execution": _mid_execution,
    "full_marks": lambda: code(SETUP, UNCONDITIONAL, FINAL, EQUATIONS, REST),
}


def write_huge_outputs(path: Path) -> Path:
    """A valid notebook carrying 50 MB of stored outputs (too large to commit)."""
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": PYTHON3})
    line = "x" * 999 + "\n"
    text = [line] * (FIFTY_MB // len(line) + 1)
    output = nbformat.v4.new_output("stream", name="stdout", text="".join(text))
    nb.cells = [nbformat.v4.new_code_cell(TYPED_ICC, id="cell-0", outputs=[output])]
    nbformat.write(nb, path)
    return path


def write_non_utf8_name(directory: Path) -> Path:
    """A valid notebook whose file name is not UTF-8 (Latin-1 ``hlm-é.ipynb``), as on old disks."""
    raw = os.fsencode(directory) + b"/hlm-\xe9l\xe8ve.ipynb"
    fd = os.open(raw, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    with os.fdopen(fd, "wb") as handle:
        handle.write(code(TYPED_ICC))
    return Path(os.fsdecode(raw))


def build(directory: Path = NOTEBOOKS) -> list[Path]:
    """Write every committed case to ``directory``; return the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, make in FILES.items():
        path = directory / f"{name}.ipynb"
        path.write_bytes(make())
        written.append(path)
    return written


def main(argv: list[str]) -> int:
    target = Path(argv[0]) if argv else NOTEBOOKS
    for path in build(target):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
