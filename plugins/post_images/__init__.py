"""Images in posts: evidence screenshots done right.

- An image without alt text fails the build, naming the post and line.
- Local images get width/height (no layout shift) and lazy loading.
- An image alone in a paragraph with a title becomes a figure with caption:
  ``![Screenshot des Serviceportals](/images/x.png "Serviceportal, 12. Oktober 2026")``
- Images from other hosts are refused (no third-party requests).
"""

from pathlib import Path

from pelican import signals

from .extension import ImageExtension


def on_initialized(pelican):
    content = Path(pelican.settings["PATH"]).resolve()
    markdown = pelican.settings.setdefault("MARKDOWN", {})
    markdown.setdefault("extensions", []).append(ImageExtension(content))


def register():
    signals.initialized.connect(on_initialized)
