"""Pure rules: decisions, propagation, ownership arithmetic, periods, working days.

Nothing here does I/O; every function is tested without Neo4j.
"""
