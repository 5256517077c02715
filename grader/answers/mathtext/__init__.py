r"""Our own bounded reader for the equations students write as text: LaTeX and printed lines.

Students write Raudenbush & Bryk equations in Markdown math (``mathach_{ij} = \beta_{0j} +
\beta_{1j}\,minority_{ij} + r_{ij}``) and print them (``mathach_ij = 11.945 + 1.878*ses_ij + ...``).
sympy's ``parse_latex`` and latex2sympy2 misread that notation (multi-letter names become
products, ``\gamma_{01}`` fails, ``\text{}`` truncates, exponent towers hang), so this package
reads it with a small grammar of its own, as STACK, PrairieLearn and edX do, building sympy
objects directly: nothing is ever evaluated, executed or ``sympify``-ed.

The grammar (after rows are cut, :mod:`.blocks`; names in :mod:`.names`)::

    row      = [ side ] "=" side { "=" side } ;      (rows with \sim, \in, <, \le ... are skipped)
    side     = signed { signed } ;                    (each further term starts with + or -)
    signed   = { "+" | "-" } product ;
    product  = power { [ "*" | "\cdot" | "\times" | "/" ] power } ;   (no operator: implicit)
    power    = atom [ "^" exponent | superscript ] ;
    exponent = digit | "{" [ "-" ] integer "}" | [ "-" ] integer ;    (|k| <= 10, no towers)
    atom     = number | name | "(" side ")" | "[" side "]" | "\{" side "\}" | "{" side "}"
             | "\frac" argument argument ;            (a denominator must be a number)

Ignored: spacing (``\,`` ``\quad`` ``~`` ``\hspace{}``), ``\left``/``\right`` sizes, ``\big``,
``\displaystyle``, ``\nonumber``, ``\label{}``, ``\tag{}``, ``&`` and the environments
``aligned align gather split equation cases array multline ...``. Refused (the whole text):
macro definitions and file or link commands (``\def``, ``\newcommand``, ``\input``, ``\href``...),
more than 20,000 characters, 10,000 tokens or 40 nested brackets. Any other unknown command skips
its row with a note naming it. Caps: :mod:`.caps`.
"""

from __future__ import annotations

from grader.answers.mathtext.reader import MathReading, ReadEquation, read_math

__all__ = ["MathReading", "ReadEquation", "read_math"]
