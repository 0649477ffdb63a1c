"""Whether a sentence tells of a gap in the seller's own routine: a step that nobody did, that was
done only sometimes or by hand, something done without the check it needed, or a tool or process
of the seller's that lacked something.

Sellers give their root cause this way far more often than as "because we …": "no one on our
team opened a returned box", "no sample was compared with the listing", "messages were only read
on Mondays", "tracking numbers were copied by hand", "our repricer had no minimum price". The
words are in rules/features.yaml (`routine-verbs`, `record-verbs`, `check-nouns`, `nobody`,
`by-hand`, `limiting`, `lacked`, `not-routine`).
"""
from __future__ import annotations

from poalint.analysis import actors, tense
from poalint.analysis.actors import Words
from poalint.analysis.lexicon import WordList

#: How far after "no one" its verb may come ("no one on our warehouse team ever checked").
_NOBODY_REACH = 7
#: How far after a step "by hand" or "only" may come ("updated by hand on Fridays only", "typed the
#: numbers into both sites by hand").
_MANNER_REACH = 8
#: How far before the step's verb "no" may stand ("no battery data from the maker was requested").
_NO_STEP_REACH = 6
#: Words after which "no" opens a clause of its own, and words that end the clause before its verb.
_CLAUSE_BOUNDARIES = frozenset({",", ";", ":", "and", "but", "so", "because", "as", "since", "yet", "-", "–", "—"})
_CLAUSE_ENDS = frozenset({",", ";", ":", ".", "and", "but", "so", "because"})


def routine_gap(words: Words, lists: dict[str, WordList], who: str, time: str) -> bool:
    """Whether the sentence tells of a gap in a routine of the seller's (see the module)."""
    if who == actors.AMAZON or time == tense.PLANNED:
        return False
    lower = words.lower
    return _nobody_did(lower, lists) or _no_step_done(lower, lists) or _step_limited(lower, lists, who) \
        or _seller_lacked(lower, lists, who) \
        or (who in (actors.SELLER, actors.UNKNOWN, actors.NONE) and _done_unchecked(lower, lists))


def _nobody_did(lower: tuple[str, ...], lists: dict[str, WordList]) -> bool:
    """"No one (on our team) checked …", "nobody was watching …": a routine step nobody did."""
    for start, end in lists["nobody"].spans(lower):
        if start and lower[start - 1] in actors.PREPOSITIONS and lower[start - 1] not in ("that", "and", "or", "but"):
            # "we told no one": an object; but "an inbox that nobody checked" and "… and no one
            # checked" are its subject (the step it did not do follows)
            continue
        for j in range(end, min(end + _NOBODY_REACH, len(lower))):
            if lists["routine-verbs"].at(lower, j) or lists["record-verbs"].at(lower, j):
                # "no one at the carrier checked …": someone else's step
                return actors.classify(lower, lists, end, j) not in (actors.THIRD_PARTY, actors.AMAZON)
    return False


def _no_step_done(lower: tuple[str, ...], lists: dict[str, WordList]) -> bool:
    """A step nobody did, told of what it should have touched: "no sample was compared with the
    listing", "no safety sheet was requested". The clause must open with "no" (not "there was no
    reply"), and no third party may be its agent ("no review was done by the carrier")."""
    for i, word in enumerate(lower):
        if word != "no" or (i and lower[i - 1] not in _CLAUSE_BOUNDARIES):
            continue
        for j in range(i + 2, min(i + 2 + _NO_STEP_REACH, len(lower) - 1)):
            if lower[j] in _CLAUSE_ENDS:
                break
            if lower[j] in ("was", "were") or lower[j:j + 2] in (("had", "been"), ("has", "been"), ("have", "been")):
                verb = j + 2 if lower[j + 1] == "been" else j + 1
                if not (lists["routine-verbs"].at(lower, verb) or lists["record-verbs"].at(lower, verb)):
                    break
                return not _done_by_others(lower[verb + 1:verb + 1 + _MANNER_REACH], lists)
    return False


def _step_limited(lower: tuple[str, ...], lists: dict[str, WordList], who: str) -> bool:
    """A routine step of the seller's done only sometimes or by hand: "were only read on Mondays",
    "was updated by hand", "we only checked the first carton", "I keep a sheet and only changed
    the quantities on Sundays" (the seller's verb after "and"); not one a third party did ("was
    checked by the carrier only on arrival"). ("Was never checked" is a failure told passively,
    which passive-evasion judges, not a cause.)"""
    for i in range(len(lower)):
        record = bool(lists["record-verbs"].at(lower, i))
        if not record and not lists["routine-verbs"].at(lower, i):
            continue
        before = lower[max(0, i - 3):i]
        after = _within_clause(lower[i + 1:i + 1 + _MANNER_REACH])
        if _done_by_others(after, lists):
            continue
        if record and (lists["by-hand"].found_in(after) or lists["by-hand"].found_in(before)):
            return True
        # a passive ("were only read") or the seller's own step ("we only checked"), limited
        done_by = any(w in actors.BE for w in before) or "we" in before or "i" in before \
            or (who == actors.SELLER and "and" in before)
        if done_by and (lists["limiting"].found_in(before) or "only" in after):
            return True
    return False


def _done_by_others(after: tuple[str, ...], lists: dict[str, WordList]) -> bool:
    """Whether the words after a step's verb name a third party or Amazon as its agent ("… by the
    carrier")."""
    agent = after.index("by") + 1 if "by" in after else None
    return agent is not None and actors.classify(after, lists, agent, min(agent + 3, len(after))) \
        in (actors.THIRD_PARTY, actors.AMAZON)


def _within_clause(words: tuple[str, ...]) -> tuple[str, ...]:
    """The words up to the end of their clause: in "we checked, the patent was only granted in
    2024" or "I changed my provider and I now use only my home line" the "only" limits another
    clause's verb, not the first."""
    for i, word in enumerate(words):
        if word in (",", ";", ":") or word == "and" and i + 1 < len(words) and words[i + 1] in actors.PERSONS:
            return words[:i]
    return words


def _done_unchecked(lower: tuple[str, ...], lists: dict[str, WordList]) -> bool:
    """Something done without the check it needed: "he changed the handling time without
    checking whether the shift could pack it", "the listings went live without a compliance
    review", "returns were restocked without being opened or inspected". Not "without our
    approval": that tells of someone else acting, not of a check the seller skipped; nor "we
    refunded them without request" or "without being asked", a step taken unprompted."""
    for i, word in enumerate(lower):
        if word == "without" and i + 1 < len(lower) and lower[i + 1] not in ("our", "my", "us", "me"):
            following = [w for w in lower[i + 1:i + 6] if w != "being"][:4]
            if following[:1] in (["request"], ["asked"]) and (len(following) == 1 or not following[1].isalpha()):
                continue
            if any(lists["routine-verbs"].at(following, j) or lists["check-nouns"].at(following, j)
                   for j in range(len(following))):
                return True
    return False


def _seller_lacked(lower: tuple[str, ...], lists: dict[str, WordList], who: str) -> bool:
    """A tool or process of the seller's lacked something: "our repricer had no minimum price",
    "our checklist did not have a step for …". Not the seller itself ("we did not have enough
    staff" is an excuse of means), not a denial ("our company had no relation with that
    account"), not a gap in knowledge ("our team had no idea")."""
    if who != actors.SELLER:
        return False
    spans = lists["lacked"].spans(lower)
    if not spans:
        return False
    start, end = spans[0]
    subject, following = lower[max(0, start - 4):start], lower[end:end + 3]
    return bool(following) and ("our" in subject or "my" in subject) and subject[-1] not in ("we", "i") \
        and not lists["seller-roles"].found_in(subject) and not lists["not-routine"].found_in(following)
