"""Pure rules: decisions, propagation, ownership arithmetic, periods, working days.

No graph I/O: every function takes its data as arguments and is tested without Neo4j. The only
files read are graph_seed's reference data (domains.toml, for explain.py and listings.py,
through graph_seed/reference_data.py, loaded once).
"""
