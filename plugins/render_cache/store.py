"""Where rendered pages are kept: one append-only pack file and a sorted index.

A file per page cost a file creation per page (1,768 at 1,000 posts): 1-2 s of
a 10-12 s full build on this machine's file system, against ~0.1 s for the
same bytes appended to one file.

- ``pages-<n>.pack``: page bodies (UTF-8), only ever appended to.
- ``index``: a header line naming the pack, then one 28-byte record per page
  of the last successful build (16-byte key, offset, length), sorted by key:
  found by binary search, never loaded into Python objects.
- The index is replaced (atomically) only when a build succeeds. A failed
  build leaves the previous one, and the bytes it appended are garbage.
- When less than half of the pack is in use, the pages in use are copied to
  ``pages-<n+1>.pack``; the new index names it, and only then is the old pack
  deleted. A crash at any point leaves an index whose pack exists.
- The store is locked while a build uses it; a second build at the same time
  gets ``StoreBusy`` (and renders without the cache).
"""

import fcntl
import logging
import os
import re
import struct
from pathlib import Path

log = logging.getLogger(__name__)
RECORD = struct.Struct("<16sQI")  # key, offset, length
MAGIC = b"wachhund-render-cache-1 "
PACK_NAME = re.compile(rb"pages-(\d+)\.pack")
SLACK = 1 << 20  # never compact a pack for less than 1 MiB of garbage


class StoreBusy(RuntimeError):
    pass


class Store:
    def __init__(self, folder: Path):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self._lock = open(folder / "lock", "ab")  # noqa: SIM115 (held until close)
        try:
            fcntl.flock(self._lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self._lock.close()
            raise StoreBusy(f"{folder} is in use by another build") from None
        self._pack_name, self._index = read_index(folder)
        self._pack = open(folder / self._pack_name, "a+b")  # noqa: SIM115 (closed in close)
        self._size = self._pack.seek(0, os.SEEK_END)
        self._used = bytearray()  # this build's records: 28 bytes a page, no objects

    def lookup(self, key: bytes) -> str | None:
        found = _search(self._index, key)
        if found is None:
            return None
        offset, length = found
        data = os.pread(self._pack.fileno(), length, offset) if offset + length <= self._size else b""
        if len(data) != length:
            return None  # a pack cut short (full disk): render again
        self._used += RECORD.pack(key, offset, length)
        return data.decode("utf-8")

    def put(self, key: bytes, text: str) -> None:
        data = text.encode("utf-8")
        self._pack.write(data)
        self._used += RECORD.pack(key, self._size, len(data))
        self._size += len(data)

    def finish(self) -> None:
        """The build succeeded: its pages become the index (and the pack is compacted if need be)."""
        self._pack.flush()
        records = sorted({bytes(self._used[i:i + RECORD.size]) for i in range(0, len(self._used), RECORD.size)})
        pack_name = self._pack_name
        if self._size > 2 * sum(RECORD.unpack(r)[2] for r in records) + SLACK:
            pack_name, records = self._compact(records)
        temporary = self.folder / f"index.{os.getpid()}.tmp"
        temporary.write_bytes(MAGIC + pack_name.encode() + b"\n" + b"".join(records))
        os.replace(temporary, self.folder / "index")
        for entry in self.folder.iterdir():  # old packs, pages of the one-file-per-page format
            if entry.name not in {"index", "lock", pack_name}:
                entry.unlink(missing_ok=True)
        self.close()

    def _compact(self, records):
        number = int(PACK_NAME.fullmatch(self._pack_name.encode()).group(1)) + 1
        name, moved, offset = f"pages-{number}.pack", [], 0
        with open(self.folder / name, "wb") as out:
            for record in records:
                key, old_offset, length = RECORD.unpack(record)
                out.write(os.pread(self._pack.fileno(), length, old_offset))
                moved.append(RECORD.pack(key, offset, length))
                offset += length
        return name, moved

    def close(self) -> None:
        self._pack.close()
        self._lock.close()


def read_index(folder: Path) -> tuple[str, bytes]:
    """(pack file name, sorted records) of the last successful build; an empty index if none."""
    try:
        data = (folder / "index").read_bytes()
    except FileNotFoundError:
        return "pages-1.pack", b""
    head, newline, records = data.partition(b"\n")
    name = head[len(MAGIC):]
    if not newline or not head.startswith(MAGIC) or not PACK_NAME.fullmatch(name) or len(records) % RECORD.size:
        log.warning("render cache index %s unreadable; rendering every page again", folder / "index")
        return "pages-1.pack", b""
    return name.decode(), records


def index_keys(folder: Path) -> set[bytes]:
    """The keys in the index (for tests and curious maintainers)."""
    _name, records = read_index(folder)
    return {records[i:i + 16] for i in range(0, len(records), RECORD.size)}


def _search(index: bytes, key: bytes):
    low, high = 0, len(index) // RECORD.size
    while low < high:
        middle = (low + high) // 2
        probe = index[middle * RECORD.size:middle * RECORD.size + 16]
        if probe < key:
            low = middle + 1
        elif probe > key:
            high = middle
        else:
            _key, offset, length = RECORD.unpack_from(index, middle * RECORD.size)
            return offset, length
    return None
