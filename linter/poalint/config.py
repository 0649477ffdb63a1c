"""Configuration: `.poalint.yaml` (found by walking up from the checked file) or `[tool.poalint]`."""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from poalint.errors import PoalintError

CONFIG_NAMES = (".poalint.yaml", ".poalint.yml")


@dataclass(frozen=True)
class Config:
    path: Path | None = None
    profile: str = "auto"
    rule_paths: tuple[Path, ...] = ()
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_on: str | None = None
    exclude: tuple[str, ...] = ()
    model: str | None = None
    templates: tuple[str, ...] = ()
    template_variable: str | None = None
    require_suppression_reason: bool = False
    max_file_size: int = 2 * 1024 * 1024  # bytes; larger letters are not read
    rules: dict = field(default_factory=dict, hash=False, compare=False)
    score: dict = field(default_factory=dict, hash=False, compare=False)  # readiness score weights

    @property
    def root(self) -> Path:
        return self.path.parent if self.path else Path.cwd()

    def excluded(self, file: Path) -> bool:
        return self._matches(file, self.exclude)

    def is_template(self, file: Path) -> bool:
        return self._matches(file, self.templates)

    def _matches(self, file: Path, patterns: tuple[str, ...]) -> bool:
        if not patterns:
            return False  # resolving paths costs a system call per folder: skip it when nothing can match
        try:
            relative = file.resolve().relative_to(self.root.resolve())
        except ValueError:
            return False
        return any(relative.match(pattern) or relative.as_posix().startswith(pattern.rstrip("/") + "/")
                   for pattern in patterns)


def _from_mapping(data: dict, text: str, path: Path, prefix: tuple = ()) -> Config:
    from poalint.loader import validate

    validate(data, text, path, "config", prefix=prefix)
    base = path.parent
    return Config(
        path=path,
        profile=data.get("profile", "auto"),
        rule_paths=tuple(base / p for p in data.get("rule_paths", ())),
        select=tuple(data.get("select", ())),
        ignore=tuple(data.get("ignore", ())),
        fail_on=data.get("fail_on"),
        exclude=tuple(data.get("exclude", ())),
        model=data.get("model"),
        templates=tuple(data.get("templates", ())),
        template_variable=data.get("template_variable"),
        require_suppression_reason=data.get("require_suppression_reason", False),
        max_file_size=data.get("max_file_size", Config.max_file_size),
        rules=data.get("rules", {}),
        score=data.get("score", {}),
    )


def _pyproject_section(path: Path) -> dict | None:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise PoalintError(f"cannot read pyproject.toml: {exc}", path=str(path)) from None
    return data.get("tool", {}).get("poalint")


def load_config(path: Path) -> Config:
    # Imported here: a run without a configuration file, all of whose results are cached, needs no YAML.
    from poalint.loader import load_yaml

    if path.name == "pyproject.toml":
        section = _pyproject_section(path)
        if section is None:
            raise PoalintError("has no [tool.poalint] table", path=str(path))
        # TOML has no line map here; keys are named as tool.poalint.<key>.
        return _from_mapping(section, "", path, prefix=("tool", "poalint"))
    data, text = load_yaml(path, "configuration file")
    if data is None:
        return Config(path=path)
    if not isinstance(data, dict):
        raise PoalintError("configuration must be a mapping", path=str(path), line=1)
    return _from_mapping(data, text, path)


@lru_cache(maxsize=None)
def discover(directory: Path) -> Config:
    """The nearest configuration at or above ``directory``; defaults when there is none."""
    for folder in (directory, *directory.parents):
        for name in CONFIG_NAMES:
            if (folder / name).is_file():
                return load_config(folder / name)
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and _pyproject_section(pyproject) is not None:
            return load_config(pyproject)
    return Config()
