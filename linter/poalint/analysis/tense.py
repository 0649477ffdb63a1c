"""When a sentence's action is: done (past tense, present perfect, a dated item), planned, a
standing control, conditional, or none; from the tags on a trained pipeline, else from the words
(poalint.analysis.actors reads who acts)."""
from __future__ import annotations

from poalint.analysis.actors import BE, DETERMINERS, HAVE, IN_BETWEEN, NOT_PARTICIPLES, PERSONS, Words, participle, root_of
from poalint.analysis.lexicon import WordList, plain

DONE, PLANNED, STANDING, CONDITIONAL = "done", "planned", "standing", "conditional"


def time(words: Words, lists: dict[str, WordList], dated_item: bool, control: bool) -> str:
    """When the sentence's action is: planned, done, a standing control, conditional, or none.

    ``dated_item``: the sentence opens with a date and a colon ("16 June 2025: stopped …");
    ``control``: it names a frequency or a trigger ("every Monday", "before each parcel …")."""
    lower = words.lower
    if _planned(lower, lists) or _tagged_future(words):
        return PLANNED
    hypothetical = any(w in ("would", "could", "might") for w in lower) and "have" in lower
    if hypothetical:
        return CONDITIONAL
    if control and _present_habit(words, lists):
        return STANDING
    if dated_item or _past(words, lists):
        return DONE
    if control:
        return STANDING
    if lists["conditions"].found_in(lower):
        return CONDITIONAL
    return "none"


#: A present "be": a participle after it is a present passive ("is kept", "are now checked"), a
#: standing process, not a step done.
_PRESENT_BE = frozenset({"is", "are", "am", "be", "being", "'s", "'re", "'m"})


def _after_present_be(lower: tuple[str, ...], i: int) -> bool:
    j = i - 1
    while j >= 0 and lower[j] in IN_BETWEEN:
        j -= 1
    return j >= 0 and lower[j] in _PRESENT_BE


def _planned(lower: tuple[str, ...], lists: dict[str, WordList]) -> bool:
    """A plan ("we will …", "going to check"), not a movement ("messages were going to an old inbox")."""
    for start, end in lists["planned"].spans(lower):
        if lower[start:end] != ("going", "to") or end == len(lower) or lower[end] not in DETERMINERS:
            return True
    return False


def _tagged_future(words: Words) -> bool:
    return words.tagged and any(t.tag_ == "MD" and t.lemma_.lower() in ("will", "shall") for t in words.span)


#: Words that are no present verb after a subject: auxiliaries and modals ("we have checked").
_NOT_PRESENT_VERBS = BE | HAVE | frozenset({"did", "do", "does", "would", "could", "should", "might", "must",
                                            "can", "may"})


#: Verbs whose past is spelt as their present: "in 2023 we put a one-day handling time on …".
_PAST_AS_PRESENT = frozenset({"put", "set", "cut", "let", "hit", "read", "shut", "cost", "spread", "quit", "split",
                              "upset", "hurt"})


def _present_habit(words: Words, lists: dict[str, WordList]) -> bool:
    """Whether a person's present verb heads the control: "Each Friday I check 20 shipped orders to
    confirm they left with our label" is a habit, whatever past forms its objects hold."""
    lower = words.lower
    for i, word in enumerate(lower[:-1]):
        if word in BE or word in HAVE or lists["past-forms"].at(lower, i):
            return False  # a verb before the person: the person is not the control's subject
        role = lists["seller-roles"].at(lower, i) if {"our", "my"} & set(lower[max(0, i - 3):i]) else 0
        if role:  # "Our packer, Li Wei, checks …": one of the seller's people, named or not, as the subject
            j = i + role
            while j < len(lower) and (more := lists["seller-roles"].at(lower, j)):  # "our shift lead"
                j += more
            return _third_person_present(words, _after_apposition(lower, j))
        if word in ("he", "she"):  # "she checks"; "he put" is past
            return _third_person_present(words, i + 1)
        if word in PERSONS:  # a subject whose present verb, beside a frequency or a trigger, tells a habit
            j = _skip_in_between(lower, i + 1)  # "we also check", "I now compare"
            verb = lower[j]
            if not verb.isalpha() or verb in _NOT_PRESENT_VERBS or lists["past-forms"].at(lower, j):
                return False
            return words.lemma[j] == verb and verb not in _PAST_AS_PRESENT and not verb.endswith("ed")
    return False


def _skip_in_between(lower: tuple[str, ...], j: int) -> int:
    """The index of the first word from ``j`` that is not an adverb or negation between a subject or
    auxiliary and its verb ("we also check", "has not been"), stopping at the last word."""
    while j < len(lower) - 1 and lower[j] in IN_BETWEEN:
        j += 1
    return j


#: The most words a name or a description between commas after a role may have ("our packer, Li Wei, …").
_APPOSITION = 6


def _after_apposition(lower: tuple[str, ...], j: int) -> int:
    """The index after a name set off by commas at ``j`` ("…, Li Wei, checks"), else ``j``."""
    if j < len(lower) and lower[j] == ",":
        close = next((k for k in range(j + 1, min(j + 1 + _APPOSITION, len(lower))) if lower[k] == ","), None)
        return close + 1 if close is not None else len(lower)
    return j


def _third_person_present(words: Words, j: int) -> bool:
    """Whether the word at ``j`` (after any "also", "now" …) is a third person's present verb: "checks", not "checked"."""
    lower = words.lower
    if j >= len(lower):
        return False
    j = _skip_in_between(lower, j)
    verb = lower[j]
    return verb.isalpha() and verb not in _NOT_PRESENT_VERBS and verb.endswith("s") and words.lemma[j] != verb


#: Who may precede "not" before a past form: then "not shipped" is a verb ("we not shipped", "were not
#: shipped"), not a noun's description ("any order not shipped within 20 hours").
_SUBJECTS_AND_AUXILIARIES = BE | HAVE | frozenset({"we", "i", "they", "he", "she", "it", "did", "does", "do"})


def _reduced_relative(lower: tuple[str, ...], i: int) -> bool:
    """Whether the past form at ``i`` describes the noun before "not" ("orders not shipped")."""
    return i >= 2 and lower[i - 1] in ("not", "never") and lower[i - 2] not in _SUBJECTS_AND_AUXILIARIES


def _past(words: Words, lists: dict[str, WordList]) -> bool:
    """Past tense or present perfect in the main clause."""
    if words.tagged:
        root = root_of(words) if words.parsed else None
        if root is not None:
            # "… is kept in a cage, and we moved 40 units there": a past clause joined to the main one
            if root.tag_ == "VBD" or any(c.dep_ == "conj" and c.tag_ == "VBD" for c in root.children):
                return True
            auxiliaries = {plain(c.text) for c in root.children if c.dep_ in ("aux", "auxpass")}
            # "have always …": a habit (below)
            habit = bool(auxiliaries & HAVE) and any(c.lower_ == "always" for c in root.children)
            return root.tag_ == "VBN" and bool(auxiliaries & (HAVE | {"was", "were"})) and not habit
        return any(t.tag_ == "VBD" for t in words.span)
    lower = words.lower
    # A perfect after a trigger is the control's condition: "until every unit has been scanned".
    triggered = lists["triggers"].first(lower)
    present_passive = False  # "stock is kept …", "text is written by our team and checked by …"
    for i, word in enumerate(lower):
        if _after_present_be(lower, i) or present_passive and i and lower[i - 1] in ("and", "or", ","):
            present_passive = present_passive or participle(words, i, lists)
            continue
        if word in HAVE and i + 1 < len(lower) and (triggered is None or i < triggered):
            j = _skip_in_between(lower, i + 1)
            if (lower[j] == "been" or participle(words, j, lists)) and "always" not in lower[i + 1:j]:
                return True
        if i >= 2 and lower[i - 1] == "always" and lower[i - 2] in HAVE:
            continue  # a perfect with "always" tells of a habit or a record ("we have always tried …"), not a step
        # ("… with 9 months of shelf life left.": what remains, not a departure)
        if lists["past-forms"].at(lower, i) and word not in ("had",) \
                and not (i and (lower[i - 1] in _ARTICLES or lower[i - 1] in _BEFORE_A_DESCRIBED_NOUN)) \
                and not (word == "left" and (i + 1 == len(lower) or not lower[i + 1].isalpha())):
            return True
        if len(word) > 4 and word.endswith("ed") and word not in NOT_PARTICIPLES and words.lemma[i] != word \
                and (_past_clause(lower, i, present_passive) if i else _opening_verb(lower)):
            return True
    return False


#: Words after which an irregular past form describes the noun after it ("a paid invoice", "our sold
#: stock"); after "this", "all" or a number it may be the verb ("this was", "all 40 went out").
_ARTICLES = frozenset({"a", "an", "the", "our", "my", "his", "her", "their", "its", "your"})
#: Prepositions before which an "-ed" word describes the noun after it: "the list of flagged offers".
_BEFORE_A_DESCRIBED_NOUN = frozenset({"of", "with", "for", "from", "in", "on", "at", "about", "into", "among",
                                      "without"})


def _past_clause(lower: tuple[str, ...], i: int, present_passive: bool) -> bool:
    """Whether the "-ed" word at ``i`` (not the first) is a past verb: not a noun's description ("the
    damaged units", "the list of flagged offers", "all 17 flagged ASINs", "orders not shipped"), a
    passive's participle or a perfect's, nor, after a present passive, its complement ("kept in a
    locked room"), unless a subject of its own opens it ("…, and we removed 40 units")."""
    return (not present_passive or lower[i - 1] in ("we", "i", "they")) and not _reduced_relative(lower, i) \
        and lower[i - 1] not in BE and lower[i - 1] not in HAVE and not _describes_a_noun(lower, i)


def _describes_a_noun(lower: tuple[str, ...], i: int) -> bool:
    """Whether the "-ed" word at ``i`` (not the first) stands before a noun as its description: after a
    determiner, a preposition or a number ("a signed invoice", "the list of flagged offers", "17
    flagged ASINs"), or after another such description ("an updated signed letter")."""
    before = lower[i - 1]
    if before in DETERMINERS or before in _BEFORE_A_DESCRIBED_NOUN or before[:1].isdigit():
        return True
    return i >= 2 and before.endswith("ed") and _describes_a_noun(lower, i - 1)


def _opening_verb(lower: tuple[str, ...]) -> bool:
    """Whether an opening "-ed" word is a step told without its subject, as list items tell them:
    "Removed all 212 units …", "Opened a case …", with its object after it; not a participle's phrase,
    "Based on our review", "Attached are the invoices"."""
    return len(lower) > 1 and (lower[1] in DETERMINERS or lower[1][:1].isdigit())
