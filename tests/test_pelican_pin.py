"""The few places where we rely on Pelican internals, pinned to the version they were
written for. When Pelican is upgraded this test fails first and names what to re-check."""

import inspect

import pelican
from pelican.contents import Content
from pelican.readers import MarkdownReader


def test_pelican_version_is_the_one_the_internals_were_checked_against():
    assert pelican.__version__.startswith("4.12."), (
        "Pelican was upgraded: re-check strict_reader (MarkdownReader._parse_metadata, ._md, "
        "._source_path), frozen_urls (Content.override_url) and make serve's preview (wachhund/commands/preview.py: "
        "a post's page comes from generate_articles/generate_drafts; tests/test_serve.py), then update this pin")


def test_markdown_reader_internals_we_extend():
    """strict_reader subclasses MarkdownReader and lets Pelican's _parse_metadata turn the
    Markdown Meta dict into metadata, using the reader's own ._md instance."""
    source = inspect.getsource(MarkdownReader._parse_metadata)
    assert "self._md" in source and 'deregister("meta")' in source
    assert list(inspect.signature(MarkdownReader._parse_metadata).parameters) == ["self", "meta"]


def test_override_url_is_how_content_urls_are_fixed():
    """frozen_urls stores each URL once with Pelican's own override mechanism."""
    assert 'hasattr(self, "override_" + key)' in inspect.getsource(Content.get_url_setting).replace("'", '"')
