"""Caches for the emulator's transformed images: a memory LRU in front of a disk folder.

Keys are SHA-256 digests of (the source file's content digest, the canonical imgix
parameters, the negotiated output format, the focal point), so an edited upload never serves
a stale rendition and two URLs that mean the same thing share one entry. Disk entries are
written atomically (temporary file + ``os.replace``); a corrupt or unreadable entry counts as
a miss. Caching is an optimisation: a read-only disk only loses the disk layer (logged once).
The folder is never pruned by the emulator; delete it whenever you like.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import tempfile
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

__all__ = ["CacheStats", "TransformCache", "TransformedImage", "file_digest"]

logger = logging.getLogger("datocms_app.emulator.images")


@dataclass(frozen=True)
class TransformedImage:
    """One rendition: the encoded bytes and what they are."""

    content: bytes
    content_type: str
    width: int
    height: int
    #: The imgix format name that was encoded (``jpg``, ``webp``, ``blurhash``...).
    format: str


@dataclass
class CacheStats:
    """What a ``TransformCache`` did since it was created (for tests and benchmarks)."""

    renders: int = 0
    memory_hits: int = 0
    disk_hits: int = 0


class TransformCache:
    """Memory LRU (bounded by bytes and entries) over an optional disk folder."""

    def __init__(
        self,
        directory: Path | None,
        *,
        max_memory_bytes: int = 64 * 1024 * 1024,
        max_memory_entries: int = 512,
    ) -> None:
        self.directory = directory
        self.max_memory_bytes = max_memory_bytes
        self.max_memory_entries = max_memory_entries
        self.stats = CacheStats()
        self._memory: OrderedDict[str, TransformedImage] = OrderedDict()
        self._memory_bytes = 0
        self._lock = threading.Lock()
        self._disk_warned = False

    def __repr__(self) -> str:
        return f"TransformCache(directory={self.directory!r})"

    def get(self, key: str) -> TransformedImage | None:
        """The cached rendition for ``key``, from memory or disk, or None."""
        with self._lock:
            found = self._memory.get(key)
            if found is not None:
                self._memory.move_to_end(key)
                self.stats.memory_hits += 1
                return found
        found = self._read_disk(key)
        if found is not None:
            with self._lock:
                self.stats.disk_hits += 1
            self._remember(key, found)
        return found

    def put(self, key: str, image: TransformedImage) -> None:
        """Store a fresh rendition (counted as a render) in memory and on disk."""
        with self._lock:
            self.stats.renders += 1
        self._remember(key, image)
        self._write_disk(key, image)

    def clear_memory(self) -> None:
        """Forget the memory layer (the disk layer stays)."""
        with self._lock:
            self._memory.clear()
            self._memory_bytes = 0

    def _remember(self, key: str, image: TransformedImage) -> None:
        size = len(image.content)
        if size > self.max_memory_bytes:
            return
        with self._lock:
            previous = self._memory.pop(key, None)
            if previous is not None:
                self._memory_bytes -= len(previous.content)
            self._memory[key] = image
            self._memory_bytes += size
            while (
                self._memory_bytes > self.max_memory_bytes
                or len(self._memory) > self.max_memory_entries
            ):
                _, evicted = self._memory.popitem(last=False)
                self._memory_bytes -= len(evicted.content)

    def _entry_path(self, key: str) -> Path | None:
        if self.directory is None:
            return None
        return self.directory / key[:2] / key

    def _read_disk(self, key: str) -> TransformedImage | None:
        path = self._entry_path(key)
        if path is None:
            return None
        try:
            data = path.read_bytes()
            header, _, body = data.partition(b"\n")
            meta = json.loads(header)
            image = TransformedImage(
                body, str(meta["content_type"]), int(meta["width"]), int(meta["height"]),
                str(meta["format"]),
            )  # fmt: skip
            if len(body) != int(meta["length"]):
                raise ValueError("truncated entry")
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            logger.warning("Ignoring a corrupt image cache entry %s", path)
            path.unlink(missing_ok=True)
            return None
        return image

    def _write_disk(self, key: str, image: TransformedImage) -> None:
        path = self._entry_path(key)
        if path is None:
            return
        header = json.dumps(
            {
                "content_type": image.content_type,
                "width": image.width,
                "height": image.height,
                "format": image.format,
                "length": len(image.content),
            },
            sort_keys=True,
        ).encode()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            try:
                with os.fdopen(handle, "wb") as stream:
                    stream.write(header + b"\n" + image.content)
                os.replace(temporary, path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError as exc:
            if not self._disk_warned:
                self._disk_warned = True
                logger.warning("Cannot write the image cache in %s: %s", self.directory, exc)


def file_digest(path: Path) -> str:
    """SHA-256 of the file's content, memoised by (path, mtime, size)."""
    stat = path.stat()
    return _digest(str(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=1024)
def _digest(path: str, mtime_ns: int, size: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
