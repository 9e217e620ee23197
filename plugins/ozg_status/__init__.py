"""OZG status: the catalogue, observations per municipality, directives, dashboards.

Data is loaded and validated once per build (on `initialized`); a problem in
any YAML file fails the build with file:line messages before anything is read.
"""

from pathlib import Path

from pelican import signals

from wachhund.lib.files import shown_path
from wachhund.ozg.ranking import compute
from wachhund.ozg.schema import load_model
from wachhund.ozg.settings import get_settings
from wachhund.ozg.status_store import read_store
from wachhund.site import site_of

from .directive import OzgExtension
from .feeds import register_feeds
from .pages import OzgPagesGenerator


def on_initialized(pelican):
    settings = get_settings(pelican.settings)
    root = Path(pelican.settings["PATH"]).resolve().parent
    model = load_model(settings.data_dir, root)
    store = read_store(settings.data_dir, lambda path: shown_path(path, root))
    model.ranking = compute(store, model.catalogue, settings.vergleichsgruppe_bund)
    site = site_of(pelican.settings)
    site.ozg = model
    site.reserved_folders.add(settings.output_dir.split("/", 1)[0])
    register_feeds(site, model, settings)
    markdown = pelican.settings.setdefault("MARKDOWN", {})
    markdown.setdefault("extensions", []).append(OzgExtension(model, settings.output_dir))


def get_generators(pelican):
    return OzgPagesGenerator


def register():
    signals.initialized.connect(on_initialized)
    signals.get_generators.connect(get_generators)
