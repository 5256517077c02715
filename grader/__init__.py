"""The HLM autograder: run a notebook, read its answers, judge them against the reference."""
