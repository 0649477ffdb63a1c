"""Rule kinds: one small module each, all behind the Rule interface (kinds/base.py)."""
from poalint.kinds.existence import Existence
from poalint.kinds.metric import Metric
from poalint.kinds.required import Required
from poalint.kinds.sections import Sections
from poalint.kinds.sentence_length import SentenceLength
from poalint.kinds.substitution import Substitution

KINDS = {cls.kind: cls for cls in (Existence, Substitution, Required, Metric, SentenceLength, Sections)}
