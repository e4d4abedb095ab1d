"""Every route of the workbench (docs/workbench.md), each area's from its own module."""

from __future__ import annotations

import strawberry
from starlette.routing import BaseRoute

from web.workbench.actions import action_routes
from web.workbench.admin import admin_routes
from web.workbench.approval import approval_routes
from web.workbench.batch import batch_routes
from web.workbench.desk import desk_routes
from web.workbench.repairs import repair_routes
from web.workbench.sign_in import sign_in_routes
from web.workbench.statistics import statistics_routes


def workbench(schema: strawberry.Schema) -> list[BaseRoute]:
    return [
        *sign_in_routes(schema),
        *approval_routes(schema),
        *batch_routes(schema),
        *desk_routes(schema),
        *repair_routes(schema),
        *action_routes(schema),
        *admin_routes(schema),
        *statistics_routes(schema),
    ]
