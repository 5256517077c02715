"""``hlm-grader reference``: the report, the JSON, and one clean line for every bad input."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grader.cli import main
from tests.hlm import HLM

FIT_KEYS = {
    "formula",
    "re_formula",
    "method",
    "fe_params",
    "bse",
    "cov_re",
    "cov_re_names",
    "scale",
    "llf",
    "aic",
    "optimizer",
    "n_obs",
    "n_groups",
}
TOP_KEYS = {
    "icc",
    "icc_reml",
    "unconditional",
    "final",
    "aic_change",
    "residual_variance_change",
    "intercept_variance_change",
    "forecast",
    "forecast_interval",
    "fixed_effects",
    "random_effects",
    "school_level",
}


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    assert main(["reference", "--json", *args]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    record: dict[str, object] = json.loads(out)
    return record


def test_json_of_the_seed_model(capsys: pytest.CaptureFixture[str]) -> None:
    record = run_json(capsys)
    assert record.keys() >= TOP_KEYS
    for model in ("unconditional", "final"):
        assert record[model].keys() >= FIT_KEYS  # type: ignore[attr-defined]
    # DOMAIN.md / lme4 values of the seed's model
    assert record["icc"] == pytest.approx(0.1793, abs=5e-5)
    assert record["icc_reml"] == pytest.approx(0.1804, abs=5e-5)
    assert record["aic_change"] == pytest.approx(-822.81, abs=0.01)
    assert record["residual_variance_change"] == pytest.approx(0.0884, abs=5e-5)
    assert record["forecast"] == pytest.approx(8.269, abs=5e-4)
    assert record["random_effects"] == ["Intercept", "minority"]
    assert record["final"]["llf"] == pytest.approx(-23139.4984, abs=0.01)  # type: ignore[index]


def test_json_of_another_model_with_reml(capsys: pytest.CaptureFixture[str]) -> None:
    formula = "mathach ~ meanses + sector + cses + cses:meanses + cses:sector"
    record = run_json(capsys, "--formula", formula, "--re", "~cses", "--reml")
    final, final_reml = record["final"], record["final_reml"]
    assert final["method"] == "ML" and final_reml["method"] == "REML"  # type: ignore[index]
    assert final["llf"] == pytest.approx(-23248.2169, abs=0.01)  # type: ignore[index]  # lme4
    assert record["fixed_effects"] == [
        "Intercept",
        "meanses",
        "sector",
        "cses",
        "cses:meanses",
        "cses:sector",
    ]


def test_report_shows_every_answer(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["reference"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    for text in ("ICC", "0.1793", "0.1804", "-822.81", "0.0884", "8.2686", "Var(minority)"):
        assert text in out, text


def test_report_with_reml_labels_the_reml_estimates(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["reference", "--reml"]) == 0
    out = capsys.readouterr().out
    assert "Final (REML)" in out and "-822.81" in out


def test_data_option_reads_another_copy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    copy = tmp_path / "copy.sav"
    shutil.copy(HLM.bundled_data, copy)
    assert run_json(capsys, "--data", str(copy))["icc"] == pytest.approx(0.1793, abs=5e-5)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--formula", "mathach ~ ses + iq + meanses"], "unknown variable(s) iq"),
        (["--formula", "mathach ~ ses + meanses"], "at least three predictors"),
        (["--formula", "mathach ~ ses + minority + female"], "at least one school-level"),
        (["--formula", "mathach ~ ses + cses + meanses"], "linear combination"),
        (["--re", "~sector"], "random slope(s) for school-level"),
        (["--formula", "__import__('os')"], "unsupported part"),
        (["--data", "missing.sav"], "does not exist"),
        (["--data", __file__], "could not be read as an SPSS .sav file"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(["reference", *args]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("hlm-grader: ") and message in err


def test_bad_file_from_the_shell_prints_no_traceback_or_warning(tmp_path: Path) -> None:
    fake = tmp_path / "hsb12.sav"
    fake.write_bytes(b"\x00not spss")
    done = subprocess.run(
        [sys.executable, "-m", "grader.cli", "reference", "--data", str(fake)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "SPSS" in done.stderr


def test_json_has_the_equations_as_latex_and_trees(capsys: pytest.CaptureFixture[str]) -> None:
    from reference.equations.serialize import from_tree
    from reference.notation import Eq, beta, r, w, x, y

    equations = run_json(capsys)["equations"]
    assert isinstance(equations, dict)
    # DOMAIN.md's level 1 for the seed's model, in LaTeX
    assert equations["level1"] == (
        r"mathach_{ij} = \beta_{0j} + \beta_{1j} \cdot minority_{ij} + \beta_{2j} \cdot "
        r"female_{ij} + \beta_{3j} \cdot ses_{ij} + r_{ij}"
    )
    assert len(equations["level2"]) == 4
    # lme4's estimates rounded to 3 decimals: 11.802, -2.945 (minority), 4.386 (pracad)
    assert "11.802" in equations["combined_with_estimates"]
    assert r"2.945 \cdot minority_{ij}" in equations["combined_with_estimates"]
    level1 = Eq(y, beta(0) + beta(1) * x("minority") + beta(2) * x("female")
                + beta(3) * x("ses") + r)  # fmt: skip
    assert from_tree(equations["trees"]["level1"]) == level1
    assert w("meanses") in from_tree(equations["trees"]["combined"]).free_symbols


def test_report_shows_the_equations(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["reference"]) == 0
    out = capsys.readouterr().out
    assert "β0j = γ00 + γ01·meanses_j + γ02·pracad_j + u0j" in out
    assert "u1j·minority_ij" in out


def test_an_internal_error_is_one_line_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import grader.commands.reference as command

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(command, "reference_solution", broken)
    assert main(["reference"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "internal error (ZeroDivisionError: boom)" in err
