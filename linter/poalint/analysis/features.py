"""Sentence analysis: who acts in a sentence, when, how specifically, in what tone, and where it
sits in the letter; and the YAML ``when:`` conditions that rules test them with
(docs/rule-language.md#when).

Features depend on a sentence's text alone, so they are worked out once per distinct block text
(kept on its BlockAnalysis) and only when a rule asks. The word lists are rules/features.yaml.
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

from poalint.analysis import actors, tense
from poalint.analysis.actors import Words
from poalint.analysis.dates import DATE
from poalint.analysis.lexicon import lexicon
from poalint.analysis.routine import routine_gap
from poalint.regex import compile_regex

if TYPE_CHECKING:
    from poalint.analysis.blocks import BlockAnalysis

ACTORS = (actors.SELLER, actors.THIRD_PARTY, actors.AMAZON, actors.NONE, actors.UNKNOWN)
TIMES = (tense.DONE, tense.PLANNED, tense.STANDING, tense.CONDITIONAL, "none")
ANCHORS = ("number", "date", "asin", "order-id", "amount", "percent", "owner", "frequency", "document")
POSITIONS = ("opening", "closing", "body")

_PATTERNS = {
    "asin": compile_regex(r"\bB0[A-Z0-9]{8}\b"),
    "order-id": compile_regex(r"\b\d{3}-\d{7}-\d{7}\b"),
    "date": compile_regex(DATE, ignore_case=True),
    "amount": compile_regex(r"[$£€]\s?\d|\b\d[\d,.]*\s?(?:usd|eur|gbp|dollars|euros|pounds|inr|rupees)\b", ignore_case=True),
    "percent": compile_regex(r"\d\s?(?:%|percent\b|per cent\b)", ignore_case=True),
    "number": compile_regex(r"\d"),
}
#: Seller roles that name everyone, not one who answers for a step ("our team will check
#: everything"): no owner unless a name goes with them.
_EVERYONE = frozenset({"team", "teams", "staff", "employees", "workers", "personnel", "crew", "colleagues", "department"})
#: An outline number that opens a line ("2.2 We have dealt with it", "3) …"): a place in the letter,
#: not a count of anything.
_OUTLINE_NUMBER = compile_regex(r"^\W*(?:\d{1,2}\.\d{1,2}(?:\.\d{1,2})*\.?|\d{1,2}[.)])\s+")
#: A list item or line that opens with a date and a colon or dash ("16 June 2025: stopped …"), or
#: with a date and the seller, whatever the tense ("2026-03-03 we change the handling time"): a
#: date at the head of a step that is not planned ("will") tells when it was done.
_DATED_ITEM = compile_regex(rf"^\W*(?:on\s+)?(?:{DATE})\s*(?:[:–—-]|,?\s+(?:we|i|our)\b)", ignore_case=True)
#: A line of a weekly calendar ("Monday – Carla checks …", "Fridays: …"): a frequency.
_CALENDAR_ITEM = compile_regex(r"^\W*(?:mon|tues|wednes|thurs|fri|satur|sun)days?\s*[:–—-]\s", ignore_case=True)
#: A period counted out, which a list of phrases cannot hold: "every 14 days", "every other week".
_PERIOD = compile_regex(r"\b(?:every|each)\s+(?:\d+|two|three|four|five|six|eight|ten|twelve|other|second|third)"
                        r"\s+(?:(?:business|working)\s+)?(?:hours?|days?|weeks?|months?|quarters?|years?)\b",
                        ignore_case=True)
#: A capitalised name beside a role: "Deniz Aydin, our purchasing manager" / "our manager, Deniz".
_NAMED = compile_regex(r"\b([A-Z][a-z]+)(?: [A-Z][a-z]+)?(?:,| \()\s*(?:our|my|the)\b|\b(?:our|my)\s+(?:\w+\s+){0,2}\w+,\s+([A-Z][a-z]+)")
#: Capitalised words that are no one's name: "On 3 May, the carrier …", "Monday, our …".
_NOT_NAMES = frozenset({"January", "February", "March", "April", "May", "June", "July", "August", "September",
                        "October", "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                        "Saturday", "Sunday", "Today", "Yesterday", "Then", "Now", "Also", "However", "Therefore",
                        "Meanwhile", "Finally", "First", "Second", "Third", "Next", "Afterwards", "Since", "Furthermore"})


@dataclass(frozen=True)
class SentenceFeatures:
    """What one sentence's text says about who acts, when, and how (docs/rule-language.md#when)."""

    actor: str
    time: str
    anchors: frozenset[str]
    negated: bool
    causal: bool
    hedged: bool
    evaluative: bool
    emotional: bool
    second_person: bool
    amazon_action: bool
    seller_failure: bool
    routine_gap: bool


@dataclass(frozen=True)
class Where:
    """Where a sentence sits in the letter."""

    heading: bool
    list_item: bool
    quoted: bool
    position: str  # "opening" | "closing" | "body"
    role: str      # the role of its section
    #: Every date of it falls before the letter's notice (Letter.notice_date): told outside the
    #: corrective section, the story of the failure ("On 18 November we moved our label printing").
    dated_before_notice: bool = False
    #: It also tells of a period ("we shipped 58 orders late between 3 and 14 May"): the story of
    #: the failure wherever it is told, not a step taken since.
    period_before_notice: bool = False


#: The yes/no facts about where a sentence sits (``Where``), not about its text.
WHERE_FLAGS = tuple(f.name for f in fields(Where) if f.type == "bool")
FLAGS = tuple(f.name for f in fields(SentenceFeatures) if f.type == "bool") + WHERE_FLAGS
KEYS = ("actor", "time", "anchors", "position", "role") + FLAGS + ("not",)
#: The keys about where a sentence sits (``Where``), not about its text.
WHERE_KEYS = ("position", "role") + WHERE_FLAGS


def sentence_features(analysis: "BlockAnalysis") -> list[SentenceFeatures]:
    """The features of each of ``analysis.sentences``, worked out once per block text."""
    if analysis.features is None:
        lists = lexicon()
        analysis.features = [features_of(Words.of(analysis.doc[s.start:s.end]), lists) for s in analysis.sentences]
    return analysis.features


def features_of(words: Words, lists) -> SentenceFeatures:
    text = words.span.text
    lower = words.lower
    facts = _OUTLINE_NUMBER.sub("", text, count=1)
    anchors = {name for name, pattern in _PATTERNS.items() if pattern.search(facts)}
    if lists["number-words"].found_in(lower):
        anchors.add("number")
    for name, vocabulary in (("frequency", "frequency"), ("document", "documents")):
        if lists[vocabulary].found_in(lower):
            anchors.add(name)
    if _CALENDAR_ITEM.search(text) or _PERIOD.search(text):
        anchors.add("frequency")
    if _named(text) or any({"our", "my"} & set(lower[max(0, i - 3):i]) and lower[i] not in _EVERYONE
                           for i, _ in lists["seller-roles"].spans(lower)):
        anchors.add("owner")
    who = actors.actor(words, lists)
    control = "frequency" in anchors or lists["triggers"].found_in(lower)
    negated = lists["negations"].found_in(lower)
    amazon_action = any(not lists["amazon-action-categories"].at(lower, start)
                        for start, _ in lists["amazon-actions"].spans(lower)) and (
        who in (actors.AMAZON, actors.NONE) or (lists["amazon"].found_in(lower) and who != actors.SELLER)
        or _agentless_amazon_passive(words, lists))
    when = tense.time(words, lists, bool(_DATED_ITEM.search(text)), control)
    return SentenceFeatures(
        actor=who,
        time=when,
        anchors=frozenset(anchors),
        negated=negated,
        causal=lists["causal"].found_in(lower),
        hedged=_hedged(lower, lists),
        evaluative=lists["evaluative"].found_in(lower),
        emotional=lists["emotional"].found_in(lower),
        second_person=any(w in ("you", "your", "yours", "yourself", "yourselves") for w in lower),
        amazon_action=amazon_action,
        seller_failure=_seller_failure(words, lists, who, amazon_action),
        routine_gap=not amazon_action and routine_gap(words, lists, who, when),
    )


#: Words that open an indirect question: a hedge inside one is not the writer's ("no one read the
#: terms to understand what the stock might contain").
_QUESTION_WORDS = frozenset({"what", "whether", "which", "how", "where", "why"})


def _hedged(lower: list[str], lists) -> bool:
    """Whether the sentence hedges: a hedge not inside an indirect question a few words before it."""
    return any(not _QUESTION_WORDS & set(lower[max(0, start - 4):start]) for start, _ in lists["hedges"].spans(lower))


#: What Amazon acts on: "my account suspended" is its act even without "was".
_ACCOUNTS = frozenset({"account", "accounts", "store", "shop", "privileges", "listing", "listings"})


def _agentless_amazon_passive(words: Words, lists) -> bool:
    """Whether a clause of the sentence is Amazon's act told as a passive with no agent, whoever
    the main clause is about ("he worked for a partner whose account was suspended in 2025")."""
    lower = words.lower
    for i in range(len(lower)):
        verb = actors.passive_at(words, i, lists)
        if verb is not None and lists["amazon-actions"].at(lower, verb) and "by" not in lower[verb + 1:verb + 3]:
            return True
        # its "was" left out after "and": "my listing was removed and my account suspended"
        if i and lower[i - 1] in _ACCOUNTS and lists["amazon-actions"].at(lower, i) and lower[i].endswith("ed"):
            return True
    return False


def _named(text: str) -> bool:
    """Whether the sentence names a person beside a role ("Deniz Aydin, our purchasing manager")."""
    return any((m.group(1) or m.group(2)) not in _NOT_NAMES for m in _NAMED.finditer(text))


def _seller_failure(words: Words, lists, who: str, amazon_action: bool) -> bool:
    """A failure is described and it is the seller's: not Amazon's action, not a third party's,
    not a product's intact state ("has never been opened")."""
    lower = words.lower
    if amazon_action or who in (actors.THIRD_PARTY, actors.AMAZON) or not lists["failure-words"].found_in(lower):
        return False
    for i in range(len(lower)):
        verb = actors.passive_at(words, i, lists)
        if verb is not None and lists["intact-states"].at(lower, verb) and lists["negations"].found_in(lower[:verb]):
            return False
    return not all(_remedied(lower, start, lists) for start, _ in lists["failure-words"].spans(lower))


#: Words that end a clause, for ``_remedied``; "and" ends one before a new subject.
_CLAUSE_BREAKS = frozenset({",", ";", ":", "but", "because", "so", "which", "while", "although", "though",
                            "since", "when", "after", "before", "until"})
_NEW_SUBJECTS = frozenset({"we", "i", "they", "he", "she", "it", "our", "my"})


def _remedied(lower: list[str], at: int, lists) -> bool:
    """Whether the failure word at ``at`` names what a remedy in its clause fixed: one earlier ("we
    closed all 19 duplicate ASINs", "destroyed the expired units") or, for a failure word before its
    noun, a sending earlier ("shipped all 31 late orders") or a remedy after ("the 6 lost parcels
    were reshipped"): then it is no failure."""
    before_noun = _before_its_noun(lower, at)
    for i in range(at - 1, -1, -1):
        if lower[i] in _CLAUSE_BREAKS or lower[i] == "and" and i + 1 < len(lower) and lower[i + 1] in _NEW_SUBJECTS:
            break
        if lists["remedy-verbs"].at(lower, i) or before_noun and lists["sending-verbs"].at(lower, i):
            return True
    if before_noun:
        for i in range(at + 1, len(lower)):
            if lower[i] in _CLAUSE_BREAKS or lower[i] == "and":
                break
            if lists["remedy-verbs"].at(lower, i):
                return True
    return False


def _before_its_noun(lower: list[str], at: int) -> bool:
    """Whether the word at ``at`` describes the word after it, after a determiner or a count: "the 6
    lost parcels", "all 31 late orders"; not "40 orders late", "the parcel lost in transit"."""
    if at == 0 or at + 1 >= len(lower):
        return False
    after = lower[at + 1]
    if not after.isalpha() or after in _CLAUSE_BREAKS or after in actors.PREPOSITIONS or after in actors.BE:
        return False
    return lower[at - 1] in actors.DETERMINERS or lower[at - 1][:1].isdigit()


@dataclass(frozen=True)
class Condition:
    """A rule's ``when:``: every key given must hold; a list means any of its values."""

    allowed: tuple[tuple[str, frozenset[str]], ...] = ()   # actor, time, position, role
    flags: tuple[tuple[str, bool], ...] = ()
    anchors: str | frozenset[str] | None = None            # "any", "none" or at least one of a set
    #: ``not:`` conditions none of which may hold ("not the carrier, negated": not exonerating it).
    unless: tuple["Condition", ...] = ()

    @classmethod
    def parse(cls, spec: dict) -> "Condition":
        """The condition of a ``when:`` mapping; a ValueError names the bad key or value."""
        if not isinstance(spec, dict):
            raise ValueError("`when` must be a mapping of feature to value")
        allowed, flags, anchors, unless = [], [], None, ()
        for key, value in spec.items():
            if key == "not":
                # one condition, or a list of them: the sentence may hold none
                unless = tuple(cls.parse(item) for item in (value if isinstance(value, list) else [value]))
                if not unless:
                    raise ValueError("when.not: empty list")
            elif key in FLAGS:
                if not isinstance(value, bool):
                    raise ValueError(f"when.{key}: expected true or false, got {value!r}")
                flags.append((key, value))
            elif key == "anchors":
                if value in ("any", "none"):
                    anchors = value
                else:
                    anchors = frozenset(_values(key, value, ANCHORS))
            elif key in ("actor", "time", "position", "role"):
                known = {"actor": ACTORS, "time": TIMES, "position": POSITIONS}.get(key)
                allowed.append((key, frozenset(_values(key, value, known))))
            else:
                raise ValueError(f"when: unknown key {key!r} (known: {', '.join(KEYS)})")
        return cls(tuple(allowed), tuple(flags), anchors, unless)

    def uses_where(self) -> bool:
        """Whether the condition tests where the sentence sits, not only its text."""
        keys = {key for key, _ in self.allowed} | {key for key, _ in self.flags}
        return bool(keys & set(WHERE_KEYS)) or any(other.uses_where() for other in self.unless)

    def holds(self, features: SentenceFeatures, where: Where | None) -> bool:
        if any(other.holds(features, where) for other in self.unless):
            return False
        for key, values in self.allowed:
            value = getattr(where, key) if key in ("position", "role") else getattr(features, key)
            if value not in values:
                return False
        for key, wanted in self.flags:
            value = getattr(where, key) if key in WHERE_FLAGS else getattr(features, key)
            if value != wanted:
                return False
        if self.anchors == "any":
            return bool(features.anchors)
        if self.anchors == "none":
            return not features.anchors
        return self.anchors is None or bool(features.anchors & self.anchors)


def _values(key: str, value, known: tuple[str, ...] | None) -> list[str]:
    """A ``when`` value as a list of strings, each one of ``known`` (roles are free names)."""
    values = value if isinstance(value, list) else [value]
    for item in values:
        if not isinstance(item, str) or (known is not None and item not in known):
            expected = ", ".join(known) if known else "a section role"
            raise ValueError(f"when.{key}: unknown value {item!r} (expected: {expected})")
    if not values:
        raise ValueError(f"when.{key}: empty list")
    return values
