"""What a snapshot found, kept and left out: ``SnapshotReport``, and ``SnapshotError``.

The report is filled while the snapshot is taken and read at the end (``summary()``): the
counts of what was written and one line for everything the emulator cannot represent, so
that nothing is dropped silently. It never holds the API token.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from datocms_app.exceptions import DatoCMSError

__all__ = ["SnapshotError", "SnapshotReport"]


class SnapshotError(DatoCMSError):
    """A snapshot cannot be taken (a bad target directory, an answer that is not a project)."""


@dataclass
class SnapshotReport:
    """The outcome of ``take_snapshot``; ``omissions`` lists what was not represented."""

    directory: Path
    dry_run: bool = False
    site_name: str = ""
    environment: str = ""
    locales: tuple[str, ...] = ()
    models: int = 0
    block_models: int = 0
    fields: int = 0
    records: Counter[str] = field(default_factory=Counter)
    uploads: int = 0
    videos: int = 0
    bytes_downloaded: int = 0
    seconds: float = 0.0
    omissions: list[str] = field(default_factory=list)

    def omit(self, what: str) -> None:
        """Note something the emulator cannot represent (shown by ``summary``)."""
        self.omissions.append(what)

    def summary(self) -> list[str]:
        """The lines a person reads after a snapshot."""
        statuses = self.records
        where = "would be written to" if self.dry_run else "written to"
        lines = [
            f'Snapshot of "{self.site_name}" (environment {self.environment}) {where} '
            f"{self.directory} in {self.seconds:.1f} s:",
            f"  schema: {self.models} models, {self.block_models} block models, "
            f"{self.fields} fields; locales: {', '.join(self.locales)}",
            f"  records: {sum(statuses.values())} (published: {statuses['published']}, "
            f"with unpublished changes: {statuses['updated']}, drafts: {statuses['draft']})",
            f"  uploads: {self.uploads} (videos: {self.videos})"
            + ("" if self.dry_run else f", {self.bytes_downloaded / 1e6:.1f} MB downloaded"),
        ]
        if self.omissions:
            lines.append(f"Not represented ({len(self.omissions)}):")
            lines.extend(f"  - {line}" for line in self.omissions)
        else:
            lines.append("Everything was represented.")
        return lines
