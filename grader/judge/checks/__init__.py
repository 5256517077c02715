"""One check per graded part, each a function of the judging context returning a part result."""
