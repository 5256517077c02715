"""An assignment as the grader sees it: one frozen value, read from its folder and checked at load.

:func:`load_assignment` reads ``assignments/<name>/`` (or any folder of the same shape): the
reference's part of ``assignment.toml`` becomes the :class:`~reference.data.dataset.Dataset`, the
rest the title, the notebook's file name and the answer contract; ``messages.toml`` the catalogue
of sentences; ``grading.toml`` (or another file given, ``--config``) the points, tolerances and
credit. The engine is handed this value and threads it explicitly; it holds no assignment itself.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import assignments
from grader.assignment.catalogue import MESSAGES_FILE, Catalogue, load_catalogue
from grader.assignment.config import GRADING_FILE, GradingConfig, grading_from, read_grading
from grader.assignment.contract import Contract, contract_from
from grader.errors import ConfigError
from reference.data.dataset import Dataset
from reference.data.description import TABLES, dataset_from, detect, read_description
from reference.errors import DataError

#: Names the assignment of the in-notebook self-check (see :func:`assignment_here`).
ENV_VAR = "HLM_GRADER_ASSIGNMENT"
_OWN_KEYS = frozenset({"title", "notebook", "answers"})


@dataclass(frozen=True, slots=True)
class Assignment:
    """Everything specific to one assignment.

    Attributes:
        name: the folder's name (``hlm``).
        folder: the assignment's folder.
        title: its title, as reports and the nbgrader course name it.
        notebook: the notebook's file name (``hlm.ipynb``), in the folder and in the release.
        dataset: its data, as the reference needs it.
        contract: the answer variables.
        grading: points, tolerances, credit, policies, limits and the sentences.
        catalogue: the sentences of ``messages.toml`` (before ``grading.toml`` rewords any).
        grading_toml: the assignment's own ``grading.toml``, parsed: what another grading file
            given later (``--config``) leaves unsaid comes from it.
        template_text: the Markdown cells of its notebook that students receive as they are
            (not the written answers'), stripped: a cell that still reads so is not the student's.
    """

    name: str
    folder: Path = field(repr=False)
    title: str = field(repr=False)
    notebook: str = field(repr=False)
    dataset: Dataset = field(repr=False)
    contract: Contract = field(repr=False)
    grading: GradingConfig = field(repr=False)
    catalogue: Catalogue = field(repr=False)
    grading_toml: Mapping[str, Any] = field(repr=False)
    template_text: frozenset[str] = field(default=frozenset(), repr=False)

    @property
    def data_file(self) -> str:
        """The data file as the notebook reads it, relative to the notebook (``data/hsb12.sav``)."""
        return self.dataset.file.path

    @property
    def bundled_data(self) -> Path:
        """The data file shipped with the assignment."""
        return self.dataset.bundled

    def with_grading(self, grading: GradingConfig) -> Assignment:
        """This assignment graded by another configuration (``--config``)."""
        return dataclasses.replace(self, grading=grading)

    def graded_by(self, path: Path | None) -> Assignment:
        """This assignment graded by the grading TOML at ``path`` (itself when None)."""
        if path is None:
            return self
        return self.grading_doc(read_grading(path), str(path))

    def grading_doc(self, doc: Mapping[str, Any], source: str) -> Assignment:
        """This assignment graded by a parsed grading TOML (sent to workers as plain data): what
        it states replaces the assignment's ``grading.toml``, key by key; the rest is kept."""
        merged = _merged(self.grading_toml, doc)
        return self.with_grading(grading_from(merged, self.catalogue, source=source))


def load_assignment(
    assignment: str | Path | Assignment = assignments.DEFAULT, *, grading: Path | None = None
) -> Assignment:
    """Read and check an assignment, by name (``"hlm"``) or folder.

    Args:
        assignment: a bundled assignment's name, a folder of one, or an assignment already loaded.
        grading: a grading TOML to use instead of the assignment's own ``grading.toml``.

    Raises:
        ConfigError: no such assignment, or one of its files is malformed.
    """
    if isinstance(assignment, Assignment):
        return assignment.graded_by(grading)
    try:
        folder = assignments.folder(assignment)
    except FileNotFoundError as exc:
        raise ConfigError(str(exc)) from None
    return _load(folder).graded_by(grading)


@functools.lru_cache(maxsize=8)
def _load(folder: Path) -> Assignment:
    try:
        doc = read_description(folder)
        dataset = dataset_from(doc, folder)
    except DataError as exc:
        raise ConfigError(str(exc)) from None
    source = str(folder / assignments.DESCRIPTION)
    unknown = sorted(set(doc) - _OWN_KEYS - TABLES)
    if unknown:
        raise ConfigError(f"{source}: unknown key(s) {', '.join(unknown)}.")
    facts = {"response": dataset.response, "group": dataset.group,
             "data_file": dataset.file.path, "data_name": dataset.file.name}  # fmt: skip
    catalogue = load_catalogue(folder / MESSAGES_FILE, facts)
    grading_path = folder / GRADING_FILE
    grading_toml = read_grading(grading_path)
    grading = grading_from(grading_toml, catalogue, source=str(grading_path))
    contract = contract_from(doc.get("answers"), frozenset(p.id for p in grading.parts), source)
    notebook = _text(doc, "notebook", source)
    return Assignment(folder.name, folder, _text(doc, "title", source), notebook, dataset,
                      contract, grading, catalogue, grading_toml,
                      _template_text(folder / notebook))  # fmt: skip


def _template_text(notebook: Path) -> frozenset[str]:
    """The Markdown cells of the assignment's notebook that are not answers (see the field)."""
    try:
        cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError, AttributeError):
        return frozenset()  # a folder without its notebook yet: nothing is template
    out = set()
    for cell in cells if isinstance(cells, list) else []:
        meta = cell.get("metadata", {}).get("nbgrader", {}) if isinstance(cell, dict) else {}
        if cell.get("cell_type") == "markdown" and not meta.get("solution"):
            source = cell.get("source", "")
            out.add(("".join(source) if isinstance(source, list) else str(source)).strip())
    return frozenset(out)


def _merged(base: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """``base`` with ``changes`` applied table by table (a value that is not a table replaces)."""
    out = dict(base)
    for key, value in changes.items():
        old = out.get(key)
        both = isinstance(old, Mapping) and isinstance(value, Mapping)
        out[key] = _merged(old, value) if both else value  # type: ignore[arg-type]
    return out


def _text(doc: dict[str, Any], key: str, source: str) -> str:
    value = doc.get(key)
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{source}: {key} must be a non-empty string.")
    return value


def load_config(path: Path | None = None, *, assignment: str | Path = assignments.DEFAULT
                ) -> GradingConfig:  # fmt: skip
    """An assignment's grading configuration (its ``grading.toml``, or the file at ``path``).

    Raises:
        ConfigError: a malformed file.
    """
    return load_assignment(assignment, grading=path).grading


def assignment_here(folder: Path | None = None) -> str | Path:
    """The assignment of a notebook running in ``folder`` (the working directory by default):
    the environment's :data:`ENV_VAR` (``hlm-grader course init`` sets it for nbgrader), else
    the bundled assignment whose data file is there, else the default one."""
    named = os.environ.get(ENV_VAR, "").strip()
    if named:
        return named
    return detect(folder or Path.cwd()) or assignments.DEFAULT
