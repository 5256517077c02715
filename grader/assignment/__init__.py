"""The assignment as the engine loads it: grading configuration, answer contract, feedback messages."""
