"""Resolvers: turn GraphQL arguments into store calls and store rows into schema objects.

Resolvers never open sessions: they call the store adapter's unit-of-work functions, through
per-request DataLoaders where the access path nests.
"""
