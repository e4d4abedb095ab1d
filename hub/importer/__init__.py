"""The importer of the exchange format (docs/exchange-format.md)."""
