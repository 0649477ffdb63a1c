"""Who acts in a sentence: from the parse on a trained pipeline, else from the words.

The lexical reading (the blank pipeline) takes the first subject-like cue of the main clause: a
leading "Because …," or "If …," is skipped; then the first of a seller pronoun ("we"), a
named seller role ("our warehouse team"), the seller in the third person ("the Seller"), a third
party ("the carrier"), Amazon ("Seller Performance"), an agentless passive ("were shipped late")
or an event nobody did ("errors occurred") decides. A cue after a preposition ("thank you",
"to our supplier") is an object, not a subject.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from poalint.analysis.lexicon import WordList, plain

if TYPE_CHECKING:
    from spacy.tokens import Span

SELLER, THIRD_PARTY, AMAZON, NONE, UNKNOWN = "seller", "third-party", "amazon", "none", "unknown"

#: The persons that open a clause as its subject: "we", "she".
PERSONS = frozenset({"we", "i", "he", "she", "they"})
BE = frozenset({"is", "are", "was", "were", "be", "been", "being", "get", "gets", "got", "'s", "'re"})
HAVE = frozenset({"have", "has", "had", "'ve", "'d"})
IN_BETWEEN = frozenset({"not", "n't", "never", "also", "all", "then", "just", "still", "always", "fully",
                        "already", "since", "immediately", "wrongly", "incorrectly", "mistakenly",
                        "erroneously", "accidentally", "properly", "correctly", "now", "only", "yet", "ever"})
#: Words that open a subordinate clause before the main clause, up to its comma.
_OPENERS = frozenset({"because", "since", "as", "if", "when", "after", "before", "although", "though", "while",
                      "unless", "once", "due", "until", "whenever", "following", "upon"})
#: Words that end a participle's phrase as a preposition does ("… was restricted and …").
_CONJUNCTIONS = frozenset({"and", "or", "but", "because", "so", "as", "since", "when", "while", "after", "before"})
#: Words after which a cue is an object, not a subject.
PREPOSITIONS = frozenset({"to", "for", "with", "from", "by", "of", "at", "on", "in", "about", "than", "thank",
                           "thanks", "into", "towards", "against", "via", "and", "or", "tell", "told", "asked",
                           "contacted", "informed", "ask", "contact", "inform", "that"})
DETERMINERS = frozenset({"our", "my", "the", "a", "an", "his", "her", "their", "its", "this", "that", "these",
                         "those", "one", "two", "all", "each", "every", "some", "any", "no", "new", "own"})
NOT_PARTICIPLES = frozenset({"need", "speed", "seed", "feed", "bed", "red", "shed", "hundred", "often", "even",
                             "open", "seven", "eleven", "ten", "kitchen", "garden", "golden", "wooden", "women",
                             "children", "sudden", "token", "chicken", "linen", "listen", "happen", "indeed"})
#: spaCy's dependency labels of subjects, passive subjects and agents.
_SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"})


@dataclass(frozen=True)
class Words:
    """A sentence's tokens as the analysis reads them."""

    lower: tuple[str, ...]   # lower case, straight apostrophes
    text: tuple[str, ...]
    lemma: tuple[str, ...]
    span: "Span"
    parsed: bool
    tagged: bool

    @classmethod
    def of(cls, span: "Span") -> "Words":
        doc = span.doc
        return cls(tuple(plain(t.text) for t in span), tuple(t.text for t in span), tuple(t.lemma_.lower() for t in span),
                   span, doc.has_annotation("DEP"), doc.has_annotation("TAG"))


def participle(words: Words, i: int, lists: dict[str, WordList]) -> bool:
    """Whether word ``i`` reads as a past participle (or a past tense form)."""
    word = words.lower[i]
    if words.tagged:
        return words.span[i].tag_ in ("VBN", "VBD")
    if not word.isalpha() or word in NOT_PARTICIPLES:
        return False
    return (len(word) > 3 and word.endswith(("ed", "en"))) or bool(lists["past-forms"].at(words.lower, i)) \
        or (words.lemma[i] != word and not word.endswith(("s", "ing", "er", "est", "ly")))


def passive_at(words: Words, i: int, lists: dict[str, WordList]) -> int | None:
    """The index of the participle when a be-form at ``i`` opens a passive, else None."""
    if words.lower[i] not in BE:
        return None
    j = i + 1
    while j < len(words.lower) and j <= i + 3 and words.lower[j] in IN_BETWEEN:
        j += 1
    if j >= len(words.lower) or words.lower[j] in IN_BETWEEN or not participle(words, j, lists):
        return None
    if words.lower[i] == "'s" and not words.tagged and (
            not _plain_participle(words, j, lists) or _noun_follows(words.lower, j + 1)):
        # "our client's second account", "Amazon's restricted products policy": a possessive,
        # unless a plain participle follows that ends its phrase ("the listing's removed from sale")
        return None
    return j


def _noun_follows(lower: tuple[str, ...], i: int) -> bool:
    """Whether word ``i`` goes on with a noun phrase: a word that is no preposition, conjunction or mark."""
    return i < len(lower) and lower[i].isalpha() and lower[i] not in PREPOSITIONS | _CONJUNCTIONS


def _plain_participle(words: Words, i: int, lists: dict[str, WordList]) -> bool:
    word = words.lower[i]
    return (len(word) > 3 and word.endswith(("ed", "en"))) or bool(lists["past-forms"].at(words.lower, i))


def classify(words: tuple[str, ...], lists: dict[str, WordList], start: int = 0, end: int | None = None) -> str:
    """Who a noun phrase (or the cue at its start) names: seller, third party, Amazon, or unknown."""
    end = len(words) if end is None else end
    for i in range(start, end):
        if lists["amazon"].at(words, i):
            return AMAZON
        if lists["third-parties"].at(words, i):
            return THIRD_PARTY
        if lists["seller-pronouns"].at(words, i) or lists["seller-names"].at(words, i) or words[i] in ("us", "our", "my"):
            # "our supplier" is the supplier: look on for a third party within the phrase.
            rest = classify(words, lists, i + 1, end) if words[i] in ("our", "my") else UNKNOWN
            return THIRD_PARTY if rest == THIRD_PARTY else SELLER
        if lists["seller-roles"].at(words, i) and any(w in DETERMINERS for w in words[max(0, i - 3):i]):
            return SELLER
    return UNKNOWN


#: Prepositions that open a sentence with a phrase of time or place ("On 3 May, …", "During the audit …").
_LEADING_PREPOSITIONS = frozenset({"on", "in", "during", "within", "by", "from", "at", "over", "throughout", "between"})


def _main_clause_start(words: Words) -> int:
    """Where the main clause starts, past a leading subordinate clause or phrase of time or place."""
    lower = words.lower
    if not lower or lower[0] not in _OPENERS | _LEADING_PREPOSITIONS:
        return 0
    if "," in lower[:14]:
        return lower.index(",") + 1
    # No comma ("After the notice we removed …"): the main clause starts at the seller's pronoun.
    return next((j for j in range(2, min(10, len(lower))) if lower[j] in ("we", "i")), 0)


def _agent(words: Words, verb: int, lists: dict[str, WordList]) -> str | None:
    """Who a passive's "by …" names (not "by mistake", "by 3 May", nor "by hand from the
    carrier's receipts": the phrase ends at the next preposition), or None."""
    lower = words.lower
    for j in range(verb + 1, min(verb + 6, len(lower) - 1)):
        if lower[j] == "by":
            end = next((k for k in range(j + 1, min(j + 5, len(lower))) if lower[k] in PREPOSITIONS), min(j + 5, len(lower)))
            who = classify(lower, lists, j + 1, end)
            if who != UNKNOWN:
                return who
    return None


#: A feeling the seller states about itself ("we are deeply sorry"): no act, so no actor.
_FEELINGS = frozenset({"sorry", "ashamed", "apologetic", "embarrassed", "regretful", "grateful", "thankful",
                       "sad", "upset", "disappointed", "devastated"})
_FEELING_VERBS = frozenset({"am", "are", "is", "was", "were", "'m", "'re", "feel", "felt"})


def _feels_at(lower: tuple[str, ...], i: int) -> bool:
    """Whether ``lower[i:]`` opens with a be-verb and a feeling, adverbs between ("are very sorry")."""
    if i >= len(lower) or lower[i] not in _FEELING_VERBS:
        return False
    j = i + 1
    while j < len(lower) - 1 and (lower[j].endswith("ly") or lower[j] in ("very", "so", "deeply")):
        j += 1
    return j < len(lower) and lower[j] in _FEELINGS


#: Verbs by which the seller reports or owns a fact told in the clause after "that".
_REPORTING = frozenset({"acknowledge", "acknowledges", "acknowledged", "accept", "accepts", "accepted", "admit",
                        "admits", "admitted", "recognise", "recognises", "recognised", "recognize", "recognizes",
                        "recognized", "realise", "realised", "realize", "realized", "found", "discovered",
                        "confirm", "confirms", "confirmed", "note", "notes", "noted", "regret", "regrets",
                        "understand", "understands", "understood", "find", "finds", "determined",
                        "identified", "concluded", "established"})
#: What a reporting verb may report besides a "that" clause: "we find the root cause is: …".
_REPORTED_CAUSES = frozenset({"cause", "causes", "reason", "reasons", "root", "problem", "issue"})


def _reports_at(lower: tuple[str, ...], i: int) -> bool:
    """Whether ``lower[i:]`` opens with a reporting verb and "that" ("acknowledges that", "have
    found that") or a cause it reports ("we find the root cause is …")."""
    while i < len(lower) - 1 and lower[i] in HAVE | {"also", "now", "fully", "sincerely", "deeply", "hereby"}:
        i += 1
    if i >= len(lower) - 1 or lower[i] not in _REPORTING:
        return False
    return lower[i + 1] == "that" or (lower[i + 1] == "the" and i + 2 < len(lower) and lower[i + 2] in _REPORTED_CAUSES)


def lexical_actor(words: Words, lists: dict[str, WordList]) -> str:
    lower = words.lower
    for i in range(_main_clause_start(words), len(lower)):
        if i and lower[i - 1] in PREPOSITIONS:
            continue
        verb = passive_at(words, i, lists)
        if verb is not None:
            agent = _agent(words, verb, lists)
            return agent or (AMAZON if lists["amazon-actions"].at(lower, verb) else NONE)
        if lists["happen-verbs"].at(lower, i):
            return NONE
        if lower[i] in ("our", "my"):
            # "our supplier" is a third party, "our packer" the seller; "our listing was
            # deactivated" is decided by its passive, and "our old process let …" is the seller's.
            phrase = classify(lower, lists, i, min(i + 5, len(lower)))
            if phrase == THIRD_PARTY or phrase == SELLER and lists["seller-roles"].found_in(lower[i + 1:i + 5]):
                return phrase
            if not any(passive_at(words, j, lists) is not None for j in range(i + 1, min(i + 6, len(lower)))):
                return SELLER
            continue
        who = classify(lower, lists, i, i + 1)
        if who == SELLER and _feels_at(lower, i + 1):
            continue  # "We are very sorry and mistakes were made": the apology acts on nothing
        if who == SELLER and any(_reports_at(lower, k) for k in range(i + 1, i + 4)):
            continue  # "The Seller acknowledges that images were uploaded …": who acted is in the clause
        if who == SELLER and "'s" in lower[i + 1:i + 3] and \
                any(passive_at(words, j, lists) is not None for j in range(i + 2, min(i + 8, len(lower)))):
            continue  # "the Seller's stock rotation was not maintained", as "our … was not maintained"
        if who != UNKNOWN:
            # "Supplier invoices were never checked": the cue is part of a passive's subject.
            if any(passive_at(words, j, lists) is not None for j in range(i + 1, min(i + 5, len(lower)))):
                continue
            return who
        if lists["seller-roles"].at(lower, i) and any(w in DETERMINERS for w in lower[max(0, i - 3):i]):
            return THIRD_PARTY if classify(lower, lists, max(0, i - 3), i) == THIRD_PARTY else SELLER
    return UNKNOWN


def root_of(words: Words):
    return next((t for t in words.span if t.dep_ == "ROOT"), None)


def parsed_actor(words: Words, lists: dict[str, WordList]) -> str:
    """The actor from the root verb's subject, or its agent when it is passive."""
    root = root_of(words)
    if root is None:
        return lexical_actor(words, lists)
    if any(c.dep_ == "acomp" and plain(c.text) in _FEELINGS for c in root.children):
        # "We are deeply sorry, and errors were made": the apology acts on nothing; its conjunct does
        root = next((c for c in root.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX")), None)
        if root is None:
            return lexical_actor(words, lists)
    clause = next((c for c in root.children if c.dep_ == "ccomp" and any(
        m.lower_ == "that" or m.dep_ in _SUBJECTS and plain(m.text) in _REPORTED_CAUSES for m in c.children)), None)
    if plain(root.text) in _REPORTING and clause is not None:
        # "The Seller acknowledges that photos were posted", "we find the cause is: …": who acted
        # is in the clause
        root = clause
    subjects = [c for c in root.children if c.dep_ in _SUBJECTS]
    agent = next((c for c in root.children if c.dep_ == "agent"), None)
    if agent is not None:
        who = classify(tuple(plain(t.text) for t in agent.subtree), lists)
        if who != UNKNOWN:
            return who
    if not subjects:
        return lexical_actor(words, lists)
    subject = subjects[0]
    phrase = tuple(plain(t.text) for t in subject.subtree)
    if subject.dep_ == "nsubjpass":
        who = classify(phrase, lists)
        if who == SELLER and phrase[0] in ("we", "i"):
            return SELLER  # "we were told", "I was never informed"
        return AMAZON if lists["amazon-actions"].by_first.get(plain(root.text)) else NONE
    if subject.dep_ == "expl":
        return UNKNOWN
    who = classify(phrase, lists)
    if who == UNKNOWN and plain(root.text) in lists["happen-verbs"].by_first:
        return NONE
    # A subject that names nobody ("the fault was ours") leaves it to the words of the sentence.
    return who if who != UNKNOWN else lexical_actor(words, lists)


def actor(words: Words, lists: dict[str, WordList]) -> str:
    return parsed_actor(words, lists) if words.parsed else lexical_actor(words, lists)
