"""The students' notebook as they get it: its Markdown renders as written, it stands alone.

The Markdown is rendered by two CommonMark renderers, markdown-it-py (as JupyterLab's renderer
reads it) and nbconvert's own (as exported HTML and nbgrader's feedback pages show it), and the
sentences that matter are checked in the rendered text: a source line starting ``+ `` turns into a
bullet and breaks a sentence, two callouts on consecutive lines run together into one paragraph.
The notebook must run top to bottom with the assignment's own packages alone (a slow test runs it
in a virtualenv without hlm-grader) and name the wheel ``hlm-grader course init`` ships with it.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from html.parser import HTMLParser
from importlib import metadata
from pathlib import Path

import nbformat
import pytest
from markdown_it import MarkdownIt
from nbconvert.filters.markdown_mistune import markdown2html_mistune

from tests.hlm import CONTRACT
from tests.packaging.venvs import RUN_NOTEBOOK, Venv

REPO = Path(__file__).resolve().parents[2]
SOURCE = REPO / "assignments" / "hlm" / "hlm.ipynb"
WHEEL = f"hlm_grader-{metadata.version('hlm-grader')}-py3-none-any.whl"
HIDDEN_TESTS = re.compile(r"### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS\n?", re.DOTALL)
BLOCKS = {"p", "li", "td", "th", "pre", "h1", "h2", "h3", "h4"}

# Sentences as a reader sees them (subscripts run into their symbol: u<sub>1j</sub> reads "u1j"),
# each of which must come out whole, in one block.
KEY_SENTENCES = (
    "A random slope of female would add u1j to the slope's level-2 equation, β1j = γ10 + u1j, "
    "and so the term u1j·femaleij to the combined model.",
    "Level 2: β0j = γ00 + γ01·sectorj + u0j, and β1j = γ10",
    "Combined (substitute level 2 into level 1): mathachij = γ00 + γ01·sectorj + γ10·femaleij + "
    "u0j + rij",
    f"pip install {WHEEL}",
    "In a terminal, in this folder: hlm-grader check hlm.ipynb. It runs your saved notebook from "
    "the top in a fresh kernel, as the graders will, and prints your score and feedback for every "
    "autograded part.",
    "In this notebook: run a cell with from grader.notebook import check; check() (or "
    'check("icc") for one part). It judges the answers as they are in the running notebook.',
    "In LaTeX, keep a subscript of more than one character in braces: \\beta_{0j}, not "
    "\\beta_0j (which prints as β0j).",
    "$$\\beta_{0j} = \\gamma_{00} + \\gamma_{01}\\,\\text{sector}_{j} + u_{0j}$$",
)


class Blocks(HTMLParser):
    """The text of each innermost block element (paragraph, list item, cell, heading, code)."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[list[str]] = []
        self.found: list[tuple[str, str]] = []
        self.rows = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.rows += tag == "tr"
        if tag in BLOCKS:
            self.open.append([])

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCKS and self.open:
            text = " ".join("".join(self.open.pop()).split())
            if text:
                self.found.append((tag, text))

    def handle_data(self, data: str) -> None:
        if self.open:
            self.open[-1].append(data)


def markdown_it(text: str) -> str:
    return MarkdownIt("commonmark").enable("table").render(text)


RENDERERS: dict[str, Callable[[str], str]] = {
    "markdown-it-py": markdown_it,
    "nbconvert": markdown2html_mistune,
}


def markdown_cells() -> list[str]:
    return [
        c.source for c in nbformat.read(SOURCE, as_version=4).cells if c.cell_type == "markdown"
    ]


def rendered(render: Callable[[str], str]) -> tuple[list[tuple[str, str]], int]:
    parser = Blocks()
    for source in markdown_cells():
        parser.feed(render(source))
    return parser.found, parser.rows


@pytest.mark.parametrize("renderer", sorted(RENDERERS))
def test_the_key_sentences_come_out_whole(renderer: str) -> None:
    blocks = [text for _, text in rendered(RENDERERS[renderer])[0]]
    for sentence in KEY_SENTENCES:
        assert any(sentence in block for block in blocks), sentence


@pytest.mark.parametrize("renderer", sorted(RENDERERS))
def test_each_answer_callout_is_a_paragraph_of_its_own(renderer: str) -> None:
    blocks = [text for _, text in rendered(RENDERERS[renderer])[0]]
    for answer in CONTRACT:
        found = [b for b in blocks if b.startswith(f"Answer in {answer.name}:")]
        assert len(found) == 1 and found[0].count("Answer in") == 1, answer.name


@pytest.mark.parametrize("renderer", sorted(RENDERERS))
def test_no_markdown_syntax_shows(renderer: str) -> None:
    blocks, _ = rendered(RENDERERS[renderer])
    prose = [text for tag, text in blocks if tag != "pre"]
    assert not [t for t in prose if "**" in t or "<sub>" in t or re.search(r"(^|\s)\*\w", t)]


LIST_ITEM = re.compile(r" {0,3}(?:[-+*]|\d+[.)])(?: |$)")


def accidental_list_items(source: str) -> list[str]:
    """Lines that start a list in the middle of a paragraph: CommonMark lets a bullet interrupt a
    paragraph, so a wrapped sentence whose next line starts with "+ " or "- " is cut in two."""
    found, fenced, previous = [], False, ""
    for line in source.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and LIST_ITEM.match(line):
            intended = not previous.strip() or LIST_ITEM.match(previous) or previous[:1] == " "
            found += [] if intended else [line]
        previous = line
    return found


def test_no_sentence_is_cut_into_a_bullet() -> None:
    assert [line for source in markdown_cells() for line in accidental_list_items(source)] == []
    assert accidental_list_items("a sentence that wraps\n+ u<sub>1j</sub> and ends") != []


@pytest.mark.parametrize("renderer", sorted(RENDERERS))
def test_every_table_row_renders_as_a_row(renderer: str) -> None:
    source_rows = sum(
        1
        for source in markdown_cells()
        for line in source.splitlines()
        if line.startswith("|") and not re.fullmatch(r"\|(\s*-+\s*\|)+", line)
    )
    assert rendered(RENDERERS[renderer])[1] == source_rows


def code_cells(*, with_hidden_tests: bool = False) -> list[str]:
    nb = nbformat.read(SOURCE, as_version=4)
    sources = [c.source for c in nb.cells if c.cell_type == "code"]
    return sources if with_hidden_tests else [HIDDEN_TESTS.sub("", s) for s in sources]


def imported_modules(source: str) -> set[str]:
    # IPython's %magics are not Python; the notebook has none, and ast would reject them.
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module.split(".")[0])
    return found


def test_the_students_code_imports_nothing_of_this_project() -> None:
    imported = set().union(*(imported_modules(s) for s in code_cells()))
    assert not imported & {"grader", "reference", "assignments"}
    # Only the assignment's own packages (and the standard library, and IPython that runs it).
    third_party = imported - set(__import__("sys").stdlib_module_names)
    assert third_party <= {"pandas", "pyreadstat", "statsmodels", "sympy", "IPython"}


def test_only_the_hidden_tests_use_the_grader() -> None:
    hidden = [s for s in code_cells(with_hidden_tests=True) if "BEGIN HIDDEN TESTS" in s]
    assert len(hidden) == 10 and all("from grader.notebook import grade" in s for s in hidden)


def test_the_notebook_names_the_wheel_course_init_ships() -> None:
    text = "\n".join(markdown_cells())
    assert f"pip install {WHEEL}" in text and f"%pip install {WHEEL}" in text
    assert "hlm-grader check hlm.ipynb" in text
    assert "from grader.notebook import check; check()" in text


# --- the notebook in an environment without hlm-grader -----------------------------------------


@pytest.mark.slow
def test_the_solution_runs_with_only_the_assignments_packages(
    assignment_venv: Venv, tmp_path: Path
) -> None:
    nb = nbformat.read(SOURCE, as_version=4)
    nb.cells = [c for c in nb.cells if "BEGIN HIDDEN TESTS" not in c.source]
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "hsb12.sav").write_bytes(
        (SOURCE.parent / "data" / "hsb12.sav").read_bytes()
    )
    nbformat.write(nb, tmp_path / "hlm.ipynb")
    no_grader = assignment_venv.python("-c", "import grader", cwd=tmp_path)
    assert no_grader.returncode != 0  # no hlm-grader here (nor this checkout: cwd is elsewhere)
    done = assignment_venv.python(
        "-c", RUN_NOTEBOOK, str(tmp_path / "hlm.ipynb"), str(tmp_path / "ran.ipynb"), cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr[-3000:]
    ran = nbformat.read(tmp_path / "ran.ipynb", as_version=4)
    errors = [o for c in ran.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]  # fmt: skip
    assert errors == []
    shown = [o.data["text/html"] for c in ran.cells if c.cell_type == "code" for o in c.outputs
             if o.output_type == "display_data" and "text/html" in o.data]  # fmt: skip
    # The worked example (5 equations), level 1 and 2 (5), combined (1), with estimates (1).
    assert len(shown) == 12 and all(s.count("<math>") >= 2 for s in shown)
