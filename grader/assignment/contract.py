"""The answer contract: which notebook variable holds which answer, as the assignment states it.

The assignment's ``assignment.toml`` lists, in the order its notebook asks for them, each answer
variable with what it must hold (``kind``), the part that grades it and how it is described. The
variables themselves are the engine's answer slots (:data:`SLOTS`): each check reads its answers
by these names. A notebook that kept its own names is still graded (see
:mod:`grader.answers.locate`), but these are the names the assignment asks for.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal, cast

from grader.errors import ConfigError

Kind = Literal["number", "model", "equation", "equations", "names", "estimates"]
ANSWERS_FILE = "answers.json"

#: The answers the checks read, and what each must be.
SLOTS: Mapping[str, Kind] = MappingProxyType({
    "unconditional": "model", "icc": "number", "final": "model", "level1": "equation",
    "level2": "equations", "combined": "equation", "fixed_effects": "names",
    "random_effects": "names", "fixed_estimates": "estimates", "combined_with_estimates": "equation",
    "aic_change": "number", "residual_variance_change": "number", "forecast": "number",
})  # fmt: skip


@dataclass(frozen=True, slots=True)
class AnswerSpec:
    """One variable of the contract: its name, what it must hold, and the part that grades it."""

    name: str
    kind: Kind
    part: str
    description: str


@dataclass(frozen=True, slots=True)
class Contract:
    """The assignment's answer variables, in the notebook's order."""

    answers: tuple[AnswerSpec, ...]

    def __iter__(self) -> Iterator[AnswerSpec]:
        return iter(self.answers)

    @property
    def names(self) -> list[str]:
        return [a.name for a in self.answers]

    def spec(self, name: str) -> AnswerSpec:
        return next(a for a in self.answers if a.name == name)

    def of_part(self, part: str) -> tuple[AnswerSpec, ...]:
        return tuple(a for a in self.answers if a.part == part)


def contract_from(table: object, parts: frozenset[str], source: str) -> Contract:
    """The ``[answers]`` tables of ``assignment.toml``, checked against :data:`SLOTS` and the parts.

    Raises:
        ConfigError: an unknown or missing variable, a wrong kind, or a part grading.toml lacks.
    """
    if not isinstance(table, dict):
        raise ConfigError(f"{source}: [answers] is missing: one table per answer variable.")
    unknown, missing = sorted(set(table) - set(SLOTS)), sorted(set(SLOTS) - set(table))
    if unknown or missing:
        raise ConfigError(f"{source} [answers]: the variables must be {', '.join(SLOTS)}"
                          f" (unknown: {', '.join(unknown) or 'none'}; missing: "
                          f"{', '.join(missing) or 'none'}).")  # fmt: skip
    return Contract(
        tuple(_answer(n, v, parts, f"{source} [answers.{n}]") for n, v in table.items())
    )


def _answer(name: str, raw: object, parts: frozenset[str], where: str) -> AnswerSpec:
    if not isinstance(raw, dict) or set(raw) != {"kind", "part", "description"}:
        raise ConfigError(f"{where}: expected exactly kind, part and description.")
    if raw["kind"] != SLOTS[name]:
        raise ConfigError(f"{where}: kind must be {SLOTS[name]!r}: the checks read {name} so.")
    if raw["part"] not in parts:
        raise ConfigError(f"{where}: part {raw['part']!r} is not a part of grading.toml.")
    if not isinstance(raw["description"], str) or not raw["description"]:
        raise ConfigError(f"{where}: description must be a sentence.")
    return AnswerSpec(name, cast(Kind, raw["kind"]), str(raw["part"]), raw["description"])
