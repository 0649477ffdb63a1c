"""Dates in a sentence, placed on a calendar so a letter can tell what happened before its notice
(poalint.analysis.letter). Worked out once per distinct block text, like the features."""
from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from poalint.analysis.lexicon import lexicon
from poalint.regex import compile_regex

if TYPE_CHECKING:
    from poalint.analysis.blocks import BlockAnalysis

_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
#: Any written date, for the `date` anchor: day and month, month and year, ISO or numeric.
DATE = (rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)?(?:\s+of)?\s+{_MONTH}\b(?:,?\s+\d{{4}})?|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+\d{{4}})?"
         rf"|{_MONTH}\s+\d{{4}}\b|\d{{4}}-\d{{2}}-\d{{2}}\b|\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{2,4}}\b)")
_MONTH_NUMBERS = {name: number for number, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}
#: The dates a reader can place on a calendar: day and month, with or without the year, or ISO.
_DAY_MONTH = compile_regex(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?\s+({_MONTH})\b(?:,?\s+(\d{{4}}))?", ignore_case=True)
_MONTH_DAY = compile_regex(rf"\b({_MONTH})\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}}))?", ignore_case=True)
_ISO_DATE = compile_regex(r"\b(\d{4})-(\d{2})-(\d{2})\b")
#: A period of days: "between 3 and 14 May", "from 1 June to 20 June", "3–14 May".
_PERIOD = compile_regex(r"(?i)\b(?:between|from)\s+(?:the\s+)?(?:\d{1,2}|[a-z]{3,9}\s+\d{1,2})\b[^.;]{0,25}?\s(?:and|to|until|till|through)\s+(?:the\s+)?(?:\d|[a-z]{3,9}\s+\d)"
                        r"|\b\d{1,2}\s*[–-]\s*\d{1,2}(?:st|nd|rd|th)?\s+[a-z]{3,9}\b")
#: A year alone ("in 2024", "during 2025").
_YEAR_ONLY = compile_regex(r"(?i)\b(?:in|during|early|late|mid|end of|beginning of)\s+-?\s*((?:19|20)\d\d)\b")
#: A month without its day ("in February", "during March 2026"); capitalised, since "in may" is rarely May.
_MONTH_ONLY = compile_regex(r"\b(?i:in|during|early|late|mid|end of|beginning of)\s+-?\s*"
                            r"(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\b(?:,?\s+(\d{4}))?")


class SentenceDates(NamedTuple):
    """The dates of one sentence, for Letter's place in time (before the notice or not)."""

    #: (offset in the sentence's text, (year or None, month, day)) of each date written with its day.
    exact: list
    #: Those and the months and years written alone, at their end ("in May 2026": 31 May).
    approximate: list
    #: Whether it tells of a period ("between 3 and 14 May").
    period: bool
    #: Whether, undated, it goes on with the story dated before it in its paragraph: no word of
    #: rules/features.yaml's time-shifts ("since then", "now", the present perfect).
    goes_on: bool


def sentence_dates(analysis: "BlockAnalysis") -> list[SentenceDates]:
    """The dates of each of ``analysis.sentences``, worked out once per block text."""
    if analysis.dates is None:
        analysis.dates = []
        time_shifts = lexicon()["time-shifts"]
        for sentence in analysis.sentences:
            text = analysis.doc[sentence.start:sentence.end].text
            approximate = calendar_dates(text, month_only_day=31)
            analysis.dates.append(SentenceDates(
                dates_at(text) if approximate else [], approximate,
                bool(approximate) and bool(_PERIOD.search(text)),
                not approximate and not time_shifts.found_in(analysis.lower_words[sentence.start:sentence.end])))
    return analysis.dates


def calendar_dates(text: str, month_only_day: int | None = None) -> list[tuple[int | None, int, int]]:
    """The (year, month, day) of each date in ``text``, in order; year None when not written
    ("4 June"). A month without its day ("in May 2026") is left out, or given ``month_only_day``,
    and so is a year alone ("in 2024": its December); numeric d/m/y (ambiguous) is left out."""
    return [date for _, date in dates_at(text, month_only_day)]


def dates_at(text: str, month_only_day: int | None = None) -> list[tuple[int, tuple[int | None, int, int]]]:
    """Each date of ``text`` (as calendar_dates reads them) with the offset it starts at, in order."""
    found = []
    for m in _DAY_MONTH.finditer(text):
        found.append((m.start(), int(m.group(3)) if m.group(3) else None, _MONTH_NUMBERS[m.group(2)[:3].lower()],
                      int(m.group(1))))
    for m in _MONTH_DAY.finditer(text):
        found.append((m.start(), int(m.group(3)) if m.group(3) else None, _MONTH_NUMBERS[m.group(1)[:3].lower()],
                      int(m.group(2))))
    for m in _YEAR_ONLY.finditer(text) if month_only_day else ():
        found.append((m.start(), int(m.group(1)), 12, month_only_day))
    for m in _MONTH_ONLY.finditer(text) if month_only_day else ():
        found.append((m.start(), int(m.group(2)) if m.group(2) else None, _MONTH_NUMBERS[m.group(1)[:3].lower()],
                      month_only_day))
    for m in _ISO_DATE.finditer(text):
        found.append((m.start(), int(m.group(1)), int(m.group(2)), int(m.group(3))))
    return [(at, (year, month, day)) for at, year, month, day in sorted(found) if 1 <= month <= 12 and 1 <= day <= 31]
