"""The run: which letters, read with which configuration and rules, analysed (in workers), cached, reported."""
