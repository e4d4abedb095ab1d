"""What a long upload tells whoever watches it: lines read, accepted, rejected, the phase.

The importer calls a ``ProgressSink``; the command line shows it on a terminal
(hub/progress_display.py) and passes none otherwise. Nothing here draws anything.
"""

from __future__ import annotations

from typing import Protocol


class ProgressSink(Protocol):
    def read(self, lines: int, rejected: int) -> None:
        """``lines`` more lines validated, ``rejected`` of them refused by validation."""

    def written(self, accepted: int, rejected: int) -> None:
        """``accepted`` more lines landed (or are ready to land), ``rejected`` refused later."""

    def phase(self, name: str, total: int | None = None) -> None:
        """A new stage of the work (``validation``, ``writes``, ``import tool``, ``indexes``);
        ``total``: the lines it will go through, when known."""
