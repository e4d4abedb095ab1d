"""Response headers every answer of the hub carries (issue 22, finding 10).

* ``X-Content-Type-Options: nosniff`` — a JSON answer quoting a caller's text is never sniffed
  as HTML;
* ``X-Frame-Options: DENY`` and CSP ``frame-ancestors 'none'`` — no page is framed (clickjacking
  of the workbench);
* ``Content-Security-Policy`` — on pages, scripts, styles, fonts, images and connections from
  the hub itself only (pages and GraphiQL are served from pinned local assets; no page names
  another host); inline styles and scripts allowed for GraphiQL's bootstrap. A JSON answer
  loads nothing and is framed by nothing: ``default-src 'none'; frame-ancestors 'none'`` (the
  short policy also spares uvicorn, which checks every header value with a regular
  expression, a scan of the page policy's 340 characters on each API answer);
* ``Referrer-Policy: no-referrer`` — a search URL holding a name or an ID number never leaves
  in a Referer header;
* ``Cache-Control: no-store`` on the API's answers (``/graphql``, ``/api/…``) unless the
  handler chose its own caching: they may carry personal data, and a shared cache must not
  keep them. Public pages set their own ``Cache-Control`` and ``ETag``.

Headers a handler already set are kept.
"""

from __future__ import annotations

from starlette.types import Message, Receive, Scope, Send

from hub.middleware.http_only import HttpMiddleware

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)

JSON_POLICY = "default-src 'none'; frame-ancestors 'none'"
ALWAYS = (
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("referrer-policy", "no-referrer"),
)
API_PREFIXES = ("/graphql", "/api/")


def _encoded(*pairs: tuple[str, str]) -> tuple[tuple[bytes, bytes], ...]:
    """The raw ASGI header pairs, encoded once."""
    return tuple((name.encode(), value.encode("latin-1")) for name, value in pairs)


_PAGE = _encoded(*ALWAYS, ("content-security-policy", CONTENT_SECURITY_POLICY))
_JSON = _encoded(*ALWAYS, ("content-security-policy", JSON_POLICY))
_NO_STORE = _encoded(("cache-control", "no-store"))
# (not an API path, API path) -> (added to a page, added to a JSON answer)
_ADDED = {
    False: (_PAGE, _JSON),
    True: (_PAGE + _NO_STORE, _JSON + _NO_STORE),
}


class SecurityHeaders(HttpMiddleware):
    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        page, json = _ADDED[scope["path"].startswith(API_PREFIXES)]

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                # one pass over the answer's headers (no Headers object per request); ASGI
                # header names are lowercased (the spec), as the pairs added are
                headers = message["headers"] = list(message.get("headers", ()))
                present = dict(headers)
                added = json if b"json" in present.get(b"content-type", b"") else page
                headers.extend([pair for pair in added if pair[0] not in present])
            await send(message)

        await self.app(scope, receive, with_headers)
