"""Only regular files inside content/, theme/ and data/ go into the site, and no
file from content/ that could run in a reader's browser.

Pelican follows symbolic links when it reads and copies, and copies a static file
of any type: a committed ``content/extra/key.txt -> /path/to/deploy_key`` would be
published, and so would ``content/extra/bericht.html`` with its scripts. Three
checks, each once per build and before anything is written:

- ``initialized``: one walk over content/, theme/ and data/ that follows no link
  (tree.py); a link or a special file anywhere stops the build with its path.
- ``content_object_init``: every post, page and static file Pelican reads lies
  inside content/ as a regular file (also a ``{static}../x`` link out of content/,
  and the files `make serve`'s preview reads again).
- ``static_generator_finalized``: every static file Pelican is about to copy has a
  type on the allowlist, under its source name and its published name
  (static_types.py).
"""

import logging
from pathlib import Path

from pelican import signals
from pelican.contents import Static

from .errors import SourceFileError
from .settings import get_settings, shown
from .static_types import static_problems
from .tree import outside, read_problem, walk

log = logging.getLogger(__name__)


def refuse(problems):
    """Stop the build. Said in the log first: Pelican logs a reader's exception
    without its text (unless DEBUG), and the log is what fails `--fatal errors`."""
    error = SourceFileError(problems)
    log.error("%s", error)
    raise error


def check_trees(pelican):
    settings = get_settings(pelican.settings)
    problems = [
        (shown(path, settings.project), why)
        for root in (settings.content, settings.theme, settings.data)
        for path, why in walk(root, settings.ignore)
    ]
    if problems:
        refuse(problems)


def check_read(content):
    if not content.source_path:
        return  # made by a plugin, not read from a file
    root = Path(content.settings["PATH"]).absolute()
    project = root.parent
    problem = read_problem(content.source_path, root)
    if problem:
        refuse([(shown(problem[0], project), problem[1])])
    if isinstance(content, Static):
        return
    escapes = sorted(link for link in content.get_static_links() if outside(str(root / link), root))
    if escapes:
        where = shown(content.source_path, project)
        refuse([
            (_with_line(where, content.source_path, link),
             f"links {{static}}/{{attach}} file {link!r}, which lies outside {root.name}/; "
             f"only files inside {root.name}/ are published — copy the file there and link that")
            for link in escapes
        ])


def _with_line(where: str, source: str, link: str) -> str:
    """`where:line` of the first {static}/{attach} link naming the file, if found."""
    name = link.rsplit("/", 1)[-1]
    try:
        lines = Path(source).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeError):
        return where
    for number, line in enumerate(lines, start=1):
        if ("{static}" in line or "{attach}" in line) and name in line:
            return f"{where}:{number}"
    return where


def check_static_types(generator):
    project = Path(generator.settings["PATH"]).absolute().parent
    problems = static_problems(generator.staticfiles)
    if problems:
        refuse([(shown(path, project), why) for path, why in problems])


def register():
    signals.initialized.connect(check_trees)
    signals.content_object_init.connect(check_read)
    signals.static_generator_finalized.connect(check_static_types)
