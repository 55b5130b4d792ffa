"""Token Inspector: see exactly what a tokenizer and a transformer do to a piece of text."""

__version__ = "0.1.0"
