"""The importer of the exchange format (docs/exchange-format.md).

The kinds of line are declared in ``kinds.py``, the writer of each record model and the order
a commit unit runs them in ``registry.py``; importing the package registers nothing.
"""
