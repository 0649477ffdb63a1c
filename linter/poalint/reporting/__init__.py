"""Reporting: Findings, the readiness score, and one module per output format."""
