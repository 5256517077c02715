"""Reading an assignment's ``assignment.toml`` into a :class:`~reference.data.dataset.Dataset`.

The reference reads the tables about the data (:data:`TABLES`); the grader reads the rest of the
file (title, notebook, answer contract). Each table is checked key by key: an unknown key, a
missing one or a value of the wrong type is a :class:`~reference.errors.DataError` naming the file,
the key and what was expected, so a typo never silently falls back to something.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, cast

import assignments
from reference.data.dataset import (
    DataFile,
    Dataset,
    FinalRules,
    HiddenRecipe,
    Reader,
    Signal,
    frozen_mapping,
)
from reference.errors import DataError

#: The tables of ``assignment.toml`` the reference reads.
TABLES = frozenset({"data", "final_model", "profile", "hidden_data"})
READERS = ("spss", "csv")
Number = (int, float)


def read_description(folder: Path) -> dict[str, Any]:
    """The parsed ``assignment.toml`` of an assignment folder.

    Raises:
        DataError: the file cannot be read or is not valid TOML.
    """
    path = folder / assignments.DESCRIPTION
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise DataError(f"{path} cannot be read as TOML: {exc}") from None


@functools.lru_cache(maxsize=16)
def load_dataset(assignment: str | Path = assignments.DEFAULT) -> Dataset:
    """The data description of an assignment, by name (``"hlm"``) or folder.

    Raises:
        DataError: no such assignment, or its ``assignment.toml`` is malformed.

    >>> dataset = load_dataset("hlm")
    >>> dataset.response, dataset.group, dataset.file.path
    ('mathach', 'school', 'data/hsb12.sav')
    """
    try:
        folder = assignments.folder(assignment)
    except FileNotFoundError as exc:
        raise DataError(str(exc)) from None
    return dataset_from(read_description(folder), folder)


def detect(folder: Path) -> str | None:
    """The bundled assignment whose data file is in ``folder`` where its notebook reads it (a
    notebook's folder holds its assignment's data); None when no bundled one's, or several's, is.

    >>> detect(Path("/nonexistent")) is None
    True
    """
    found = []
    for name in assignments.bundled():
        try:
            if (folder / load_dataset(name).file.path).is_file():
                found.append(name)
        except (DataError, OSError):
            continue
    return found[0] if len(found) == 1 else None


def dataset_from(doc: Mapping[str, Any], folder: Path) -> Dataset:
    """The :class:`Dataset` of a parsed ``assignment.toml`` (its :data:`TABLES`)."""
    where = str(folder / assignments.DESCRIPTION)
    data = _Table(doc.get("data"), f"{where} [data]")
    rules = _Table(doc.get("final_model"), f"{where} [final_model]")
    file = DataFile(
        path=data.text("file"),
        reader=cast(Reader, data.choice("reader", READERS)),
        lower_case=data.flag("lower_case"),
        drop=data.texts("drop"),
        integers=data.texts("integers"),
        columns=data.texts("columns"),
    )
    dataset = Dataset(
        assignment=folder.name,
        folder=folder,
        file=file,
        response=data.text("response"),
        group=data.text("group"),
        ids=data.texts("ids"),
        group_means=frozen_mapping(data.text_map("group_means")),
        profile=frozen_mapping(_numbers(doc.get("profile"), f"{where} [profile]")),
        rules=FinalRules(rules.whole("min_predictors"), rules.whole("min_group_level")),
        solution=(rules.text("formula"), rules.text("re_formula")),
        hidden=_hidden(doc.get("hidden_data"), f"{where} [hidden_data]"),
    )
    data.done()
    rules.done()
    _check(dataset, where)
    return dataset


def _check(dataset: Dataset, where: str) -> None:
    named = {dataset.response, dataset.group, *dataset.ids, *dataset.group_means,
             *dataset.group_means.values(), *dataset.profile}  # fmt: skip
    missing = sorted(named - set(dataset.file.columns))
    if missing:
        raise DataError(f"{where}: {', '.join(missing)} not among [data] columns.")
    relative = Path(dataset.file.path)
    if relative.is_absolute() or ".." in relative.parts or not relative.name:
        raise DataError(f"{where} [data]: file must be a path inside the notebook's folder.")
    if not 0 <= dataset.rules.min_group_level <= dataset.rules.min_predictors:
        raise DataError(f"{where} [final_model]: min_group_level must be 0 to min_predictors.")


def _hidden(raw: object, where: str) -> HiddenRecipe | None:
    if raw is None:
        return None
    table = _Table(raw, where)
    recipe = HiddenRecipe(
        between=table.pair("between"),
        within=table.pair("within"),
        shift=table.pair("shift"),
        decimals=table.whole("decimals"),
        signals=tuple(_signal(k, v, where) for k, v in table.table("signals").items()),
        probes=table.texts("probes"),
    )
    table.done()
    return recipe


def _signal(column: str, raw: object, where: str) -> Signal:
    numbers = isinstance(raw, list) and all(
        isinstance(v, Number) and not isinstance(v, bool) for v in raw
    )
    if not numbers or not isinstance(raw, list) or len(raw) != 3 or raw[0] not in (-1, 1):
        raise DataError(f"{where} signals: {column} must be [sign (1 or -1), low, high].")
    return Signal(column, int(raw[0]), float(raw[1]), float(raw[2]))


def _numbers(raw: object, where: str) -> dict[str, float]:
    if not isinstance(raw, dict) or not raw:
        raise DataError(f"{where}: expected a table of numbers, one per predictor.")
    bad = [k for k, v in raw.items() if isinstance(v, bool) or not isinstance(v, Number)]
    if bad:
        raise DataError(f"{where}: {', '.join(bad)} must be numbers.")
    return {str(k): float(v) for k, v in raw.items()}


class _Table:
    """One TOML table, read key by key; :meth:`done` refuses keys nobody read."""

    def __init__(self, raw: object, where: str) -> None:
        if not isinstance(raw, dict):
            raise DataError(f"{where}: the table is missing.")
        self.raw, self.where, self.read = raw, where, set[str]()

    def _get(self, key: str, kinds: type | tuple[type, ...], wanted: str) -> Any:
        self.read.add(key)
        value = self.raw.get(key)
        if value is None:
            raise DataError(f"{self.where}: {key} is missing ({wanted}).")
        if isinstance(value, bool) is not (kinds is bool) or not isinstance(value, kinds):
            raise DataError(f"{self.where}: {key} must be {wanted}; got {value!r}.")
        return value

    def text(self, key: str) -> str:
        return str(self._get(key, str, "a string"))

    def flag(self, key: str) -> bool:
        return bool(self._get(key, bool, "true or false"))

    def whole(self, key: str) -> int:
        return int(self._get(key, int, "a whole number"))

    def choice(self, key: str, options: tuple[str, ...]) -> str:
        value = self.text(key)
        if value not in options:
            raise DataError(f"{self.where}: {key} must be one of {', '.join(options)}.")
        return value

    def texts(self, key: str) -> tuple[str, ...]:
        values = self._get(key, list, "a list of strings")
        if not all(isinstance(v, str) for v in values):
            raise DataError(f"{self.where}: {key} must be a list of strings.")
        return tuple(values)

    def pair(self, key: str) -> tuple[float, float]:
        values = self._get(key, list, "[low, high]")
        if len(values) != 2 or not all(isinstance(v, Number) for v in values):
            raise DataError(f"{self.where}: {key} must be [low, high].")
        return float(values[0]), float(values[1])

    def table(self, key: str) -> dict[str, Any]:
        return dict(self._get(key, dict, "a table"))

    def text_map(self, key: str) -> dict[str, str]:
        values = self.table(key)
        if not all(isinstance(v, str) for v in values.values()):
            raise DataError(f"{self.where}: {key} must map column names to column names.")
        return values

    def done(self) -> None:
        unknown = sorted(set(self.raw) - self.read)
        if unknown:
            raise DataError(
                f"{self.where}: unknown key(s) {', '.join(unknown)}; known: "
                f"{', '.join(sorted(self.read))}."
            )
