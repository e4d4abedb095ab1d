"""ASGI entry point for uvicorn: `uvicorn hub.asgi:app`."""

from hub.app import create_app
from hub.settings import load_settings

app = create_app(load_settings())
