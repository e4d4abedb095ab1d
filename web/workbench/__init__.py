"""The workbench at /workbench/: signed-in pages for keyed roles (docs/workbench.md)."""
