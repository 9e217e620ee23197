"""Deterministic YAML for machine-written data files (written with wachhund.lib.files.write_atomic)."""

import yaml

from wachhund.lib.files import write_atomic  # noqa: F401 - importers take both from here


class _NoAliasDumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # libyaml: 5x faster, same text
    # Our loader refuses anchors/aliases, so the dumper must never write them.
    def ignore_aliases(self, data):
        return True


from .loader import LineDict, LineList  # noqa: E402

_NoAliasDumper.add_representer(LineDict, yaml.representer.SafeRepresenter.represent_dict)
_NoAliasDumper.add_representer(LineList, yaml.representer.SafeRepresenter.represent_list)


def dump_yaml(data, width=100) -> str:
    """Deterministic YAML for machine-written files (key order kept, no aliases)."""
    return yaml.dump(data, Dumper=_NoAliasDumper, sort_keys=False, allow_unicode=True, width=width)
