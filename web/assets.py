"""Scripts, style sheets and fonts the hub serves itself: no page names another host.

The npm packages pinned in web/package.json (and web/package-lock.json) are installed by
``make install`` (``npm ci``) into web/node_modules/, which git ignores; the site's own style
sheet and scripts are in web/static/. URL paths carry the package version, so a browser or a
CDN may keep them for a year (``immutable``): a new version is a new path.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from web.caching import LongLived

WEB = Path(__file__).parent
NODE_MODULES = WEB / "node_modules"
STATIC = WEB / "static"

# URL name -> (npm package, folder inside it that is served)
PACKAGES: dict[str, tuple[str, str]] = {
    "noto-sans-sc": ("@fontsource/noto-sans-sc", ""),
    "graphiql": ("graphiql", ""),
    "react": ("react", "umd"),
    "react-dom": ("react-dom", "umd"),
    "cytoscape": ("cytoscape", "dist"),
    "chart.js": ("chart.js", "dist"),
}


def _pinned() -> dict[str, str]:
    """npm package -> the exact version web/package.json pins."""
    data = json.loads((WEB / "package.json").read_text(encoding="utf-8"))
    return dict(data["dependencies"])


PINNED = _pinned()


def asset_url(name: str, path: str) -> str:
    """The hub's URL of ``path`` inside the served folder of package ``name``."""
    package, _ = PACKAGES[name]
    return f"/assets/{name}@{PINNED[package]}/{path}"


@cache
def static_url(path: str) -> str:
    """The URL of a file of web/static/ with its content's hash (a new file, a new URL)."""
    digest = hashlib.sha256((STATIC / path).read_bytes()).hexdigest()[:12]
    return f"/static/{path}?v={digest}"


def missing() -> list[str]:
    """Packages not installed (run ``make install``); the pages name them in their answer."""
    return [p for p, _ in PACKAGES.values() if not (NODE_MODULES / p / "package.json").is_file()]


def mounts() -> list[Mount]:
    """One static mount per package (at its pinned version) and one for web/static/."""
    routes = [
        Mount(
            f"/assets/{name}@{PINNED[package]}",
            app=LongLived(StaticFiles(directory=NODE_MODULES / package / folder, check_dir=False)),
        )
        for name, (package, folder) in PACKAGES.items()
    ]
    routes.append(Mount("/static", app=LongLived(StaticFiles(directory=STATIC))))
    return routes
