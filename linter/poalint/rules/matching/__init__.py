"""Matching: token patterns, phrases and regular expressions, and what lets them read less."""
