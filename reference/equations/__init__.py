"""Raudenbush & Bryk equations: symbols, the model's equations, estimates, display and
serialisation."""
