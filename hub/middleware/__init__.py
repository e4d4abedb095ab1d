"""The hub's HTTP middleware, one concern each, as Starlette's own are written (pure ASGI).

From the outside in (hub/app.py adds them): security headers, the access log, the request id,
the body limit, the caller's authentication, the rate limit, the body deadline
(hub/slow_clients.py), then the routes.
"""
