"""The hub's web front ends: the public credit site (web/public/) and, later, the workbench.

Pages are clients of the API: a handler runs a GraphQL document in-process with the caller's
role (web/client.py) and renders a template (web/templates/<front end>/); it never opens a
session or repeats a rule. Every script, style sheet and font is served by the hub from pinned
packages (web/assets.py), so an offline install works.
"""
