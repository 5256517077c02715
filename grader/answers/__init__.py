"""Reading a notebook's answers: the extraction cell, the answers file as validated data, and
where each answer stands (contract names, the student's own names)."""
