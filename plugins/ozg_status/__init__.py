"""OZG status: the catalogue, observations per municipality, directives, dashboards.

Data is loaded and validated once per build (on `initialized`); a problem in
any YAML file fails the build with file:line messages before anything is read.
"""

from pathlib import Path

from pelican import signals

from .directive import OzgExtension
from .pages import OzgPagesGenerator
from .schema import load_model
from .settings import get_settings

def on_initialized(pelican):
    settings = get_settings(pelican.settings)
    root = Path(pelican.settings["PATH"]).resolve().parent
    model = load_model(settings.data_dir, root)
    # Kept in the build's own settings: no module-level state outlives a build.
    pelican.settings["OZG_MODEL"], pelican.settings["OZG_SETTINGS"] = model, settings
    markdown = pelican.settings.setdefault("MARKDOWN", {})
    markdown.setdefault("extensions", []).append(OzgExtension(model, settings.output_dir))


def get_generators(pelican):
    return OzgPagesGenerator


def register():
    signals.initialized.connect(on_initialized)
    signals.get_generators.connect(get_generators)
