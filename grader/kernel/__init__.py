"""Code that runs inside the student's kernel. It only *reads* answers and writes them as data."""
