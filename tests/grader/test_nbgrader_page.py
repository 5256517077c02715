"""nbgrader's feedback page through our exporter, without a course: the template alone.

The exporter is configured exactly as ``nbgrader generate_feedback`` configures nbgrader's own
(template ``feedback`` and nbgrader's template folders), and renders a notebook whose cells carry
the scores nbgrader's ``GetGrades`` would have set. The whole pipeline is exercised in
``test_nbgrader_pipeline.py``.
"""

from __future__ import annotations

import html
import os
import re
from dataclasses import replace

import nbformat
import nbgrader
from traitlets.config import Config

from grader.assignment import load_config
from grader.notebook.course import FEEDBACK_EXPORTER, nbgrader_config
from grader.report.cell import part_score
from grader.report.nbgrader_page import FeedbackExporter
from tests.hlm import HLM

NBGRADER = os.path.dirname(nbgrader.__file__)
TEMPLATES = os.path.join(NBGRADER, "server_extensions", "formgrader", "templates")
BOOTSTRAP = os.path.join(NBGRADER, "server_extensions", "formgrader", "static", "node_modules",
                         "bootstrap", "dist", "css")  # fmt: skip


def graded_cell(source: str, grade_id: str, points: float, score: float, count: int = 3):
    cell = nbformat.v4.new_code_cell(source, execution_count=count)
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": grade_id,
                                 "points": points, "score": score}  # fmt: skip
    return cell


def render(nb: nbformat.NotebookNode, exporter: type[FeedbackExporter] = FeedbackExporter) -> str:
    config = Config()
    config.HTMLExporter.template_name = "feedback"
    config.HTMLExporter.extra_template_basedirs = [TEMPLATES]
    config.HTMLExporter.extra_template_paths = [BOOTSTRAP]
    resources = {"nbgrader": {"notebook": "hlm", "score": 7.5, "max_score": 20.0,
                              "late_penalty": 0}}  # fmt: skip
    page, _ = exporter(config=config).from_notebook_node(nb, resources=resources)
    return str(page)


def test_the_score_list_names_each_part_and_its_feedback_has_no_prompt() -> None:
    judged = {"title": "Unconditional model and ICC", "score": 7.5, "max_score": 10,
              "status": "partial", "feedback": "`icc` = 17.93 looks like a percentage."}  # fmt: skip
    value = part_score("icc", judged, None)
    test = graded_cell('grade("icc")', "test_icc", 10, 7.5)
    test.outputs = [nbformat.v4.new_output("execute_result", execution_count=3, data={
        "text/plain": repr(value), "text/html": value._repr_html_()})]  # fmt: skip
    other = graded_cell("assert True", "my_own_test", 10, 0, count=4)
    other.outputs = [nbformat.v4.new_output("execute_result", execution_count=4,
                                            data={"text/plain": "0"})]  # fmt: skip
    nb = nbformat.v4.new_notebook()
    nb.cells = [test, other]
    page = render(nb)
    toc = re.search(r'<div id="toc">(.*?)</div>', page, re.DOTALL)
    assert toc is not None
    assert re.findall(r'<a href="#(\w+)">([^<]*)</a>', toc.group(1)) == [
        ("test_icc", "Unconditional model and ICC"),
        ("my_own_test", "Test cell"),  # a cell that is not one of the assignment's parts
    ]
    assert "(Score: 7.5 / 10.0)" in toc.group(1)
    assert page.count('id="toc"') == 1  # nbgrader's own list is replaced, not repeated
    # Our part's value shows its feedback without a prompt; any other value keeps nbgrader's.
    assert re.search(
        r'<div class="prompt"></div>\s*<div class="output_html[^"]*"><div class="hlm-report', page
    )
    assert "Out[4]:" in page and "Out[3]:" not in page
    assert "<code>icc</code> = 17.93 looks like a percentage." in page


def test_titles_come_from_the_grading_config_and_are_escaped() -> None:
    config = load_config()
    nb = nbformat.v4.new_notebook()
    nb.cells = [graded_cell("x", f"test_{p.id}", p.points, 0) for p in config.parts]
    toc = re.search(r'<div id="toc">(.*?)</div>', render(nb), re.DOTALL)
    assert toc is not None
    titles = re.findall(r'<a href="#test_\w+">([^<]*)</a>', toc.group(1))
    assert titles == [p.title for p in config.parts]
    # An instructor's title is text, in HTML and in the template's own syntax.
    odd = 'ICC "1" <b>x</b> }} {% raw %} \\u0041'
    renamed = replace(config, parts=(replace(config.parts[0], title=odd), *config.parts[1:]))
    page = render(nb, FeedbackExporter.with_config(renamed))
    shown = re.findall(r'<a href="#test_icc">([^<]*)</a>', page)
    assert [html.unescape(t) for t in shown] == [odd] and "<b>x</b>" not in page


def test_the_course_config_installs_the_exporter_for_feedback_only() -> None:
    text = nbgrader_config(assignment=HLM, named="hlm")
    assert f"c.GenerateFeedback.exporter_class = {FEEDBACK_EXPORTER!r}" in text
    assert "c.HTMLExporter" not in text  # formgrader's own pages keep nbgrader's exporter
    namespace: dict[str, object] = {"get_config": Config, "__file__": "/course/nbgrader_config.py"}
    exec(compile(text, "nbgrader_config.py", "exec"), namespace)  # our own generated config
    loaded = namespace["c"]
    assert isinstance(loaded, Config)
    assert loaded.GenerateFeedback.exporter_class == FEEDBACK_EXPORTER
    assert "grader.notebook.repair.RestoreGradeCells" in loaded.Autograde.sanitize_preprocessors
