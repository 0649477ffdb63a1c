"""The docs hold current facts: every link and repository file name in README.md and docs/ points
at something that exists, and every built-in rule cites the project's own POA guide."""
from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from conftest import ROOT
from poalint.config import Config
from poalint.rules.ruleset import load_ruleset

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
GUIDE = ROOT / "docs" / "poa-guide.md"
_FENCE = re.compile(r"^(```|~~~).*?^\1", re.M | re.S)
_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
_CODE = re.compile(r"`([^`\n]+)`")
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.M)
_HTML_ANCHOR = re.compile(r"<a\s+(?:id|name)=\"([^\"]+)\"")


def _prose(path: Path) -> str:
    """The page without its fenced code blocks (their text is a program's, not the page's)."""
    return _FENCE.sub("", path.read_text("utf-8"))


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, markup and punctuation dropped, spaces to hyphens."""
    text = re.sub(r"`|\*\*|__|\[([^\]]*)\]\([^)]*\)", r"\1", heading).lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


@cache
def _anchors(path: Path) -> frozenset[str]:
    text = _prose(path)
    seen: dict[str, int] = {}
    anchors = set(_HTML_ANCHOR.findall(text))
    for heading in _HEADING.findall(text):
        slug = _slug(heading)
        anchors.add(f"{slug}-{seen[slug]}" if slug in seen else slug)
        seen[slug] = seen.get(slug, 0) + 1
    return frozenset(anchors)


def _missing(target: str, base: Path) -> str | None:
    """Why ``target`` (a path, maybe with #anchor, relative to ``base``) points at nothing, or None."""
    path_part, _, anchor = target.partition("#")
    path = (base / path_part).resolve() if path_part else None
    if path is not None and not path.exists():
        return f"{target}: no such file"
    page = path if path is not None else None
    if anchor and (page is None or page.suffix == ".md") and anchor not in _anchors(page or base):
        return f"{target}: no heading with the anchor #{anchor}"
    return None


def _is_url(target: str) -> bool:
    return re.match(r"[a-z][a-z0-9+.-]*:", target) is not None


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_points_at_a_file_and_heading_that_exist(doc):
    problems = []
    for target in _LINK.findall(_prose(doc)):
        if _is_url(target):
            continue
        if target.startswith("#"):
            problem = None if target[1:] in _anchors(doc) else f"{target}: no heading with this anchor"
        else:
            problem = _missing(target, doc.parent)
        if problem:
            problems.append(problem)
    assert not problems, problems


#: Backticked text that names a file of the repository: a path under one of its top-level folders.
_TOP_LEVEL = sorted(p.name for p in ROOT.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
_REPO_PATH = re.compile(rf"^(?:{'|'.join(map(re.escape, _TOP_LEVEL))})/[\w./-]*[\w/](?:#[\w-]+)?$")


#: Folders a run writes into (.gitignore's entries that are paths): what a page names there is output.
_WRITTEN = tuple(line.strip() for line in (ROOT / ".gitignore").read_text("utf-8").splitlines()
                 if "/" in line.strip()[:-1] and not line.startswith("#"))


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_repository_file_named_in_backticks_exists(doc):
    named = [code for code in _CODE.findall(_prose(doc)) if _REPO_PATH.match(code) and not code.startswith(_WRITTEN)]
    problems = [problem for code in named if (problem := _missing(code, ROOT))]
    assert not problems, problems


def test_the_checks_see_the_links_and_file_names_they_are_meant_to():
    """The patterns find what the pages hold: a link with an anchor, and a backticked path."""
    cli = _prose(ROOT / "docs" / "cli.md")
    assert any("#" in target and not _is_url(target) for target in _LINK.findall(cli))
    assert any(_REPO_PATH.match(code) for doc in DOCS for code in _CODE.findall(_prose(doc)))
    assert _missing("docs/no-such-page.md", ROOT) and _missing("docs/poa-guide.md#no-such-heading", ROOT)
    assert _missing("docs/poa-guide.md#root-cause", ROOT) is None


_CITATION = re.compile(r"See (docs/poa-guide\.md#([\w-]+))\.$")


@pytest.mark.parametrize("rule", load_ruleset(Config()).rules, ids=lambda r: r.id)
def test_every_builtin_rule_cites_a_section_of_the_poa_guide_at_the_end(rule):
    description = " ".join(rule.description.split())
    cited = _CITATION.search(description)
    assert cited, f"{rule.id}: the description should end with 'See docs/poa-guide.md#section.'"
    assert cited.group(2) in _anchors(GUIDE), f"{rule.id}: {cited.group(1)} is not a heading of the guide"
    assert "poa-guide" not in rule.summary and "POA-DOMAIN" not in description


def test_nothing_cites_a_file_that_is_not_shipped():
    """POA-DOMAIN.md was a working note outside the repository; the guide replaced it."""
    shipped = [*DOCS, *(ROOT / "rules").rglob("*.yaml"), *(ROOT / "linter" / "poalint").rglob("*.json"),
               *(ROOT / "linter" / "poalint").rglob("*.py")]
    citing = [str(p.relative_to(ROOT)) for p in shipped if "POA-DOMAIN" in p.read_text("utf-8")]
    assert not citing, citing


def test_the_json_contract_lists_every_built_in_rule_id():
    """docs/json-output.md's table of built-in ids is the contract tools branch on: it names
    every rule the built-in packs define, and no other."""
    text = (ROOT / "docs" / "json-output.md").read_text("utf-8")
    table = text.split("## Built-in rule ids", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"`([a-z]+(?:-[a-z]+)+)`", table))
    defined = {rule.id for rule in load_ruleset(Config()).rules}
    assert listed == defined
