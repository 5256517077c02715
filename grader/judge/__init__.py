"""Judging answers in the grader's own process: the context, the assessment of the final model,
and one check per part."""
