"""Headings and sections: which lines are headings, and which role each section plays.

The roles and their aliases are declared in YAML (``section_roles`` in a rule pack); this module
only knows the shapes of heading lines that real letters use.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from poalint.reading.document import Block, Section
from poalint.recurring import kept_for_recurring

OPENING = "opening"
OTHER = "other"

_NUMBERING = re.compile(
    r"^\s*(?:#+\s*)?(?:(?i:step|part|section)\s+\w+\s*[:.)-]?\s*|\(?[0-9]{1,2}[.)]\s*|\(?[A-Ha-h][.)]\s+|[IVX]{1,4}[.)]\s+)"
)
_MARKUP = re.compile(r"[*_#=`~]+")
_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
#: "Root Cause: …"; not a template slot's own words ("[Insert root cause here. Example: …]").
_INLINE_HEADING = re.compile(r"^(?P<head>[^:\n\[\]]{3,60}):[ \t]+(?=\S)")
#: A run-in heading closed by a full stop ("Root cause. The account was opened …"): short, capitalised,
#: and a sentence follows.
_RUN_IN_HEADING = re.compile(r"^(?P<head>[A-Z][^.:\n]{2,40})\.[ \t]+(?=[A-Z\"“(])")
#: A run-in heading names a role ("Actions regarding the current issue."); it is not a sentence:
#: neither the seller's ("We took immediate actions.") nor one with a finite verb ("What went
#: wrong was simple.").
_RUN_IN_MAX_WORDS = 6
_PERSONAL = frozenset({"we", "i", "our", "my", "us", "me"})
_FINITE_BE_HAVE = frozenset({"is", "are", "was", "were", "has", "have", "had", "will", "would"})


def normalise_heading(text: str) -> str:
    text = _MARKUP.sub(" ", text)
    text = _NUMBERING.sub("", text)
    text = re.sub(r"\s+", " ", text).strip().rstrip(":.?!-– ").strip()
    return text.lower()


@dataclass(frozen=True)
class SectionRoles:
    """Role name → alias regexes, in declaration order (the first role that matches wins)."""

    roles: tuple[tuple[str, tuple[re.Pattern, ...]], ...] = ()

    def classify(self, heading: str) -> str:
        return _role_of(heading, self)

    def is_question_line(self, line: str) -> bool:
        """A line that is wholly one alias (Amazon's own question lines end with a full stop)."""
        norm = normalise_heading(line)
        return any(a.fullmatch(norm) for _, aliases in self.roles for a in aliases)


# Kept for recurring lines, as are the line tests below: letters kept together repeat their
# headings and lines (together about a third of reading a batch of such letters).
@kept_for_recurring
def _role_of(heading: str, roles: SectionRoles) -> str:
    norm = normalise_heading(heading)
    for role, aliases in roles.roles:
        if any(a.search(norm) for a in aliases):
            return role
    return OTHER


@kept_for_recurring
def looks_like_heading(line: str, roles: SectionRoles) -> bool:
    """Whether a line standing on its own is a plain-text heading."""
    stripped = line.strip()
    words = _WORD.findall(stripped)
    if not words or len(words) > 16 or any(c in stripped for c in "[]{}<>"):
        return False
    if roles.is_question_line(stripped):
        return True
    names_role = roles.classify(stripped) != OTHER
    # A lettered or numbered line that names a role and ends with a colon may run long: "B) What
    # we have done to prevent the problems from happening again in the future:"
    if names_role and stripped.endswith(":") and _NUMBERING.match(stripped):
        return True
    # A question on its own line that names a role is a form's heading: Seller Central's appeal form
    # asks "What is the root cause of the issue?" and the seller answers under it.
    if names_role and stripped.endswith("?"):
        return True
    if len(words) > 10 or stripped[-1] in ".!?,;":
        return False
    letters = [c for c in stripped if c.isalpha()]
    if len(letters) >= 4 and all(c.isupper() for c in letters):
        return True
    title_case = sum(w[0].isupper() or w.isdigit() for w in words) >= len(words) * 0.6
    if stripped.endswith(":"):
        return len(words) <= 8 and (title_case or names_role)
    # A numbered, Title Case or short capitalised line is a heading only when it names a role
    # ("Why it happened", "Description of the issues that caused the complaints"): otherwise it
    # is a list item or a sign-off ("Kind regards", "Brightwater Pet Supply").
    return names_role and (bool(_NUMBERING.match(stripped)) or (len(words) <= 8 and (title_case or stripped[0].isupper())))


@kept_for_recurring
def inline_heading_length(line: str, roles: SectionRoles) -> int:
    """Length of a leading "Root Cause: …" (or run-in "Root cause. …") label that names a role, or 0."""
    match = _INLINE_HEADING.match(line)
    if match and len(_WORD.findall(match["head"])) <= 6:
        return match.end("head") + 1 if roles.classify(match["head"]) != OTHER else 0
    match = _RUN_IN_HEADING.match(line)
    if match:
        words = [word.lower() for word in _WORD.findall(match["head"])]
        if (len(words) <= _RUN_IN_MAX_WORDS and not (_PERSONAL | _FINITE_BE_HAVE) & set(words)
                and roles.classify(match["head"]) != OTHER):
            return match.end("head") + 1
    return 0


def assign_sections(blocks: list[Block], roles: SectionRoles) -> tuple[list[Block], list[Section]]:
    """Number the sections that headings open and give each its role.

    A Markdown subheading that names no role stays in its parent's role.
    """
    sections = [Section(0, OPENING, "", None)]
    placed: list[Block] = []
    parent_level, parent_role = 0, OPENING
    for block in blocks:
        if block.kind == "heading":
            title = " ".join(block.text.split())
            role = roles.classify(block.text)
            if role != OTHER or not block.level or block.level <= parent_level:
                parent_level, parent_role = block.level, role
            else:
                role = parent_role
            sections.append(Section(len(sections), role, title, None))
            block = replace(block, section=len(sections) - 1)
            sections[-1] = replace(sections[-1], heading=block)
        else:
            block = replace(block, section=len(sections) - 1)
        placed.append(block)
    return placed, sections


_QUOTED = re.compile(r'"[^"\n]{1,400}"|“[^”]{1,400}”|(?<![\w’\'])[‘][^’]{1,400}’(?![\w])')


@kept_for_recurring
def _quotations(text: str) -> tuple[tuple[int, int], ...]:
    return tuple(m.span() for m in _QUOTED.finditer(text))


def quoted_spans(blocks: list[Block]) -> list[tuple[int, int]]:
    spans = []
    for block in blocks:
        if block.quoted:
            spans.append((block.start, block.end))
            continue
        spans.extend((block.start + start, block.start + end) for start, end in _quotations(block.text))
    return sorted(spans)
