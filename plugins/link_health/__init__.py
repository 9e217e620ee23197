"""Link health in the build: mark links from the recorded state, write the report.

The build never touches the network; `make linkcheck` (link_health.check)
writes data/link-health.yaml and the build only reads it.
"""

from pathlib import Path

from markupsafe import Markup
from pelican import signals
from pelican.contents import Article, Page

from .annotate import annotate
from .belege import belege
from .extension import LinkHealthExtension
from .report import LinkReportGenerator
from .settings import get_settings
from .state import load_state

_state = {}


def on_initialized(pelican):
    root = Path(pelican.settings["PATH"]).resolve().parent
    settings = get_settings(pelican.settings, root)
    try:
        shown = str(settings.state_file.relative_to(root))
    except ValueError:
        shown = str(settings.state_file)
    _state.update(settings=settings, links=load_state(settings.state_file, shown), documents=[])
    pelican.settings.setdefault("SITEMAP_EXTRA", [])
    pelican.settings["LINK_REPORT_URL"] = settings.report_url
    # The change feeds read the recorded state from here (the build never checks links).
    pelican.settings["LINK_STATE"] = _state["links"]
    # Generated pages (the OZG plugin's tables) mark their links through this, without importing us.
    pelican.settings["LINK_ANNOTATE"] = lambda html: Markup(annotate(str(html), _state["links"], settings))
    pelican.settings.setdefault("JINJA_GLOBALS", {})["belege"] = lambda doc: belege(doc, _state["links"])
    pelican.settings.setdefault("JINJA_FILTERS", {})["link_marks"] = pelican.settings["LINK_ANNOTATE"]
    markdown = pelican.settings.setdefault("MARKDOWN", {})
    markdown.setdefault("extensions", []).append(LinkHealthExtension(_state["links"], settings))


def on_content(instance):
    """Mark links in documents our Markdown pipeline did not render (e.g. an
    .html file); remember every document for the report."""
    if not isinstance(instance, (Article, Page)) or not getattr(instance, "_content", None):
        return
    if instance.metadata.get("cited_links") is None:
        cited = []
        instance._content = annotate(instance._content, _state["links"], _state["settings"], cited.append)
        instance.metadata["cited_links"] = cited
    _state["documents"].append(instance)


def get_generators(pelican):
    class _Bound(LinkReportGenerator):
        def __init__(self, *args, **kwargs):
            super().__init__(
                *args, link_state=_state["links"], link_settings=_state["settings"],
                documents=_state["documents"], **kwargs,
            )

    return _Bound


def register():
    signals.initialized.connect(on_initialized)
    signals.content_object_init.connect(on_content)
    signals.get_generators.connect(get_generators)
