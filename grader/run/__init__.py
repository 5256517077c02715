"""Running a student's notebook safely: the notebook file, the sandbox, and the kernel's execution."""
