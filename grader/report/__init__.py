"""What a grading produces: the report values, and their renderings (terminal, JSON, HTML,
Gradescope)."""
