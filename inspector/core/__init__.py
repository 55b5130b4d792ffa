"""Qt-free core: tokenizer sources, the catalog, encoding results and reports."""
