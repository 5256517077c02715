"""What each LaTeX command, environment and Unicode letter means to the reader: tables only.

A command in none of these tables is "not part of the notation read here": the row holding it is
skipped with a note naming it. Commands in :data:`FORBIDDEN` define macros or reach outside the
text; a text holding one is not read at all, since what follows may not mean what it shows.
"""

from __future__ import annotations


def _words(text: str) -> list[str]:
    return text.split()


_LOWER = _words(
    "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho "
    "sigma tau upsilon phi chi psi omega"
)
_UPPER = _words("Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega")
_VARIANTS = {
    "varepsilon": "epsilon",
    "vartheta": "theta",
    "varphi": "phi",
    "varrho": "rho",
    "varsigma": "sigma",
    "varpi": "pi",
}
#: ``\beta`` → ``beta``: Greek commands as the ASCII names the symbol table reads.
GREEK: dict[str, str] = {name: name for name in _LOWER + _UPPER} | _VARIANTS

_LOWER_CHARS = "αβγδεζηθικλμνξοπρστυφχψω"
_UPPER_CHARS = "ΓΔΘΛΞΠΣΥΦΨΩ"
#: ``β`` → ``beta``: Unicode Greek letters (and their variant forms, and the micro sign).
GREEK_CHARS: dict[str, str] = (
    dict(zip(_LOWER_CHARS, _LOWER, strict=True))
    | dict(zip(_UPPER_CHARS, _UPPER, strict=True))
    | {"ϵ": "epsilon", "ϑ": "theta", "ϕ": "phi", "ϱ": "rho", "ς": "sigma", "ϖ": "pi", "µ": "mu"}
)

#: Commands whose argument is a name in math mode: the decoration is dropped, the name kept.
DECORATIONS = frozenset(
    _words(
        "hat widehat bar overline tilde widetilde check breve dot vec underline mathbf boldsymbol "
        "bm pmb mathit mathrm mathsf mathtt mathnormal operatorname"
    )
)
#: Commands whose argument is text: one name (``\text{meanses}``) or words read as a comment.
TEXT = frozenset(_words("text textit textbf textrm textnormal textsf texttt textup mbox"))
#: Spacing, layout and old font switches (``{\rm SES}``), ignored. ``\quad``/``\qquad`` also
#: separate statements on one line.
SPACING = frozenset(
    {",", ";", ":", "!", ">", " ", "\t", "\n", "\r"}.union(
        _words(
            "quad qquad enspace enskip thinspace medspace thickspace negthinspace negmedspace "
            "negthickspace displaystyle textstyle scriptstyle nonumber notag limits nolimits "
            "allowbreak big Big bigg Bigg bigl bigr Bigl Bigr biggl biggr Biggl Biggr hline "
            "rm bf it sf tt"
        )
    )
)
GAPS = frozenset({"quad", "qquad"})
#: Commands whose braced argument is skipped with them.
WITH_ARGUMENT = frozenset(_words("hspace vspace label tag color phantom hphantom vphantom"))
FRACTIONS = frozenset({"frac", "dfrac", "tfrac", "cfrac"})
#: Functions of one variable (``\log(size_j)``, printed ``log(size)``): the name of the
#: variable the student made with them, as the grader names it (``log_size``).
FUNCTIONS = {"log": "log", "ln": "log", "exp": "exp", "sqrt": "sqrt", "lg": "log10"}
TIMES = frozenset({"cdot", "times", "ast", "cdotp"})
EQUALS = frozenset({"coloneqq", "coloneq"})
#: Relations other than ``=``: rows holding them (distributions, conditions) are not equations.
RELATIONS = frozenset(
    _words(
        "sim in notin le leq leqslant ge geq geqslant lt gt ne neq approx equiv propto to "
        "rightarrow Rightarrow leftarrow Leftarrow mapsto simeq cong ll gg iff implies mid"
    )
)
#: ``\{`` and friends: grouping delimiters, as the text of an open or close token.
OPENERS = {"{": "\\{", "lbrace": "\\{", "lbrack": "["}
CLOSERS = {"}": "\\}", "rbrace": "\\}", "rbrack": "]"}
#: What may follow ``\left`` or ``\right`` (as named); only grouping ones are read.
DELIMITERS = {"(": "(", ")": ")", "[": "[", "]": "]", ".": ".", "|": "|"} | {
    "\\" + k: v for k, v in (OPENERS | CLOSERS).items()
}
GROUPING_PAIRS = {"(": ")", "[": "]", "{": "}", "\\{": "\\}"}

#: Environments whose rows are read; their begin/end separate rows like ``\\``.
ENVIRONMENTS = frozenset(
    _words(
        "aligned align align* gather gather* gathered split equation equation* cases dcases rcases "
        "array eqnarray eqnarray* multline multline* alignat alignat* alignedat flalign flalign*"
    )
)
#: Environments whose ``\begin`` takes one braced argument (a column spec or a column count).
ENVIRONMENT_ARGUMENT = frozenset({"array", "alignat", "alignat*", "alignedat"})

#: Macro definitions, file and output commands, and MathJax's HTML extensions: never read.
FORBIDDEN = frozenset(
    _words(
        "def edef gdef xdef let futurelet newcommand renewcommand providecommand DeclareMathOperator "
        "newenvironment renewenvironment input include InputIfFileExists write immediate openout "
        "openin read catcode csname endcsname expandafter noexpand usepackage RequirePackage "
        "documentclass href url includegraphics require class cssId style html loop repeat special "
        "afterassign aftergroup uppercase lowercase string detokenize scantokens everymath the "
        "globaldefs message typeout errmessage shipout jobname"
    )
)
