"""Settings files — rule files, configuration, vars files, front matter — read safely and
validated against their schemas (poalint/schema/), with errors that name file, line and key.

Every stage reads settings through here, so none of them needs another stage to do it.
"""
from __future__ import annotations

import json
import os
import re
import stat
from functools import lru_cache
from importlib import resources
from pathlib import Path

from poalint.errors import PoalintError

#: The largest rule, configuration or vars file: ten times the largest built-in pack, and under
#: spaCy's max_length, so that no phrase of a rule can reach it.
MAX_SETTINGS_BYTES = 1_000_000

#: Values that YAML aliases may add to one document. A rule pack may name a token pattern once and
#: reuse it (&name); nine aliases to nine aliases, nine levels deep, would be 387 million values
#: in 600 bytes ("billion laughs") for the schema check to walk.
MAX_ALIAS_VALUES = 100_000

_BOOL = "tag:yaml.org,2002:bool"


@lru_cache(maxsize=1)
def safe_loader():
    """Safe YAML with YAML 1.2 booleans: `off`, `no`, `on` and `yes` stay strings, so a rule
    setting `off: true` or a phrase list `[no, maybe]` mean what they say; and aliases bounded.

    Built on first use: a run whose results are all cached reads no YAML, and need not import it."""
    import yaml

    class SafeLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
        def construct_document(self, node):
            _check_aliases(node)
            return super().construct_document(node)

    SafeLoader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != _BOOL]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    SafeLoader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
    return SafeLoader


def _check_aliases(root) -> None:
    """Refuse a document whose aliases would add more than MAX_ALIAS_VALUES values, or refer to
    themselves, counted on the composed nodes (an alias is the same node reached again) without
    expanding anything."""
    import yaml

    if not _reuses_a_node(root):  # most documents: no alias, and this walk is the cheaper one
        return
    sizes: dict[int, int] = {}  # node id -> values in the node once expanded
    ancestors: set[int] = set()
    added = 0
    stack = [(root, False)]
    while stack:
        node, finished = stack.pop()
        children = _children(node)
        if finished:
            ancestors.discard(id(node))
            sizes[id(node)] = 1 + sum(sizes[id(child)] for child in children)
        elif id(node) in sizes:
            added += sizes[id(node)]
            if added > MAX_ALIAS_VALUES:
                raise yaml.constructor.ConstructorError(
                    None, None, f"YAML aliases expand to more than {MAX_ALIAS_VALUES:,} values", node.start_mark)
        elif id(node) in ancestors:
            raise yaml.constructor.ConstructorError(None, None, "a YAML alias refers to itself", node.start_mark)
        else:
            ancestors.add(id(node))
            stack.append((node, True))
            stack.extend((child, False) for child in children)


def _reuses_a_node(root) -> bool:
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            return True
        seen.add(id(node))
        stack.extend(_children(node))
    return False


def _children(node) -> list:
    if node.id == "sequence":
        return node.value
    if node.id == "mapping":
        return [part for pair in node.value for part in pair]
    return []


_FILE_TYPES = {stat.S_IFCHR: "a character device", stat.S_IFBLK: "a block device",
               stat.S_IFIFO: "a named pipe (FIFO)", stat.S_IFSOCK: "a socket"}


def _refuse_unless_regular(mode: int, path: Path) -> None:
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(21, "Is a directory", str(path))
    if not stat.S_ISREG(mode):
        kind = _FILE_TYPES.get(stat.S_IFMT(mode), "a special file")
        raise PoalintError(f"{kind}, not a regular file", path=str(path))


def read_limited(path: Path, max_bytes: int) -> bytes:
    """The bytes of the regular file at ``path``: a device, FIFO or socket, or more than
    ``max_bytes``, is a one-line PoalintError; the operating system's errors are left to the caller.

    A size from stat() alone bounds nothing (/dev/zero has none, a file can grow), so at most
    ``max_bytes + 1`` bytes are read. The type is checked before opening (opening a FIFO waits
    for a writer) and again on the open file, in case it was swapped in between."""
    _refuse_unless_regular(os.stat(path).st_mode, path)
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_BINARY", 0))
    try:
        status = os.fstat(descriptor)
        _refuse_unless_regular(status.st_mode, path)
        if status.st_size > max_bytes:
            raise PoalintError(f"file is {status.st_size:,} bytes, over the {max_bytes:,}-byte limit",
                               path=str(path), skip=True)
        data = _read_up_to(descriptor, max_bytes + 1)
    finally:
        os.close(descriptor)
    if len(data) > max_bytes:
        raise PoalintError(f"file is over the {max_bytes:,}-byte limit", path=str(path), skip=True)
    return data


def _read_up_to(descriptor: int, limit: int) -> bytes:
    """At most ``limit`` bytes, to the end of the file. os.read, not a file object's read(limit):
    that allocates ``limit`` bytes first, and reading 1,000 small letters against a 10 MB limit
    spent 70 ms on it."""
    chunks, size = [], 0
    while size < limit:
        chunk = os.read(descriptor, limit - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def read_text(path: Path, what: str) -> str:
    """A rule, configuration or vars file's text: a regular file, bounded in size, in UTF-8."""
    try:
        text = read_limited(path, MAX_SETTINGS_BYTES).decode("utf-8")
    except FileNotFoundError:
        raise PoalintError(f"{what} not found", path=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PoalintError(f"cannot read {what}: {exc}", path=str(path)) from None
    # Universal newlines, as Path.read_text gives them (the pack cache hashes this text).
    return text.replace("\r\n", "\n").replace("\r", "\n")


#: The built-in wording model (poalint.analysis.wording_model), under builtin_rules_dir().
WORDING_MODEL_FILE = Path("models") / "wording.npz"


def builtin_rules_dir() -> Path:
    """The packs shipped in the wheel, or the repository's rules/ in a development checkout."""
    package = Path(__file__).parent  # poalint/, installed as plain files (rule files are read with open())
    shipped = package / "builtin_rules"
    if shipped.is_dir():
        return shipped
    return package.resolve().parents[1] / "rules"


def load_yaml(path: Path, what: str):
    """Parse a YAML file safely (no object construction); a syntax error names the file and line."""
    text = read_text(path, what)
    return parse_yaml(text, path), text


def parse_yaml(text: str, path: Path):
    import yaml

    try:
        return yaml.load(text, Loader=safe_loader())
    except yaml.YAMLError as exc:
        problem, line = yaml_problem(exc, text)
        raise PoalintError(f"invalid YAML: {problem}", path=str(path), line=line) from None


def yaml_problem(exc, text: str) -> tuple[str, int | None]:
    """A YAML error as (one-line problem, 1-based line in ``text`` or None)."""
    import yaml

    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    line = mark.line + 1 if mark else None
    if isinstance(exc, yaml.reader.ReaderError):  # a control character: no mark, a two-line str
        problem, line = str(exc).splitlines()[0], text.count("\n", 0, exc.position) + 1
    return " ".join(problem.split()), line


@lru_cache(maxsize=64)
def _compose(text: str):
    import yaml

    return yaml.compose(text, Loader=safe_loader())


def line_of(text: str, path: tuple) -> int | None:
    """The line of the YAML node at a JSON path such as ("rules", 3, "severity")."""
    import yaml

    node = _compose(text)
    line = node.start_mark.line + 1 if node else None
    for step in path:
        if isinstance(node, yaml.MappingNode):
            match = next(((k, v) for k, v in node.value if k.value == step), None)
            if match is None:
                break
            line, node = match[0].start_mark.line + 1, match[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            node = node.value[step]
            line = node.start_mark.line + 1
        else:
            break
    return line


def error_at(message: str, path: Path, text: str, at_key: tuple) -> PoalintError:
    """An error about the value at ``at_key`` (a JSON path) of a YAML file's ``text``."""
    return PoalintError(message, path=str(path), line=line_of(text, at_key), key=".".join(map(str, at_key)))


@lru_cache(maxsize=None)
def schema(name: str = "rules") -> dict:
    return json.loads(resources.files("poalint.schema").joinpath(f"{name}.schema.json").read_text("utf-8"))


@lru_cache(maxsize=None)
def _validator(name: str, definition: str | None = None):
    """A validator for a whole file, or for one definition (e.g. one rule kind) of the schema.

    A rule file's own validation leaves its rules to their kinds' validators, so that each rule
    is checked once, against its kind only.
    """
    from jsonschema import Draft202012Validator

    full = schema(name)
    if definition:
        target = {"$ref": f"#/$defs/{definition}", "$defs": full["$defs"]}
    elif name == "rules":
        target = {**full, "properties": {**full["properties"], "rules": {"type": "array", "items": {"type": "object"}}}}
    else:
        target = full
    return Draft202012Validator(target)


_UNEXPECTED = re.compile(r"'([^']+)' (?:was|were) unexpected|\('([^']+)'")


def schema_error(error, text: str, path: Path, prefix: tuple = ()) -> PoalintError:
    """Turn the most relevant jsonschema error into 'file:line: key: problem'."""
    where = tuple(prefix) + tuple(error.absolute_path)
    message = error.message
    if error.validator == "additionalProperties":
        found = _UNEXPECTED.search(message)
        key = (found.group(1) or found.group(2)) if found else "?"
        where = where + (key,)
        message = "unknown key"
    elif error.validator == "enum":
        message = f"{error.instance!r} is not one of: {', '.join(map(str, error.validator_value))}"
    elif error.validator == "required":
        message = message.replace(" is a required property", " is required")
    elif error.validator == "anyOf" and all(set(v) == {"required"} for v in error.validator_value):
        message = "needs one of " + ", ".join(v["required"][0] for v in error.validator_value)
    key = ".".join(str(p) for p in where) or None
    return PoalintError(message, path=str(path), line=line_of(text, where), key=key)


def validate(data, text: str, path: Path, name: str, definition: str | None = None, prefix: tuple = ()) -> None:
    """Check ``data`` (read from ``text`` at ``path``) against schema ``name`` (or one of its
    definitions); the most relevant problem is raised as a PoalintError naming its line and key."""
    from jsonschema.exceptions import best_match

    error = best_match(_validator(name, definition).iter_errors(data))
    if error is not None:
        raise schema_error(error, text, path, prefix)
