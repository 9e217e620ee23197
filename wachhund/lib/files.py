"""Writing files and naming them in messages: one way for the whole project."""

import contextlib
import os
import tempfile
from pathlib import Path


def shown_path(path, root) -> str:
    """A file's name in messages: relative to the project where it lies inside, as
    authors type it (content/posts/x.md), else as given. String operations only:
    it runs once per post, and resolve() would cost a system call per part."""
    absolute = os.path.abspath(path)
    prefix = os.path.join(os.path.abspath(root), "")
    return Path(absolute[len(prefix):]).as_posix() if absolute.startswith(prefix) else str(path)


def write_atomic(path: Path, text: str) -> None:
    """Write to a temporary file in the same folder, fsync, then rename over `path`.

    A process killed at any moment leaves the old file or the new one, never half
    (state files, imported data, the header file nginx reads).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_output(output_path, relative: str, data: str | bytes) -> None:
    """A generated file (an export, a feed) below the build's output folder, LF line
    ends on every platform. Not atomic: the whole build is swapped in at the end."""
    path = Path(output_path) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8", newline="\n")


class Busy(OSError):
    """Another process is updating the same data."""


@contextlib.contextmanager
def sole_writer(folder: Path):
    """Hold `folder` for this process alone while it reads and rewrites the files below it.
    Two updates of the same data at once (a timer and a hand) would both read the old files,
    and the one that writes last would undo the other's changes or leave the files of two
    runs side by side. An advisory lock (flock) on the folder itself, so no lock file lands in
    git; the system releases it when the process ends, however it ends. Busy if another holds
    it; where there is no flock (Windows, some network file systems), nothing is held."""
    try:
        import fcntl
    except ImportError:  # Windows
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Busy(f"{folder}: ein anderer Lauf aktualisiert diese Daten gerade") from None
        except OSError:  # ENOLCK, EOPNOTSUPP (NFS, SMB): the update runs as it did without the lock
            pass
        yield
    finally:
        os.close(fd)  # releases the lock
