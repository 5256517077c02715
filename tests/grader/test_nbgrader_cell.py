"""The in-kernel entry points (nbgrader test cells and the notebook self-check), driven in-process
with a namespace of real objects; the judging itself runs in a `python -I` subprocess."""

from __future__ import annotations

import json
import shutil
import warnings

import pytest
import statsmodels.formula.api as smf

from grader.notebook.nbgrader_cell import grade, judgement
from grader.notebook.selfcheck import check
from tests.hlm import HLM


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    (tmp_path / "data").mkdir()
    shutil.copy(HLM.bundled_data, tmp_path / "data" / "hsb12.sav")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture(scope="module")
def namespace(hsb):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        unconditional = smf.mixedlm("mathach ~ 1", hsb, groups=hsb["school"]).fit(reml=False)
    tau00, sigma2 = float(unconditional.cov_re.iloc[0, 0]), float(unconditional.scale)
    return {"unconditional": unconditional, "icc": tau00 / (tau00 + sigma2), "forecast": "oops"}


def test_a_test_cell_returns_the_score_which_shows_the_feedback(workdir, namespace, capsys):
    from IPython.core.formatters import DisplayFormatter

    score = grade("icc", namespace)
    assert score == 10.0
    # nbgrader reads the partial credit from text/plain (determine_grade); people see the HTML.
    data, _ = DisplayFormatter().format(score)
    assert data["text/plain"] == "10.0"
    assert float(data["text/plain"]) == 10.0
    assert "Unconditional model and ICC" in data["text/html"] and "10 / 10" in data["text/html"]
    assert "<code>icc</code>" in data["text/html"]
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""  # nothing printed: no second, unwrapped copy


def test_parts_judged_once_per_answers(workdir, namespace):
    grade("icc", namespace)
    forecast = grade("forecast", namespace)
    assert forecast == 0 and "string" in forecast._repr_html_()
    # The second test cell reuses the first one's judgement instead of judging again.
    assert judgement(namespace) is judgement(namespace)
    assert judgement({**namespace, "forecast": 8.27}) is not judgement(namespace)


def test_a_self_check_leaves_nothing_in_the_students_folder(workdir, namespace):
    before = sorted(p.relative_to(workdir) for p in workdir.rglob("*"))
    check(None, namespace)
    grade("icc", namespace)
    assert sorted(p.relative_to(workdir) for p in workdir.rglob("*")) == before


def test_without_data_the_cell_scores_zero_with_a_reason(tmp_path, monkeypatch, namespace, capsys):
    monkeypatch.chdir(tmp_path)
    score = grade("icc", namespace)
    assert score == 0.0 and repr(score) == "0.0"
    assert "does not exist" in score._repr_html_() and "could not be judged" in score._repr_html_()
    assert capsys.readouterr().err == ""


def test_notebook_self_check_renders_a_table(workdir, namespace):
    report = check("icc", namespace)
    assert [p.id for p in report.parts] == ["icc"] and report.score == 10
    html = report._repr_html_()
    assert 'class="hlm-report' in html and "Unconditional model and ICC" in html


def test_notebook_self_check_unknown_part(workdir, namespace):
    assert "no part 'iccc'" in (check("iccc", namespace).error or "")


def test_the_test_cells_read_the_notebooks_own_text(workdir, namespace):
    # nbgrader's path: the submitted notebook beside the kernel is read (its stored outputs are
    # what the student saw) and judged with the answers. The judging process is run in-process
    # here, so the test exercises this tree's code (`python -I` would import the installed one).
    import json

    import nbformat

    from grader.notebook.adjudicate import adjudicate
    from grader.notebook.nbgrader_cell import _answers_json
    from grader.notebook.source import with_notebook_text

    printed = nbformat.v4.new_code_cell("print(f'ICC: {rho:.4f}')")
    printed.outputs = [nbformat.v4.new_output("stream", name="stdout", text="ICC: 0.1793\n")]
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# My HLM"), printed]
    nbformat.write(nb, workdir / "hlm.ipynb")
    answers = {k: v for k, v in namespace.items() if k != "icc"}  # the ICC is only printed
    (workdir / "answers.json").write_bytes(
        with_notebook_text(_answers_json(answers, HLM, "hlm"), answers)
    )
    adjudicate(
        workdir / "answers.json", workdir / "data" / "hsb12.sav", workdir / "out.json", "hlm"
    )
    part = json.loads((workdir / "out.json").read_text(encoding="utf-8"))["parts"]["icc"]
    assert part["score"] == 10 and part["variable"] == "cell 2 (printed)"
    assert "We read your ICC in the output of cell 2" in part["feedback"]


def test_the_answers_say_which_assignment_they_are_for() -> None:
    # The extraction records the assignment it was asked for; the answers file carries it.
    from grader.answers.submission import parse_answers
    from grader.notebook.nbgrader_cell import _answers_json

    raw = _answers_json({"icc": 0.1793}, HLM, "hlm")
    assert json.loads(raw)["assignment"] == "hlm"
    assert parse_answers(raw).assignment == "hlm"
