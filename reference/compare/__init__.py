"""Comparing a student's equations with the model's, term by term, into findings."""
