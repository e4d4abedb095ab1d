"""Bulk first load: an empty store loaded through Neo4j's offline import tool.

``credit-hub import --initial FILE…`` validates every line as the transactional importer does
(the same ``parse_line``, records, reference checks and row builders, on every core), writes
the nodes and relationships those rows become as the import tool's CSV, stops the instance,
runs the tool, starts the instance, applies constraints and indexes (``migrate``), and then
writes what the import tool cannot sensibly write — listings and the entries they derive,
evaluations, measures, and any update of data already there — through the transactional
importer. The report is the transactional importer's. See docs/operations.md.
"""
