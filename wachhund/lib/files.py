"""Writing files and naming them in messages: one way for the whole project."""

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
