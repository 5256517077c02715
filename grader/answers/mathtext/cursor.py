"""A cursor over the tokens of one side of an equation, with the notes gathered while reading."""

from __future__ import annotations

from collections.abc import Sequence

from grader.answers.mathtext.caps import MAX_DEPTH, Unreadable
from grader.answers.mathtext.tokens import Token


class Cursor:
    """Reads ``tokens`` left to right; ``text`` is the whole original text, for quoting it."""

    def __init__(
        self, tokens: Sequence[Token], text: str, notes: list[str], *, latex: bool
    ) -> None:
        self.tokens, self.text, self.notes, self.latex = tokens, text, notes, latex
        self.pos = 0
        self.depth = 0

    def peek(self, ahead: int = 0) -> Token | None:
        index = self.pos + ahead
        return self.tokens[index] if index < len(self.tokens) else None

    def at(self, kind: str, *texts: str, ahead: int = 0) -> bool:
        """Whether the token ``ahead`` is of ``kind`` (and one of ``texts``, when given)."""
        token = self.peek(ahead)
        return token is not None and token.kind == kind and (not texts or token.text in texts)

    def take(self) -> Token:
        token = self.peek()
        if token is None:
            raise Unreadable("it ends where a term was expected")
        self.pos += 1
        return token

    def accept(self, kind: str, *texts: str) -> Token | None:
        """Take the next token if it is of ``kind`` (and one of ``texts``)."""
        return self.take() if self.at(kind, *texts) else None

    def enter(self) -> None:
        """One bracket deeper; the tokenizer already caps depth, this guards every recursion."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise Unreadable(f"it nests more than {MAX_DEPTH} levels deep")

    def leave(self) -> None:
        self.depth -= 1

    def quote(self, first: Token, last: Token) -> str:
        """The original text from ``first`` to ``last``, as the student wrote it."""
        return self.text[first.start : last.end]


def describe(token: Token) -> str:
    """A token as a student would recognise it in a note."""
    if token.kind == "bad":
        return token.text
    shown = {"row": "\\\\", "amp": "&", "gap": "a gap", "uscore": "\\_"}.get(token.kind, token.text)
    return f"'{shown}' was not expected there"
