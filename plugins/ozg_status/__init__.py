"""OZG status: the catalogue, observations per municipality, directives, dashboards.

Data is loaded and validated once per build (on `initialized`); a problem in
any YAML file fails the build with file:line messages before anything is read.
"""

from pathlib import Path

from pelican import signals

from .directive import OzgExtension
from .pages import OzgPagesGenerator
from wachhund.ozg.ranking import compute
from wachhund.ozg.schema import load_model
from wachhund.ozg.settings import get_settings
from wachhund.ozg.status_store import read_store

def on_initialized(pelican):
    settings = get_settings(pelican.settings)
    root = Path(pelican.settings["PATH"]).resolve().parent
    model = load_model(settings.data_dir, root)
    store = read_store(settings.data_dir, lambda path: shown_path(path, root))
    model.ranking = compute(store, model.catalogue, settings.vergleichsgruppe_bund)
    # Kept in the build's own settings: no module-level state outlives a build.
    pelican.settings["OZG_MODEL"], pelican.settings["OZG_SETTINGS"] = model, settings
    markdown = pelican.settings.setdefault("MARKDOWN", {})
    markdown.setdefault("extensions", []).append(OzgExtension(model, settings.output_dir))


def shown_path(path: Path, root: Path) -> str:
    """A data file's name in error messages: relative to the project where it lies inside."""
    path = path.resolve()
    return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)


def get_generators(pelican):
    return OzgPagesGenerator


def register():
    signals.initialized.connect(on_initialized)
    signals.get_generators.connect(get_generators)
