"""ASGI entry point: `credit-hub serve`, or `uvicorn hub.asgi:app --no-access-log` (the hub
writes its own access log without query strings; uvicorn's would print them)."""

import os

from hub.app import create_app
from hub.logs import configure_logging
from hub.settings import load_settings

# Worker processes (CREDITHUB_WORKERS > 1) are spawned fresh: configure their logging too.
configure_logging(os.environ.get("CREDITHUB_LOG_LEVEL", "WARNING"))
app = create_app(load_settings())
