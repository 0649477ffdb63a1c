"""Suspension reasons: what each one is, the words that show a letter is about it, and which
reasons a letter is about (docs/reasons.md).

A reason is declared once, in the `reason:` mapping of its pack (rules/reasons/<id>.yaml), with
two kinds of marker: `names`, the words Amazon's notice and sellers use for the reason itself
("late shipment rate", "counterfeit"), and `signs`, the words of its subject matter ("carrier",
"handling time"; "invoice", "authorised distributor"). A letter is about a reason when it names
it in its opening, or names it more than once and shows its signs; the rules of the reason's pack
(`reason: <id>`) run only on such letters, or on those the user declares (--reason, front matter).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice
from typing import NamedTuple

from poalint.regex import ExpressionSet

#: How a letter's reasons may be asked for, in order of precedence (Linter.lint's ``reasons``).
ASKED_BY = ("set by --reason", "front matter")
#: The words of a letter that make its opening (a title, a subject line, the first paragraph).
OPENING_WORDS = 150
#: Points: a name in the opening, each further mention of a name (up to NAME_MENTIONS), each
#: distinct sign (up to SIGNS). A reason needs CONFIDENT points, and at least SHARE of the best
#: reason's, to be reported.
NAMED_IN_OPENING, NAME_MENTION, NAME_MENTIONS, SIGN, SIGNS = 4, 1, 3, 0.5, 4
CONFIDENT, SHARE = 3, 0.75
#: The most of a marker's match a report quotes.
_QUOTED = 40
#: A template's instruction that lists cases as examples ("[describe the issue, e.g. late
#: shipments or counterfeit complaints]", "(for example: an Order Defect Rate above 1%)"): a
#: bracket or a parenthesis, over lines but not paragraphs, holding an example cue. The cases it
#: lists are not the letter's own. (Spans first, then the cue: one pattern for both backtracks
#: quadratically on an unclosed bracket full of cues.)
_ENCLOSED = re.compile(r"\[(?:[^\[\]\n]|\n(?![ \t]*\n))*\]|\((?:[^()\n]|\n(?![ \t]*\n))*\)")
_EXAMPLE_CUE = re.compile(r"\b(?:e\.\s?g\b|for example|for instance|such as|examples?\b)", re.IGNORECASE)


def opening(source: str, words: int) -> str:
    """The text up to the end of its ``words``-th word, line breaks kept (a title is a line)."""
    last = None
    for last in islice(re.finditer(r"\S+", source), words):
        pass
    return source[:last.end()] if last else ""


@dataclass(frozen=True)
class Reason:
    """One suspension reason, as its pack declares it."""

    id: str
    name: str
    #: What the investigator looks for first in a letter about this reason.
    asks: str
    names: tuple[str, ...]
    signs: tuple[str, ...]
    path: str
    #: (section role, example) pairs: what a section rule with `reason_examples` suggests to a
    #: letter about this reason.
    examples: tuple[tuple[str, str], ...] = ()

    @classmethod
    def parse(cls, spec: dict, path: str) -> "Reason":
        return cls(spec["id"], spec["name"], " ".join(spec["asks"].split()), tuple(spec["names"]),
                   tuple(spec.get("signs", ())), path, tuple(spec.get("examples", {}).items()))

    def example(self, role: str) -> str | None:
        return dict(self.examples).get(role)

    def evidence(self, source: bytes, start: bytes, names: list, signs: int) -> tuple[float, str]:
        """Points for the letter ``source`` (whose opening is ``start``), both UTF-8, in which
        ``names`` (compiled) of the reason's names occur and ``signs`` of its signs; and what
        earned them."""
        in_opening = next((m for m in (p.search(start) for p in names) if m), None)
        mentions = sum(len(p.findall(source)) for p in names)
        points = (NAMED_IN_OPENING if in_opening else 0) + NAME_MENTION * min(mentions - bool(in_opening), NAME_MENTIONS) \
            + SIGN * min(signs, SIGNS)
        if in_opening:
            said = f"names it in its opening (“{quoted(_text(in_opening))}”)"
        elif mentions:
            first = next(m for m in (p.search(source) for p in names) if m)
            said = f"names it {_times(mentions)} (“{quoted(_text(first))}”)"
        else:
            said = "shows only its signs"
        return points, said + (f" and shows {signs} of its signs" if signs else "")


class Markers:
    """The names and signs of every reason, searched for in a letter at once
    (poalint.regex.ExpressionSet): a letter holds few of them."""

    def __init__(self, reasons: dict[str, Reason]):
        self.reasons = reasons
        #: (reason id, "names" or "signs") of each expression, in the order given to the set.
        self._owners = [(reason.id, kind) for reason in reasons.values() for kind in ("names", "signs")
                        for _ in getattr(reason, kind)]
        self._set = ExpressionSet([expression for reason in reasons.values() for kind in ("names", "signs")
                                   for expression in getattr(reason, kind)], ignore_case=True)

    def evidence(self, source: bytes, start: bytes) -> list[tuple[float, str, str]]:
        """(points, what earned them, reason id) for each reason with a marker in ``source``."""
        names: dict[str, list] = {}
        signs: dict[str, int] = {}
        for index in sorted(self._set.found(source)):
            reason, kind = self._owners[index]
            if kind == "names":
                names.setdefault(reason, []).append(self._set.compiled[index])
            else:
                signs[reason] = signs.get(reason, 0) + 1
        return [(*self.reasons[rid].evidence(source, start, names.get(rid, []), signs.get(rid, 0)), rid)
                for rid in self.reasons if rid in names or rid in signs]


def _text(match) -> str:
    """The words a match in UTF-8 found."""
    return match.group(0).decode("utf-8", "surrogatepass")


class LetterReasons(NamedTuple):
    """The reasons a letter is about (most likely first; none when unsure), and why."""

    ids: tuple[str, ...]
    source: str


def own_words(source: str) -> str:
    """The letter with its example-giving instructions blanked (same length, lines kept)."""
    def blank(match: re.Match) -> str:
        return re.sub(r"[^\n]", " ", match.group(0)) if _EXAMPLE_CUE.search(match.group(0)) else match.group(0)
    return _ENCLOSED.sub(blank, source)


def detect(markers: Markers, source: str) -> LetterReasons:
    """The reasons the letter's own words show it is about, or none when no reason is clear."""
    source = own_words(source)
    # Encoded once: the re2 module encodes a str to UTF-8 on every search. (It would also
    # rebuild a str subclass, LetterText, and fail.)
    start = opening(source, OPENING_WORDS).encode("utf-8", "surrogatepass")
    scored = sorted(markers.evidence(source.encode("utf-8", "surrogatepass"), start), key=lambda scored: -scored[0])
    if not scored or scored[0][0] < CONFIDENT:
        return LetterReasons((), "detected: no reason is named clearly enough")
    best = scored[0][0]
    chosen = [(points, said, rid) for points, said, rid in scored if points >= max(CONFIDENT, SHARE * best)]
    if len(chosen) == 1:
        return LetterReasons((chosen[0][2],), f"detected: {chosen[0][1]}")
    return LetterReasons(tuple(rid for _, _, rid in chosen),
                         "detected: " + "; ".join(f"{rid} {said}" for _, said, rid in chosen))


def letter_reasons(markers: Markers, source: str, *asked: tuple[str, ...] | None) -> LetterReasons:
    """The reasons a letter is linted for: the first asked for (ASKED_BY order), else detected."""
    for where, ids in zip(ASKED_BY, asked):
        if ids:
            return LetterReasons(tuple(dict.fromkeys(ids)), where)
    return detect(markers, source)


def quoted(text: str, most: int = _QUOTED) -> str:
    """Matched words as a report quotes them: on one line, cut to ``most`` characters."""
    words = " ".join(text.split())
    return words if len(words) <= most else words[:most - 1] + "…"


def _times(count: int) -> str:
    return {1: "once", 2: "twice"}.get(count, f"{count} times")
