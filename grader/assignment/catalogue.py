"""The catalogue of sentences: an assignment's ``messages.toml``, checked against the engine's keys.

Every sentence the grader says is a template of the catalogue, filled from a result's fields and
the assignment's facts (:data:`grader.assignment.keys.FACTS`). Loading checks the whole file: a key
the engine never says, a key it says but the file lacks, a field the key does not have, or a
template that is not a plain ``{field}`` template is a :class:`~grader.errors.ConfigError` naming
the file and the key — never a sentence that fails while a class is being graded. Templates never
contain an expected value: the grader appends it only when ``reveal_expected`` is on.
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from grader.assignment.keys import FACTS, KEYS
from grader.errors import ConfigError

MESSAGES_FILE = "messages.toml"


@dataclass(frozen=True, slots=True)
class Catalogue:
    """Validated templates by key, and the facts of the assignment they may name."""

    templates: Mapping[str, str]
    facts: Mapping[str, str]

    def say(self, key: str, /, **fields: Any) -> str:
        """The sentence ``key`` filled from ``fields``.

        Templates are checked at load, so only a caller that forgot a field can leave one
        unfilled: the template is then returned as it is rather than failing the report.
        """
        template = self.templates[key]
        try:
            return template.format(**self.facts, **fields)
        except (KeyError, IndexError, ValueError):
            return template

    def with_overrides(self, table: object, source: str) -> Catalogue:
        """This catalogue with some sentences reworded (grading.toml's ``[messages]``)."""
        flat = flatten(table, source)
        for key, template in flat.items():
            check_template(key, template, source)
        return replace(self, templates={**self.templates, **flat})


def load_catalogue(path: Path, facts: Mapping[str, str]) -> Catalogue:
    """Read and check a ``messages.toml``: every key of :data:`KEYS`, and no other.

    Raises:
        ConfigError: unreadable TOML, an unknown or missing key, or a bad template.
    """
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"messages catalogue {path} cannot be read as TOML: {exc}") from None
    templates = flatten(doc, str(path))
    missing = sorted(set(KEYS) - set(templates))
    if missing:
        raise ConfigError(f"{path}: no sentence for {', '.join(missing[:8])}"
                          f"{' …' if len(missing) > 8 else ''}.")  # fmt: skip
    for key, template in templates.items():
        check_template(key, template, str(path))
    return Catalogue(templates, dict(facts))


def flatten(table: object, source: str, prefix: str = "") -> dict[str, str]:
    """``{"icc": {"checked": "…"}}`` (TOML tables) or ``{"icc.checked": "…"}`` (quoted keys) as
    ``{"icc.checked": "…"}``.

    Raises:
        ConfigError: a value that is neither a table nor a string.
    """
    if not isinstance(table, dict):
        raise ConfigError(f"{source}: [messages] must map message keys to strings.")
    out: dict[str, str] = {}
    for name, value in table.items():
        key = f"{prefix}{name}"
        if isinstance(value, dict):
            out.update(flatten(value, source, f"{key}."))
        elif isinstance(value, str):
            out[key] = value
        else:
            raise ConfigError(f"{source}: {key} must be a string (a sentence), not "
                              f"{type(value).__name__}.")  # fmt: skip
    return out


def check_template(key: str, template: str, source: str) -> None:
    """Raise :class:`ConfigError` unless ``key`` is known and ``template`` uses only its fields."""
    if key not in KEYS:
        close = sorted(k for k in KEYS if k.split(".")[0] == key.split(".")[0])
        hint = f"; keys there are {', '.join(close)}" if close else ""
        raise ConfigError(f"{source}: unknown message key {key!r}{hint}.")
    allowed = KEYS[key] | FACTS
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise ConfigError(f"{source}: {key} is not a valid template ({exc}); write a "
                          "literal brace as {{ or }}.") from None  # fmt: skip
    for _, field, spec, conversion in parsed:
        if field is None:
            continue
        if field not in allowed or "{" in (spec or "") or conversion not in (None, "s", "r"):
            names = ", ".join(sorted(allowed)) or "none"
            raise ConfigError(f"{source}: {key} uses {{{field}}}, which it does not have; "
                              f"its fields are {names}.")  # fmt: skip
