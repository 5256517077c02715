"""The notebook client of a run: nbclient, with each cell's kept output capped and its reply kept."""

from __future__ import annotations

from typing import Any

import nbformat
from nbclient import NotebookClient

from grader.run.sandbox import GraderKernelManager, KernelLaunch

MB = 1000**2
# Name of the error nbclient reports for a cell it interrupted after its time limit.
TIMEOUT_NAME = "GraderCellTimeout"
# Seconds an interrupted kernel gets to become responsive again before we give up on it.
_INTERRUPT_GRACE = 5
# Seconds to wait for a cell's last outputs once its reply is in (nbclient's default).
_IOPUB_GRACE = 4
# One kernel message above this is dropped by ZMQ, which also ends the iopub connection: the run
# then goes on without outputs. Only a kernel working around its own output cap gets there.
_MAX_MESSAGE_BYTES = 64 * MB


class CappedClient(NotebookClient):
    """An nbclient that caps each cell's kept output and remembers each cell's execute reply."""

    def __init__(self, notebook: nbformat.NotebookNode, launch: KernelLaunch, cap: int) -> None:
        # nbclient drops its km reference on some failures; we keep ours for the clean-up.
        self.grader_km = GraderKernelManager(launch, max_message_bytes=_MAX_MESSAGE_BYTES)
        super().__init__(
            notebook,
            km=self.grader_km,
            allow_errors=True,
            interrupt_on_timeout=True,
            error_on_timeout={"ename": TIMEOUT_NAME, "evalue": "", "traceback": []},
            # Applies only to non-cell waits (the responsiveness probe); cells use timeout_func.
            timeout=_INTERRUPT_GRACE,
            iopub_timeout=_IOPUB_GRACE,
            shell_timeout_interval=1,
            store_widget_state=False,
        )
        self.launch = launch
        self.cell_limit: float = 1.0
        # nbclient annotates int but computes deadlines with any number; fractions matter here.
        self.timeout_func = self._cell_timeout  # type: ignore[assignment]
        self.on_cell_executed = self._remember_reply
        self.last_reply: dict[str, Any] | None = None
        self.max_output_bytes = cap
        self._output_bytes: dict[int, int] = {}

    def _cell_timeout(self, _cell: nbformat.NotebookNode) -> float:
        return self.cell_limit

    def _remember_reply(self, execute_reply: dict[str, Any] | None = None, **_: Any) -> None:
        self.last_reply = execute_reply

    def output(
        self,
        outs: list[nbformat.NotebookNode],
        msg: dict[str, Any],
        display_id: str | None,
        cell_index: int,
    ) -> nbformat.NotebookNode | None:
        """Keep outputs while the cell stays under its cap, then a prefix and a note."""
        content = msg.get("content") or {}
        used = self._output_bytes.get(cell_index, 0)
        total = used + _content_size(content)
        self._output_bytes[cell_index] = total
        if total <= self.max_output_bytes:
            return super().output(outs, msg, display_id, cell_index)
        if used > self.max_output_bytes:
            return None
        note = f"\n[output cut after {self.max_output_bytes:,} bytes]\n"
        if msg.get("msg_type") == "stream":
            text = str(content.get("text") or "")[: self.max_output_bytes - used] + note
            return super().output(
                outs, {**msg, "content": {**content, "text": text}}, None, cell_index
            )
        outs.append(nbformat.v4.new_output("stream", name="stderr", text=note))
        return None

    def handle_comm_msg(
        self, outs: list[nbformat.NotebookNode], msg: dict[str, Any], cell_index: int
    ) -> None:
        """Ignore widget traffic: grading never needs it and it would grow without a cap."""


def _content_size(content: dict[str, Any]) -> int:
    data = content.get("data") or {}
    traceback = content.get("traceback") or []
    return (
        len(content.get("text") or "")
        + sum(len(str(value)) for value in data.values())
        + sum(len(line) for line in traceback)
    )
