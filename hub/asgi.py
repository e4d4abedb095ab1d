"""ASGI entry point: `credit-hub serve`, or `uvicorn hub.asgi:app --no-access-log` (the hub
writes its own access log without query strings; uvicorn's would print them)."""

from hub.app import create_app
from hub.logs import configure_logging
from hub.settings import load_settings

# Worker processes (CREDITHUB_WORKERS > 1) are spawned fresh: configure their logging too.
settings = load_settings()
configure_logging(settings.log_level)
app = create_app(settings)
