"""An assignment is data: its folder is read whole and checked at load, every problem one sentence."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

import assignments
from grader.assignment import assignment_here, load_assignment
from grader.assignment.catalogue import check_template
from grader.assignment.keys import KEYS
from grader.errors import ConfigError
from grader.judge.engine import CHECKS
from reference.data import dataset_of, load_data
from reference.errors import DataError

HLM_FOLDER = Path(assignments.__file__).parent / "hlm"


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A copy of the HSB assignment's files (not its data or notebook), to break one at a time."""
    folder = tmp_path / "course_hlm"
    folder.mkdir()
    for name in ("assignment.toml", "messages.toml", "grading.toml"):
        shutil.copyfile(HLM_FOLDER / name, folder / name)
    return folder


def rewrite(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_copied_folder_is_an_assignment_of_its_own(copy: Path) -> None:
    found = load_assignment(copy)
    assert found.name == "course_hlm" and found.folder == copy.resolve()
    assert found.dataset.response == "mathach" and found.contract.names[0] == "unconditional"
    assert found.grading.max_score == 100


def test_every_part_of_grading_toml_has_a_check_and_every_check_a_part() -> None:
    assert {p.id for p in load_assignment("hlm").grading.parts} == set(CHECKS)


def test_the_bundled_assignments_are_the_folders_with_a_description() -> None:
    assert assignments.bundled() == ("exam", "hlm")
    assert assignments.folder("exam") == (HLM_FOLDER.parent / "exam").resolve()


def test_no_such_assignment_names_the_bundled_ones() -> None:
    with pytest.raises(ConfigError, match=r"no assignment 'hsb'.*the bundled assignments are"):
        load_assignment("hsb")


@pytest.mark.parametrize(
    ("file", "old", "new", "match"),
    [
        ("messages.toml", "[icc]\n", "[icc]\nchecks = \"x\"\n", "unknown message key 'icc.checks'"),
        ("messages.toml", "{stated} looks like the share", "{stated} {expected} looks like the share",
         r"icc.inverted uses \{expected\}, which it does not have"),
        ("messages.toml", 'unread = "Read but not graded: {items}."\n', "", "no sentence for common.unread"),
        ("messages.toml", "{answer} holds {reason}", "{answer.__class__} holds {reason}", "does not have"),
        ("messages.toml", "{answer} holds {reason}", "{answer holds {reason}", "not a valid template"),
        ("grading.toml", "[parts.icc]\n", "[parts.icc]\ntolerance = 1\n", "unknown key 'tolerance'"),
        ("grading.toml", "aic_sign = 0.5", "", r"aic_sign missing; every key is required"),
        ("grading.toml", "optimum_share = 0.3333333333333333\n", "",
         "optimum_share missing; every key is required"),
        ("grading.toml", "# [messages]", '[messages]\n"icc.wrong" = "{nope}"\n', r"uses \{nope\}"),
        ("assignment.toml", "title =", "titel = 'x'\ntitle =", "unknown key"),
        ("assignment.toml", 'response = "mathach"', 'response = "mathach"\nresponses = 1',
         r"\[data\]: unknown key\(s\) responses"),
        ("assignment.toml", 'group = "school"', 'group = "schools"', "schools not among"),
        ("assignment.toml", 'kind = "number"\npart = "icc"', 'kind = "names"\npart = "icc"',
         "kind must be 'number'"),
        ("assignment.toml", 'file = "data/hsb12.sav"', 'file = "../hsb12.sav"', "inside the notebook"),
    ],
)  # fmt: skip
def test_a_broken_file_is_refused_with_the_key_and_the_reason(
    copy: Path, file: str, old: str, new: str, match: str
) -> None:
    rewrite(copy / file, old, new)
    with pytest.raises(ConfigError, match=match):
        load_assignment(copy)


def test_every_hlm_sentence_fills_with_its_fields_and_facts() -> None:
    messages = load_assignment("hlm").grading.messages
    for key, fields in KEYS.items():
        check_template(key, messages.templates[key], "messages.toml")
        said = messages.say(key, **dict.fromkeys(fields, 1.0))  # a number fits every format
        assert "{" not in said.replace("{{", ""), key  # every field filled
    assert "mathach ~ 1" in messages.say("icc.checked", answer="icc", tolerance="±0.0015")


def test_another_grading_file_changes_only_what_it_says(tmp_path: Path) -> None:
    path = tmp_path / "g.toml"
    path.write_text("[parts.forecast]\npoints = 20\n", encoding="utf-8")
    regraded = load_assignment("hlm", grading=path)
    assert regraded.grading.part("forecast").points == 20
    assert regraded.grading.part("forecast").atol == 0.01 and regraded.grading.max_score == 110


def test_the_data_carries_its_assignment_and_a_bare_frame_says_it_has_none() -> None:
    data = load_data("hlm")
    picked = data[data["school"] < 2000].assign(extra=1.0).copy()
    assert dataset_of(picked).response == "mathach" and dataset_of(picked.head()).group == "school"
    with pytest.raises(DataError, match="carries no assignment description"):
        dataset_of(pd.DataFrame(data.to_dict()))


def test_a_notebooks_folder_names_its_assignment_by_the_data_file_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HLM_GRADER_ASSIGNMENT", raising=False)
    assert assignment_here(tmp_path) == assignments.DEFAULT
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "hsb12.sav").write_bytes(b"")
    assert assignment_here(tmp_path) == "hlm"
    monkeypatch.setenv("HLM_GRADER_ASSIGNMENT", "/courses/other")
    assert assignment_here(tmp_path) == "/courses/other"  # the course's setting wins
