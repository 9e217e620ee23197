"""Which files authors may publish from content/: an allowlist of types that cannot run.

nginx picks the Content-Type by the last extension and sends ``nosniff``, so the
extension of the source and of the published name decides what a browser does.
HTML, XHTML, SVG, XML/XSL and scripts are refused, not cleaned: opened from the blog's
address they run with its origin, and sanitising SVG would need a second allowlist for a
format authors do not need. theme/static/ is our code and is not checked here.
README: "Author files cannot run".
"""

import os
import posixpath

from wachhund.pelican_internals import save_as_unreferenced

# extension -> what readers get (nginx's Debian mime.types) and why that cannot run
ALLOWED = {
    # pictures: decoded as images, never parsed as documents
    ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
    ".webp": "image/webp", ".avif": "image/avif",
    # shown in the browser's PDF viewer, which runs in its own origin, not the blog's
    ".pdf": "application/pdf",
    # office documents without macros (.docm/.xlsm are not on the list): downloaded, not rendered
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".odp": "application/vnd.oasis.opendocument.presentation",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    # data: shown as text or downloaded; nosniff refuses them as <script> or stylesheet
    ".csv": "application/octet-stream (not in nginx's list: downloaded)",
    ".txt": "text/plain",
    ".json": "application/json",
    ".zip": "application/zip",
}

# Types that would run in the reader's browser, with what to do instead.
ACTIVE = {
    **dict.fromkeys((".html", ".htm", ".shtml", ".xhtml", ".xht"),
                    "a web page runs its scripts on the blog's address; write it as a post, or publish the document as PDF"),
    **dict.fromkeys((".svg", ".svgz"),
                    "an SVG image can carry scripts that run when it is opened; export it as PNG or WebP"),
    **dict.fromkeys((".js", ".mjs", ".cjs", ".wasm"),
                    "scripts are part of the theme (theme/static/js/), not of content"),
    **dict.fromkeys((".xml", ".xsl", ".xslt", ".rss", ".atom"),
                    "browsers render XML with its scripts and stylesheets; publish data as CSV or JSON"),
}

ALLOWED_TEXT = " ".join(sorted(ALLOWED))


def type_problem(name: str) -> str | None:
    """Why a file published under `name` is refused, or None if its type is allowed."""
    extension = os.path.splitext(name)[1].lower()
    if extension in ALLOWED:
        return None
    if extension in ACTIVE:
        reason = ACTIVE[extension]
    elif not extension:
        reason = "a file without an extension has no type the server can name; add one from the list"
    else:
        reason = "this type is not on the list of files that cannot run"
    return f"'{extension or name}' files are not published: {reason}. Allowed: {ALLOWED_TEXT}"


def static_problems(staticfiles) -> list:
    """[(source path, why)] for the static files Pelican is about to copy."""
    problems = []
    for static in staticfiles:
        if not os.path.lexists(static.source_path):
            continue  # a {static} link to no file: Pelican warns and has nothing to copy
        why = type_problem(os.path.basename(static.source_path))
        if why is None:
            # Not `static.save_as`: reading it marks the location as referenced, and
            # Pelican then refuses to move an {attach}ed file next to its post.
            save_as = save_as_unreferenced(static)
            normal = posixpath.normpath(save_as) if save_as else ""
            if posixpath.isabs(normal) or normal == ".." or normal.startswith("../"):
                why = f"would be written to {save_as!r}, outside the site"
            elif (published := type_problem(posixpath.basename(save_as))) is not None:
                why = f"is published as {save_as!r}: {published}"
        if why is not None:
            problems.append((static.source_path, why))
    return sorted(problems)
