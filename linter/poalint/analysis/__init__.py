"""Analysis: the spaCy pipeline and the Letter (a Document with its Docs), with what is derived from them."""
