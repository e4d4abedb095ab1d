"""Logging of the hub: levels for our loggers; the driver's kept at WARNING.

The neo4j driver logs whole Bolt messages at DEBUG, query parameters included (ID numbers):
whatever level the hub runs at, the driver's loggers stay at WARNING.
"""

from __future__ import annotations

import logging

FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


def configure_logging(level: str = "WARNING") -> None:
    logging.basicConfig(level=level, format=FORMAT)  # a level name (Settings.log_level)
    logging.getLogger("credithub").setLevel(level)
    logging.getLogger("neo4j").setLevel(logging.WARNING)
    # The access log (hub/app.py) is on at every level, as uvicorn's was.
    logging.getLogger("credithub.access").setLevel(logging.INFO)
