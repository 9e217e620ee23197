"""Only regular files inside content/, theme/ and data/ go into the site, and no
file from content/ that could run in a reader's browser.

Pelican follows symbolic links and copies a static file of any type, so a committed
``content/extra/key.txt -> /path/to/deploy_key`` or ``content/extra/bericht.html``
would be published. Checked once per build, before anything is written: a walk that
follows no link (``initialized``, tree.py), each file Pelican reads
(``content_object_init``), {static}/{attach} links out of content/ (after the articles
and the pages), and the type of every static file (``static_generator_finalized``,
static_types.py). README: "Only regular files …" and "Author files cannot run".
"""

import logging
import os
from pathlib import Path

from pelican import signals

from wachhund.lib.files import shown_path

from .errors import SourceFileError
from .settings import get_settings
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
        (shown_path(path, settings.project), why)
        for root in (settings.content, settings.theme, settings.data)
        for path, why in walk(root, settings.ignore)
    ]
    if problems:
        refuse(problems)


def check_read(content):
    if not content.source_path:
        return  # made by a plugin, not read from a file
    root = os.path.abspath(content.settings["PATH"])  # a string: this runs for every post
    if problem := read_problem(content.source_path, root):
        refuse([(shown_path(problem[0], Path(root).parent), problem[1])])


def check_static_links(generator):
    """Before the static generator reads what posts and pages link: a {static}/{attach}
    link must not climb out of content/. Named with the linking file and line, which
    the static file itself cannot tell. After the articles (before the drafts plugin
    empties the draft lists in `make publish`) and again after the pages."""
    root = Path(generator.settings["PATH"]).absolute()
    # Only links that reach a file: Pelican copies what exists and only warns about the rest
    # (a link spelled with %-escapes or entities names no file as Pelican reads it).
    escapes = sorted(link for link in generator.context.get("static_links", ())
                     if outside(target := os.path.normpath(os.path.join(root, link)), root)
                     and os.path.lexists(target))
    problems = []
    for link in escapes:
        why = f"lies outside {root.name}/; only files inside {root.name}/ are published — copy the file there and link that"
        linking = _linking(generator.context, link)
        problems += [(where, f"links {{static}}/{{attach}} file {link!r}, which {why}") for where in linking]
        if not linking:
            problems.append((shown_path(os.path.join(root, link), root.parent), f"is linked with {{static}}/{{attach}} and {why}"))
    if problems:
        refuse(problems)


# Where Pelican's generators keep what they read (article and page lists of every status).
CONTENT_LISTS = ("articles", "drafts", "hidden_articles", "pages", "draft_pages", "hidden_pages")


def _linking(context: dict, link: str) -> list:
    """`file:line` of every post or page whose {static}/{attach} links resolve to `link`."""
    found = []
    for name in CONTENT_LISTS:
        for item in context.get(name) or ():
            if link in item.get_static_links():
                project = Path(item.settings["PATH"]).absolute().parent
                found.append(_with_line(shown_path(item.source_path, project), item.source_path, link))
    return sorted(set(found))


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
    if problems := static_problems(generator.staticfiles):
        refuse([(shown_path(path, project), why) for path, why in problems])


def register():
    signals.initialized.connect(check_trees)
    signals.content_object_init.connect(check_read)
    signals.article_generator_finalized.connect(check_static_links)
    signals.page_generator_finalized.connect(check_static_links)
    signals.static_generator_finalized.connect(check_static_types)
