"""GraphiQL at /graphql from the packages the hub serves (strawberry's page loads a CDN)."""

from __future__ import annotations

from functools import cache

from web.render import render


@cache
def graphiql_page() -> str:
    return render("graphiql", "index.html")
