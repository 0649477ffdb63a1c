"""Rule kinds: one small module each, all behind the Rule interface (kinds/base.py)."""
from poalint.rules.kinds.adequacy import Adequacy
from poalint.rules.kinds.content import Content
from poalint.rules.kinds.existence import Existence
from poalint.rules.kinds.headings import Headings
from poalint.rules.kinds.metric import Metric
from poalint.rules.kinds.required import Required
from poalint.rules.kinds.sections import Sections
from poalint.rules.kinds.sentence import Sentence
from poalint.rules.kinds.sentence_length import SentenceLength
from poalint.rules.kinds.substitution import Substitution

KINDS = {cls.kind: cls for cls in (Existence, Substitution, Required, Metric, SentenceLength, Sections,
                                  Content, Adequacy, Headings, Sentence)}
