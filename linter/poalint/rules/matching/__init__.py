"""Matching: token patterns and phrases, the RE2 prefilter in front of them."""
