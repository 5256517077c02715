"""The HSB assignment as the tests use it: loaded from ``assignments/hlm/`` like any assignment.

The seed's final model is written out here, not read from the assignment's files: tests compare
against lme4's numbers for *this* model.
"""

from __future__ import annotations

from grader.assignment import load_assignment
from reference.model.spec import make_spec, unconditional

HLM = load_assignment("hlm")
RESPONSE = HLM.dataset.response
#: The seed student's final model (the solution notebook's too).
SEED_FINAL = make_spec("mathach ~ ses + meanses + pracad + minority + female", "~minority")
UNCONDITIONAL = unconditional(HLM.dataset)
FORECAST_PROFILE = HLM.dataset.forecast_profile
CONFIG = HLM.grading
CONTRACT = HLM.contract
MESSAGES = HLM.grading.messages
