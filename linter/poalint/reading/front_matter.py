"""Per-letter options in a Markdown letter's YAML front matter:

    ---
    poalint:
      profile: escalation
      reason: inauthentic
      ignore: [long-sentence]
      rules: {excessive-length: {max: {warning: 1200}}}
      template: true
    ---

Other front-matter keys belong to other tools and are left alone. The front matter is never
linted (the Markdown reader skips it).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from poalint.errors import PoalintError
from poalint.settings import line_of, safe_loader, validate, yaml_problem


@dataclass(frozen=True)
class LetterOptions:
    profile: str | None = None
    ignore: tuple[str, ...] = ()
    rules: dict = field(default_factory=dict, hash=False, compare=False)
    template: bool = False
    line: int = 1  # where the `poalint:` mapping starts, for errors about its settings
    reasons: tuple[str, ...] = ()
    reason_line: int = 1  # where `reason:` is, for an error about an unknown reason


@lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt
    from mdit_py_plugins.front_matter import front_matter_plugin

    return MarkdownIt("zero").use(front_matter_plugin)


def _refuse_aliases(front: str) -> None:
    """A letter's settings are a few keys: a YAML alias there is never needed, and the letter's
    author could make one expand to billions of values ("billion laughs")."""
    if "*" not in front:
        return
    import yaml

    for event in yaml.parse(front, Loader=safe_loader()):
        if isinstance(event, yaml.AliasEvent):
            raise yaml.MarkedYAMLError(problem="YAML aliases (*name) are not allowed here",
                                       problem_mark=event.start_mark)


def letter_options(text: str, name: str) -> LetterOptions:
    """The `poalint:` options of a Markdown letter's front matter (defaults without one)."""
    if Path(name).suffix.lower() not in (".md", ".markdown") or not text.startswith("---"):
        return LetterOptions()
    tokens = _parser().parse(text)
    if not tokens or tokens[0].type != "front_matter":
        return LetterOptions()
    import yaml

    front = tokens[0].content
    try:
        _refuse_aliases(front)
        data = yaml.load(front, Loader=safe_loader())
    except yaml.YAMLError as exc:
        problem, line = yaml_problem(exc, front)
        # Lines in the front matter start one below the opening `---`.
        raise PoalintError(f"invalid YAML in the front matter: {problem}", path=name,
                           line=line + 1 if line else 1) from None
    if not isinstance(data, dict) or "poalint" not in data:
        return LetterOptions()
    options = data["poalint"] or {}
    try:
        validate(options, front, Path(name), "front-matter", prefix=("poalint",))
    except PoalintError as exc:
        # Lines in the front matter start one below the opening `---`.
        raise PoalintError(exc.detail, path=name, line=(exc.line or 1) + 1, key=exc.key) from None
    reasons = options.get("reason", ())
    mapping_line = (line_of(front, ("poalint",)) or 1) + 1
    return LetterOptions(options.get("profile"), tuple(options.get("ignore", ())), options.get("rules", {}),
                         options.get("template", False), mapping_line,
                         (reasons,) if isinstance(reasons, str) else tuple(reasons),
                         (line_of(front, ("poalint", "reason")) or 1) + 1)
