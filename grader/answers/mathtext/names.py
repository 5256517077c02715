"""Names: how a written name becomes the :class:`sympy.Symbol` name the symbol table reads.

A name is a base with at most one subscript and, for variances, a square::

    name  = base { "_" index | unicode-subscripts | "^2" } ;   (sigma/tau only keep ^2)
    base  = word { "\\_" word } | greek [glued-index] | "\\text{" word "}"
          | decoration ( "{" name "}" | base ) ;
    index = "{" { letter | digit | "," | "." } "}" | one character | a TeX-trap run (0j, ij)

The symbol name joins base and subscript with ``_``, keeps case and drops spaces and decorations:
``\\beta_{0 j}`` → ``beta_0j``, ``\\text{ses\\_c}_{ij}`` → ``ses_c_ij``, ``\\hat{Y}_{ij}`` → ``Y_ij``,
``\\sigma^2`` → ``sigma^2``, ``\\tau^2_{0}`` and ``\\tau_0^2`` → ``tau^2_0``. A word written without
subscript keeps its digits (``x1``) unless it is a Greek letter, ``u``, ``r`` or ``e`` followed by
index characters only: ``u0j`` → ``u_0j``, ``rij`` → ``r_ij``, ``β0j`` → ``beta_0j``.
"""

from __future__ import annotations

from grader.answers.mathtext.caps import MAX_NAME, Unreadable
from grader.answers.mathtext.commands import GREEK, GREEK_CHARS
from grader.answers.mathtext.cursor import Cursor, describe
from grader.answers.mathtext.tokens import INDEX_CHARS, Token

NAME_KINDS = frozenset({"name", "greek", "deco", "text"})
#: Greek letters whose square is part of the name: the variances σ² and τ².
VARIANCES = frozenset({"sigma", "tau"})
_INDEXED = sorted({v for v in GREEK.values() if v.islower()} | {"u", "r", "e"}, key=len)[::-1]
_INDEX_PARTS = frozenset({"name", "number", "greek", "text"})


def split_index(word: str) -> str:
    """A word without subscript, with the index of a Greek letter, u, r or e split off.

    >>> [split_index(w) for w in ["u0j", "rij", "beta0j", "gamma01", "x1", "eta", "sigma2"]]
    ['u_0j', 'r_ij', 'beta_0j', 'gamma_01', 'x1', 'eta', 'sigma^2']
    """
    if word == "sigma2":
        return "sigma^2"
    if "_" in word:
        return word
    for base in _INDEXED:
        rest = word[len(base) :]
        if word.startswith(base) and rest and set(rest) <= INDEX_CHARS:
            return f"{base}_{rest}"
    return word


def compose(base: str, sub: str, sup: str) -> str:
    """The symbol name of a base, its subscript and its (variance) superscript.

    >>> compose("mathach", "ij", ""), compose("tau", "0", "2"), compose("u0j", "", "")
    ('mathach_ij', 'tau^2_0', 'u_0j')
    """
    if not sub and not sup:
        return split_index(base)
    return base + (f"^{sup}" if sup else "") + (f"_{sub}" if sub else "")


def read_name(cursor: Cursor) -> str:
    """Read one name at the cursor (the next token is of a kind in :data:`NAME_KINDS`)."""
    return _capped(compose(*_parts(cursor)))


def scripted(cursor: Cursor, start: Token, name: str) -> str:
    """A braced name's scripts: ``{mathach}_{ij}``, ``{\\rm SES}_{ij}`` (``start`` is the brace)."""
    return _capped(compose(*_scripts(cursor, start, name, "", "")))


def _capped(name: str) -> str:
    if len(name) > MAX_NAME:
        raise Unreadable(f"the name {name[:24]}… is longer than the {MAX_NAME} characters read")
    return name


def _parts(cursor: Cursor) -> tuple[str, str, str]:
    start = cursor.peek()
    if start is None or start.kind not in NAME_KINDS:
        raise Unreadable("a name was expected" if start is None else describe(start))
    return _scripts(cursor, start, *_base(cursor))


def _scripts(cursor: Cursor, start: Token, base: str, sub: str, sup: str) -> tuple[str, str, str]:
    own_sub = False
    for _ in range(4):  # at most a subscript, a square and one (noted) double subscript
        if cursor.at("op", "_") or cursor.at("uscore"):  # mathach\_{ij}: Markdown habits
            script = _script(cursor, start, cursor.take())
            if own_sub:
                cursor.notes.append(_double_note(cursor, start))
            sub, own_sub = (f"{sub}_{script}" if sub else script), True
        elif cursor.at("usub") and _glued(cursor) and not sub:
            sub, own_sub = cursor.take().text, True
        elif base in VARIANCES and not sup and _squared(cursor):
            sup = "2"
        else:
            break
    return base, sub, sup


def _base(cursor: Cursor) -> tuple[str, str, str]:
    token = cursor.take()
    if token.kind == "name":
        return _word(cursor, token), "", ""
    if token.kind == "text":
        return token.text, "", ""
    if token.kind == "greek":
        return token.text, _glued_index(cursor, token), ""
    return _decorated(cursor, token)


def _word(cursor: Cursor, token: Token) -> str:
    word = token.text
    while cursor.at("uscore") and cursor.at("name", ahead=1):  # ses\_c
        cursor.take()
        word += "_" + cursor.take().text
    return "".join(GREEK_CHARS.get(char, char) for char in word)  # plain text: β0j, γ_01


def _glued(cursor: Cursor) -> bool:
    token = cursor.peek()
    return token is not None and token.glued


def _glued_index(cursor: Cursor, greek: Token) -> str:
    """``\\gamma00``: digits glued to a Greek letter show on the line; read as its index, noted."""
    # TeX skips spaces after a command: \gamma 00 shows as γ00 too. After β, a space separates.
    spaced = cursor.text.startswith("\\", greek.start) or _glued(cursor)
    if not (cursor.at("number") and spaced and cursor.tokens[cursor.pos].text.isdigit()):
        return ""
    last = cursor.take()
    index = last.text
    if cursor.at("name") and _glued(cursor) and set(cursor.tokens[cursor.pos].text) <= INDEX_CHARS:
        last = cursor.take()
        index += last.text
    written = cursor.quote(greek, last)
    cursor.notes.append(
        f"`{written}` shows {index} on the line beside the letter, not as a subscript; it was "
        f"read as the index {index}. Write `\\{greek.text}_{{{index}}}` so it shows that way."
    )
    return index


def _decorated(cursor: Cursor, token: Token) -> tuple[str, str, str]:
    """``\\hat{Y}``, ``\\text``-like ``\\mathrm{SES}``: the decoration goes, the name stays."""
    cursor.enter()
    if cursor.accept("open", "{"):
        if not any(cursor.at(kind) for kind in NAME_KINDS):
            raise Unreadable(f"\\{token.text}{{…}} should hold a name, like \\{token.text}{{Y}}")
        parts = _parts(cursor)
        if cursor.accept("close", "}") is None:
            raise Unreadable(f"\\{token.text}{{…}} should hold one name, like \\{token.text}{{Y}}")
    else:
        parts = _base(cursor) if any(cursor.at(kind) for kind in NAME_KINDS) else ("", "", "")
        if not parts[0]:
            raise Unreadable(
                f"\\{token.text} should be followed by a name, like \\{token.text}{{Y}}"
            )
    cursor.leave()
    return parts


def _squared(cursor: Cursor) -> bool:
    """Take a ``^2``, ``^{2}`` or ``²`` that makes σ or τ the variance σ² or τ²."""
    if cursor.accept("sup", "2"):
        return True
    if not cursor.at("op", "^"):
        return False
    if cursor.at("script", "2", ahead=1) or cursor.at("number", "2", ahead=1):
        length = 2
    elif cursor.at("open", "{", ahead=1) and cursor.at("number", "2", ahead=2):
        length = 4 if cursor.at("close", "}", ahead=3) else 0
    else:
        length = 0
    cursor.pos += length
    return length > 0


def _script(cursor: Cursor, start: Token, underscore: Token) -> str:
    token = cursor.take()
    if token.kind == "script":
        if token.trap:
            cursor.notes.append(_trap_note(cursor, start, underscore, token))
        return token.text
    if token.kind in _INDEX_PARTS:
        return token.text
    if token.kind == "open" and token.text == "{":
        return _braced_index(cursor)
    raise Unreadable("a subscript should be letters and digits, like _{0j}")


def _braced_index(cursor: Cursor) -> str:
    parts: list[str] = []
    while cursor.accept("close", "}") is None:
        token = cursor.peek()
        if token is None:
            raise Unreadable("a subscript's { is never closed")
        if not (token.kind in _INDEX_PARTS or (token.kind == "punct" and token.text in ",.")):
            raise Unreadable("a subscript should hold letters, digits and commas, like _{1,10}")
        parts.append(cursor.take().text)
    if not parts:
        raise Unreadable("a subscript _{} is empty")
    return "".join(parts)


def _trap_note(cursor: Cursor, start: Token, underscore: Token, script: Token) -> str:
    written = cursor.quote(start, script)
    braced = cursor.text[start.start : underscore.end] + "{" + script.text + "}"
    return (
        f"TeX lowers only the first character after _, so `{written}` shows "
        f"{script.text[1:]} on the line. It was read as `{braced}`; write the braces so it "
        "shows that way."
    )


def _double_note(cursor: Cursor, start: Token) -> str:
    last = cursor.tokens[cursor.pos - 1]
    return (
        f"`{cursor.quote(start, last)}` has two subscripts, which TeX refuses to show; the "
        "subscripts were joined with _. Write an underscore inside a name as \\_ (ses\\_c_{ij})."
    )
