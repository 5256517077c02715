"""The first code of a student's kernel process: limits, an output cap, then ipykernel.

The grader runs this file's source as ``python -c SOURCE MEMORY FILE OUTPUT ARGS...`` (one
interpreter start, and no need for ``grader`` to be importable inside the sandbox), before ipykernel
is imported, so the limits apply to everything the student runs:

* ``MEMORY`` caps the address space (RLIMIT_AS) and ``FILE`` the size of a file written
  (RLIMIT_FSIZE); core dumps are off. A platform without a limit (no ``resource`` on Windows) runs
  without it, and a hard limit already lower is kept.
* ``OUTPUT`` caps the characters printed per execute request, at the source, so a cell printing
  gigabytes never sends them to the grader at all.
* ``ARGS`` go to ``ipykernel_launcher`` (``-f CONNECTION_FILE`` and options).

Only the standard library is imported at the top: this runs with the student's working copy as
the current directory, and is written to be read as a normal module too (linted, type-checked,
unit-tested).
"""

from __future__ import annotations

import os
import sys

if __name__ == "__main__" and sys.path and sys.path[0] in ("", os.getcwd()):
    # Before any other import, as ipykernel_launcher does: a student's file named like a module
    # (dataclasses.py, zmq.py, ipykernel_launcher.py) must not shadow the kernel's own code.
    del sys.path[0]

from dataclasses import dataclass, field
from typing import Any

#: The limits applied, by ``resource`` name, to the value given on the command line.
LIMITS = ("RLIMIT_AS", "RLIMIT_FSIZE", "RLIMIT_CORE")


def apply_limits(memory_bytes: int, file_bytes: int) -> dict[str, int]:
    """Lower this process's address-space and file-size limits and switch core dumps off.

    A hard limit already below the requested value is kept (raising it is not allowed).

    Returns:
        The soft limit now in force for each limit that was set, by ``resource`` name.
    """
    try:
        import resource
    except ImportError:  # Windows: no rlimits; the grader's time limits still apply
        return {}
    applied: dict[str, int] = {}
    for name, wanted in zip(LIMITS, (memory_bytes, file_bytes, 0), strict=True):
        which = getattr(resource, name, None)
        if which is None:
            continue
        try:
            hard = resource.getrlimit(which)[1]
            value = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
            resource.setrlimit(which, (value, value))
            applied[name] = value
        except (ValueError, OSError):
            pass  # a limit the platform refuses is skipped, not fatal
    return applied


@dataclass(slots=True)
class OutputCap:
    """Characters printed per execute request, and what of a new write may still pass.

    Attributes:
        limit: Characters kept per request; the rest is replaced by one notice.
        used: Characters seen so far, by request id.
    """

    limit: int
    used: dict[Any, int] = field(default_factory=dict)

    def admit(self, request: Any, text: str) -> str | None:
        """What of ``text`` to write for ``request``: all of it, a cut end with a notice, or
        nothing (``None``) once the notice was written."""
        before = self.used.get(request, 0)
        self.used[request] = before + len(text)
        if self.used[request] <= self.limit:
            return text
        if before <= self.limit:
            return text[: self.limit - before] + f"\n[output cut after {self.limit:,} characters]\n"
        return None


def install_output_cap(limit: int) -> OutputCap:
    """Make ipykernel's stdout and stderr streams keep at most ``limit`` characters per request."""
    from ipykernel import iostream

    cap, write = OutputCap(limit), iostream.OutStream.write

    def capped_write(self: Any, string: Any) -> Any:
        if not isinstance(string, str):
            return write(self, string)
        try:
            request = self.parent_header.get("msg_id")
        except Exception:  # no parent yet: output outside any request
            request = None
        admitted = cap.admit(request, string)
        if admitted is not None:
            write(self, admitted)
        return len(string)

    iostream.OutStream.write = capped_write  # type: ignore[method-assign]
    return cap


def main(argv: list[str]) -> None:
    """Apply the limits in ``argv[1:4]``, then run ipykernel with the rest of ``argv``."""
    memory, files, output = (int(a) for a in argv[1:4])
    apply_limits(memory, files)
    install_output_cap(output)
    sys.argv = [argv[0], *argv[4:]]
    import runpy

    runpy.run_module("ipykernel_launcher", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main(sys.argv)
