"""Finding the answers in a submission, wherever the student put them.

For every answer of the contract, the places are tried in this order, and the first that holds a
value of the right type wins:

1. the contract's variable (``icc``);
2. an answers dict (``answers = {"ICC": …, "level 1": …}``);
3. the student's own names (``rho``, ``L1``, ``comb_est``, ``fe_list``), by name *and* type — an
   equation by what it defines and contains, wherever it is stored;
4. printed outputs (``ICC: 0.1793``, a printed combined model);
5. the Markdown (math spans, bullet lists of effects, numbers in sentences).

The unconditional and final models are the ones the notebook says play those roles (see
:mod:`grader.answers.choice`). Every answer carries where it was found (:class:`Found`); every
guess is said in a note.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from grader.answers.candidates import EQUATION_ANSWERS, LIST_ANSWERS, NUMBER_ANSWERS, answer_dicts
from grader.answers.choice import choose
from grader.answers.encoded import Encoded, Invalid
from grader.answers.equation_pick import pick_equations
from grader.answers.found import WHAT, Found
from grader.answers.letters import Mention
from grader.answers.models import StudentModel
from grader.answers.reading import TextNumber, TextReading, read_text
from grader.answers.sources import find_value
from grader.answers.submission import Submission
from grader.answers.usage import CodeFacts, code_facts
from reference.errors import SpecError
from reference.model.spec import normalise_formula

__all__ = ["WHAT", "Found", "Located", "locate"]

_USERS = ("aic_change", "residual_variance_change", "forecast", "fixed_estimates",
          "combined_with_estimates")  # fmt: skip


@dataclass(frozen=True, slots=True)
class Located:
    """The answers the checks will judge, with notes on any guesses made.

    Attributes:
        prose: numbers the Markdown reports for each numeric part (compared with the code's).
        letters: letter variables (X_1, W_1) the text mentions, for the equation checks.
        unread: equations the text has but that answer nothing, and rows that could not be
            read, as sentences (said when an equation is missing).
        template: the notebook is the assignment's template (it names the contract variables).
    """

    unconditional: StudentModel | Invalid | None
    unconditional_variable: str | None
    final: StudentModel | Invalid | None
    final_variable: str | None
    answers: dict[str, Found] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    prose: dict[str, tuple[TextNumber, ...]] = field(default_factory=dict)
    letters: tuple[Mention, ...] = ()
    unread: tuple[str, ...] = ()
    template: bool = True

    def get(self, name: str) -> Found:
        return self.answers.get(name, Found(None, None))


_last: list[tuple[Submission, str, Located]] = []


def locate(
    submission: Submission, response: str, assignment_text: frozenset[str] = frozenset()
) -> Located:
    """Pick the unconditional and final models and every answer from a submission, for an
    assignment whose response column is ``response`` and whose notebook's own Markdown cells are
    ``assignment_text`` (never the student's words). Memoised for the last submission: the engine and
    the report's summary both ask."""
    last = _last[0] if _last else None  # one read: another thread may replace the entry
    if last is not None and last[0] is submission and last[1] == response:
        return last[2]
    located = _locate(submission, response, assignment_text)
    _last[:] = [(submission, response, located)]
    return located


def _locate(submission: Submission, response: str, assignment_text: frozenset[str]) -> Located:
    text = read_text(submission.notebook, response, assignment_text)
    facts = code_facts(submission.notebook)
    template = is_template(submission)
    answers: dict[str, Found] = {}
    dicts = list(answer_dicts(submission))
    skipped: list[str] = []
    for part in (*NUMBER_ANSWERS, "fixed_estimates"):
        answers[part] = _found(part, submission, dicts, text, facts, (), skipped)
    picked = pick_equations(submission, dicts, text, facts, response)
    answers.update(picked.answers)
    unc_var, unc, unc_note = _model(submission, ("unconditional", response), answers, facts,
                                    template)  # fmt: skip
    fin_var, fin, fin_note = _model(submission, ("final", response), answers, facts, template)
    terms = _terms(fin)
    for part in LIST_ANSWERS:
        answers[part] = _found(part, submission, dicts, text, facts, terms, skipped)
    notes = [n for n in (unc_note, fin_note) if n] + skipped
    notes += [n for part, found in answers.items() if (n := _note(part, found, template))]
    prose = {p: tuple(n for n in text.prose if n.part == p) for p in NUMBER_ANSWERS}
    said = (*notes, *submission.notebook.notes, *text.notes)  # what was cut is said too
    return Located(unc, unc_var, fin, fin_var, answers, said, prose,
                   text.letters, picked.unread, template)  # fmt: skip


#: Contract names a free-form notebook would not use by chance (``icc``, ``forecast`` it would).
_TEMPLATE_NAMES = frozenset({"unconditional", "final", "level1", "level2", "combined",
                             "combined_with_estimates", "fixed_estimates"})  # fmt: skip


def is_template(submission: Submission) -> bool:
    """The notebook follows the assignment's template (it names or uses the answer variables),
    or nothing is known of its text: feedback may then name the contract's variables."""
    notebook = submission.notebook
    # Two of them: a free-form student may well call their model `final`, and is then owed
    # feedback in their own terms, not the template's.
    if (
        not notebook.cells
        or len(_TEMPLATE_NAMES & (set(submission.answers) | set(submission.models))) >= 2
    ):
        return True
    return any("**Answer in**" in c.source for c in notebook.markdown) or any(
        "reference.notation" in c.source for c in notebook.code
    )


def _terms(model: StudentModel | Invalid | None) -> tuple[str, ...]:
    if not isinstance(model, StudentModel):
        return ()
    return (*model.fe_params, *model.re_names)


def _found(
    part: str,
    submission: Submission,
    dicts: list[tuple[str, dict[str, tuple[str, Encoded]]]],
    text: TextReading,
    facts: CodeFacts,
    terms: tuple[str, ...],
    skipped: list[str],
) -> Found:
    found, why = find_value(part, submission, dicts, text, facts, terms)
    if why:
        skipped.append(why)
    return found


def _note(part: str, found: Found, template: bool) -> str | None:
    """A report note for an answer graded from the student's own variable (text sources are
    said in the part's own feedback, with what was read)."""
    if not found.guessed or found.source not in {"variable", "dict"}:
        return None
    if template:
        return f"`{part}` was not set; graded {_your(found)} instead."
    return f"Graded {_your(found)} as {WHAT[part]}."


def _your(found: Found) -> str:
    if found.source == "dict":
        return f"the entry {found.label} of your dict"
    return f"your variable {found.label}"


def _model(
    submission: Submission,
    wanted: tuple[str, str],
    answers: dict[str, Found],
    facts: CodeFacts,
    template: bool,
) -> tuple[str | None, StudentModel | Invalid | None, str | None]:
    """The model of ``wanted``'s role (``unconditional`` or ``final``) of the response."""
    role, response = wanted
    models = submission.models
    if role in models:
        return role, models[role], None
    if role in submission.answers:
        enc = submission.answers[role]
        return role, Invalid(f"`{role}` is not a fitted MixedLM result ({enc.get('type')})"), None
    unconditional = role == "unconditional"
    candidates = [
        k for k, m in models.items()
        if isinstance(m, StudentModel) and _is_unconditional(m, response) == unconditional
    ]  # fmt: skip
    users = _users(role, answers, facts)
    choice = choose(role, candidates, submission.notebook, facts, users)
    if choice.variable is None:
        return None, None, None
    said = f"your fitted model `{choice.variable}` as your {role} model: {choice.reason}."
    note = f"`{role}` was not set; graded {said}" if template else f"Graded {said}"
    return choice.variable, models[choice.variable], note


def _users(
    role: str, answers: dict[str, Found], facts: CodeFacts
) -> list[tuple[str, frozenset[str]]]:
    """The answers that may use the model of ``role``, with the names they read."""
    users = []
    for part in ("icc",) if role == "unconditional" else _USERS:
        found = answers.get(part)
        if found is None or found.value is None:
            continue
        if found.source in {"contract", "variable"} and found.variable:
            users.append((WHAT[part], frozenset({found.variable})))
        elif found.source == "output" and found.cell is not None:
            users.append((WHAT[part], facts.cell_reads.get(found.cell, frozenset())))
    return users


def _is_unconditional(model: StudentModel, response: str) -> bool:
    try:
        return model.formula is not None and normalise_formula(model.formula) == f"{response} ~ 1"
    except SpecError:
        return False


__all__ += ["EQUATION_ANSWERS", "is_template"]
