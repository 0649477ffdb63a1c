"""Configuration: `.poalint.yaml` (found by walking up from the checked file) or `[tool.poalint]`."""
from __future__ import annotations

import dataclasses
import os
import stat
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from poalint.errors import PoalintError
from poalint.escaping import printable
from poalint.settings import load_yaml, read_text, validate

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
    #: Configuration files found on the way up but not trusted (see discover): one warning each.
    ignored: tuple[str, ...] = field(default=(), hash=False, compare=False)

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


_TOML_TYPES = {bool: "a boolean", int: "an integer", float: "a float", str: "a string", list: "an array"}


def _pyproject_section(path: Path) -> dict | None:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib

    try:
        data = tomllib.loads(read_text(path, "configuration file"))
    except tomllib.TOMLDecodeError as exc:
        raise PoalintError(f"cannot read pyproject.toml: {exc}", path=str(path)) from None
    # `tool` must be a table (PEP 518): a pyproject.toml that breaks that is broken for every tool,
    # so it is an error, as a TOML syntax error is, rather than a file silently passed over.
    tool = data.get("tool", {})
    if not isinstance(tool, dict):
        raise PoalintError(f"must be a table, not {_TOML_TYPES.get(type(tool), 'a date or time')}", path=str(path),
                           key="tool")
    return tool.get("poalint")


def load_config(path: Path) -> Config:
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


def distrust(path: Path) -> str | None:
    """Why a configuration file found by walking up the folders may have been put there by another
    user, as git's "dubious ownership" check asks (None: it may be trusted).

    It is owned by someone other than this user or root; or its folder is writable by every user
    and lacks the sticky bit, so anyone may replace it. In a sticky shared folder such as /tmp,
    another user can only add files of their own, which the owner check catches."""
    if not hasattr(os, "geteuid"):  # Windows: no owners or modes to go by
        return None
    owner = path.stat().st_uid
    if owner not in (0, os.geteuid()):
        return f"owned by another user (uid {owner})"
    mode = path.parent.stat().st_mode
    if mode & stat.S_IWOTH and not mode & stat.S_ISVTX:
        return "its folder is writable by every user"
    return None


@lru_cache(maxsize=None)
def discover(directory: Path) -> Config:
    """The nearest configuration at or above ``directory`` that may be trusted (see distrust);
    defaults when there is none. The ones passed over are listed in ``Config.ignored``."""
    ignored: list[str] = []
    for folder in (directory, *directory.parents):
        candidates = [folder / name for name in CONFIG_NAMES] + [folder / "pyproject.toml"]
        for candidate in candidates:
            if not candidate.is_file():
                continue
            reason = distrust(candidate)
            if reason:
                ignored.append(f"{printable(str(candidate))}: ignored: {reason}")
                continue
            if candidate.name == "pyproject.toml" and _pyproject_section(candidate) is None:
                continue
            return dataclasses.replace(load_config(candidate), ignored=tuple(ignored))
    return Config(ignored=tuple(ignored))
