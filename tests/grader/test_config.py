from pathlib import Path

import pytest

from grader.assignment import load_config
from grader.errors import ConfigError


def test_the_assignment_config_gives_the_issue_points():
    config = load_config()
    points = {p.id: p.points for p in config.parts}
    assert points == {
        "icc": 10, "final_model": 15, "level_equations": 15, "combined_equation": 10,
        "effect_lists": 5, "fixed_estimates": 10, "combined_with_estimates": 10,
        "aic_change": 10, "residual_variance_change": 5, "forecast": 10,
    }  # fmt: skip
    assert config.max_score == 100 and not config.reveal_expected


def test_overrides_apply(tmp_path):
    path = tmp_path / "g.toml"
    path.write_text(
        '[policies]\nerror_carried_forward = "half"\nreveal_expected = true\n'
        '[parts.icc]\npoints = 20\natol = 0.01\n[messages]\n"icc.wrong" = "Nope: {observed}"\n'
    )
    config = load_config(path)
    assert config.ecf_factor == 0.5 and config.reveal_expected
    assert config.part("icc").points == 20 and config.part("icc").atol == 0.01
    assert config.messages.templates["icc.wrong"] == "Nope: {observed}"
    assert config.part("forecast") == load_config().part("forecast")


@pytest.mark.parametrize(
    "text, match",
    [
        ("[policy]\nx = 1\n", "unknown section"),
        ("[parts.iccc]\npoints = 1\n", "unknown part"),
        ("[parts.icc]\npoint = 1\n", "unknown key 'point'"),
        ('[parts.icc]\npoints = "ten"\n', "wrong type"),
        ('[policies]\nerror_carried_forward = "some"\n', "must be 'full'"),
        ("[policies]\nreveal_expected = 1\n", "wrong type"),
        ("not = [toml", "not valid TOML"),
    ],
)
def test_bad_configs_are_refused_with_the_reason(tmp_path, text, match):
    path = tmp_path / "g.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=match):
        load_config(path)


def test_a_missing_explicit_config_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "nope.toml")


def test_credit_for_known_mistakes_is_read_and_checked(tmp_path: Path) -> None:
    path = tmp_path / "grading.toml"
    path.write_text("[credit]\naic_sign = 0.25\n", encoding="utf-8")
    config = load_config(path)
    assert config.credit_for("aic_sign") == 0.25 and config.credit_for("percent") == 0.5
    path.write_text("[credit]\naic_signs = 0.25\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown key 'aic_signs'"):
        load_config(path)
    path.write_text("[credit]\naic_sign = 2\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="between 0 and 1"):
        load_config(path)
