"""Rules: loading and validating rule files, the rule set, packs and their cache, the engine; the kinds; matching."""
