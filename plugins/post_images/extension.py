"""The Python-Markdown extension behind the post_images plugin."""

import os
import re
import xml.etree.ElementTree as etree
from pathlib import Path

from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from wachhund.lib.errors import LineError as ImageError

PLACEHOLDER = re.compile(r"^\{(static|attach|filename)\}")


class _KeepLines(Preprocessor):
    """Remember the source lines, so errors can name the line of an image."""

    def run(self, lines):
        self.md.wachhund_image_lines = list(lines)
        return lines


class _Images(Treeprocessor):
    def __init__(self, md, content_path: Path):
        super().__init__(md)
        self.content_path = content_path
        self.sizes = {}

    def line_of(self, src):
        lines = getattr(self.md, "wachhund_image_lines", [])
        return next((number for number, line in enumerate(lines, start=1) if src in line), 0)

    def local_file(self, src):
        path = PLACEHOLDER.sub("", src).split("#")[0].split("?")[0].lstrip("/")
        return self.content_path / path

    def size_of(self, src):
        from PIL import Image, UnidentifiedImageError  # only posts with images pay for Pillow

        if src not in self.sizes:
            # Only files inside content/ are read into the site (plugins/source_files).
            if not Path(os.path.normpath(self.local_file(src))).is_relative_to(self.content_path):
                raise ImageError(self.line_of(src), f"image {src!r} lies outside content/; copy it to content/images/")
            try:
                with Image.open(self.local_file(src)) as image:
                    self.sizes[src] = image.size
            except FileNotFoundError:
                raise ImageError(self.line_of(src), f"image {src!r} not found under content/") from None
            except (UnidentifiedImageError, OSError):
                self.sizes[src] = None  # e.g. SVG: the browser knows its size
        return self.sizes[src]

    def run(self, root):
        parents = {child: parent for parent in root.iter() for child in parent}
        for img in list(root.iter("img")):
            src = img.get("src", "")
            if not img.get("alt", "").strip():
                raise ImageError(self.line_of(src), f"image {src!r} has no alt text: write "
                                 f"![what the image shows]({src})")
            if re.match(r"^(https?:)?//", src):
                raise ImageError(self.line_of(src), f"image {src!r} is on another host; copy it to content/images/ "
                                 "(no third-party requests)")
            size = self.size_of(src)
            if size and not img.get("width"):
                img.set("width", str(size[0]))
                img.set("height", str(size[1]))
            img.set("loading", "lazy")
            img.set("decoding", "async")
            parent = parents.get(img)
            caption = img.get("title")
            if caption and parent is not None and parent.tag == "p" and len(parent) == 1 and not (parent.text or "").strip() and not (img.tail or "").strip():
                del img.attrib["title"]
                parent.tag = "figure"
                figcaption = etree.SubElement(parent, "figcaption")
                figcaption.text = caption


class ImageExtension(Extension):
    def __init__(self, content_path: Path, **kwargs):
        self.content_path = Path(content_path)
        super().__init__(**kwargs)

    def extendMarkdown(self, md):
        md.preprocessors.register(_KeepLines(md), "wachhund_keep_lines", 29)
        # After inline patterns (which create <img>), before prettify.
        md.treeprocessors.register(_Images(md, self.content_path), "wachhund_images", 15)
