"""The loader. Uses libyaml's parser when present (10x faster), else pure Python."""

from pathlib import Path

import yaml

from .text import file_problem, text_problem

MAX_BYTES = 8 * 1024 * 1024
MAX_DEPTH = 40

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DataError(Exception):
    """One or more problems in data files; str() lists them as file:line: message."""

    def __init__(self, problems):
        self.problems = list(problems)  # [(path, line, message)]
        super().__init__("\n".join(f"{path}:{line}: {message}" if line else f"{path}: {message}"
                                   for path, line, message in self.problems))


class LineDict(dict):
    """A dict that knows its own line and the line of each key."""

    line = 0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = {}

    def line_of(self, key):
        return self.lines.get(key, self.line)


class LineList(list):
    """A list that knows its own line and the line of each item."""

    line = 0

    def __init__(self, *args):
        super().__init__(*args)
        self.lines = []

    def line_of(self, index):
        return self.lines[index] if index < len(self.lines) else self.line


class _Problem(Exception):
    def __init__(self, line, message, alias=False):
        super().__init__(message)
        self.line = line
        self.message = message
        self.alias = alias


def _first_alias_line(text: str) -> int | None:
    """Line of the first *alias (only called on error, so the extra scan is cheap)."""
    try:
        return next((token.start_mark.line + 1 for token in yaml.scan(text, Loader=_Base)
                     if isinstance(token, yaml.AliasToken)), None)
    except yaml.YAMLError:
        return None


class _Loader(_Base):
    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0

    def construct_object(self, node, deep=False):
        # A node constructed twice is an alias (*name): refuse, so no
        # "billion laughs" can blow up anything that walks the data later.
        if node in self.constructed_objects or node in self.recursive_objects:
            raise _Problem(node.start_mark.line + 1, "YAML anchors and aliases (&name / *name) are not allowed "
                           "in data files", alias=True)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Problem(node.start_mark.line + 1, f"nested deeper than {MAX_DEPTH} levels")
            return super().construct_object(node, deep=True)
        finally:
            self._depth -= 1


def _construct_mapping(loader, node):
    result = LineDict()
    result.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 1
        if key_node.tag == "tag:yaml.org,2002:merge":
            raise _Problem(line, "merge keys (<<) are not allowed in data files")
        key = loader.construct_object(key_node)
        try:
            hash(key)
        except TypeError:
            raise _Problem(line, "a key must be a plain value, not a list or mapping") from None
        if key in result:
            raise _Problem(line, f"duplicate key {key!r} (first on line {result.lines[key]})")
        result[key] = loader.construct_object(value_node)
        result.lines[key] = line
    return result


def _construct_sequence(loader, node):
    result = LineList()
    result.line = node.start_mark.line + 1
    for item in node.value:
        result.append(loader.construct_object(item))
        result.lines.append(item.start_mark.line + 1)
    return result


def _construct_timestamp(loader, node):
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError:
        raise _Problem(node.start_mark.line + 1, f"{node.value!r} is not a valid date (expected YYYY-MM-DD)") from None


def _construct_str(loader, node):
    r"""Text, refused when it holds a control character: raw ones are found in the
    file before parsing (load_text), this finds escaped ones ("\x07", "\u0085")."""
    value = loader.construct_scalar(node)
    if problem := text_problem(value):
        raise _Problem(node.start_mark.line + 1, problem)
    return value


_Loader.add_constructor("tag:yaml.org,2002:str", _construct_str)
_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:omap", _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


_OPEN = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSE = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def _check_limits(text: str, path: str) -> None:
    """Size and nesting, bounded on the event stream before any node is composed:
    composing (in C) recurses once per level and crashes the process on deep input,
    while libyaml's event parser keeps its stack on the heap."""
    if len(text) > MAX_BYTES:
        raise DataError([(path, 0, f"file has {len(text)} characters; at most {MAX_BYTES} are allowed")])
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Base):
            if isinstance(event, _OPEN):
                depth += 1
                if depth > MAX_DEPTH:
                    raise DataError([(path, event.start_mark.line + 1, f"nested deeper than {MAX_DEPTH} levels")])
            elif isinstance(event, _CLOSE):
                depth -= 1
    except yaml.YAMLError:
        return  # load_text reports syntax errors with their line


def load_text(text: str, path: str):
    """Parse YAML text; raise DataError naming `path` and the line."""
    _check_limits(text, path)
    # Before libyaml sees them: it refuses most without a line, and counts NEL and a
    # lone CR as line breaks, which editors do not.
    if problem := file_problem(text):
        raise DataError([(path, *problem)])
    loader = _Loader(text)
    try:
        return loader.get_single_data()
    except _Problem as exc:
        line = (_first_alias_line(text) or exc.line) if exc.alias else exc.line
        raise DataError([(path, line, exc.message)]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        detail = exc.problem or str(exc)
        raise DataError([(path, line, f"not valid YAML: {detail}")]) from None
    except yaml.YAMLError as exc:
        raise DataError([(path, 0, f"not valid YAML: {exc}")]) from None
    except RecursionError:
        raise DataError([(path, 0, f"nested deeper than {MAX_DEPTH} levels")]) from None
    finally:
        loader.dispose()


def load_file(path, shown=None):
    """Load one YAML file. `shown` is the path used in messages (relative)."""
    path = Path(path)
    shown = str(shown or path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataError([(shown, 0, f"cannot read file: {exc.strerror}")]) from None
    if len(raw) > MAX_BYTES:
        raise DataError([(shown, 0, f"file is {len(raw)} bytes; at most {MAX_BYTES} are allowed")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError([(shown, line, "file is not UTF-8")]) from None
    return load_text(text, shown)

