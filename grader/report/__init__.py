"""What a grading produces: the report values, and their renderings, one module per medium.

``values`` (the results), ``text`` (the terminal), ``html`` (notebook fragment and page),
``json``, ``gradescope`` (``results.json``), ``cell`` (what an nbgrader test cell shows);
``markup`` reads the `code` and *emphasis* marks of feedback text for all of them.
"""
