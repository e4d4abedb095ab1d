"""The department desk's workflow actions as forms (DEPARTMENT): every workflow mutation the API
offers a department — listSubject, applyForRepair, the objection, rectification, commitment,
voluntary registration, execution and 双随机 steps — declared once in actions.toml (the
document, the fields with their Chinese labels, what the answer shows), drawn by one template
and sent by one handler as the signed-in key, through the same API as any client.

A required field left empty, a date or number that cannot be read, a choice not offered: the
form comes back (400) naming each field and why, and nothing is sent. The API's refusal comes
back the same way, with its code in Chinese and the API's own words (which name the field).
A form can be opened filled in (``GET /workbench/actions/applyForRepair?listingId=…``): the
listings and objection pages link their rows' actions so."""

from __future__ import annotations

import datetime as dt
import functools
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import strawberry
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from graph_seed.reference_data import load_domains
from hub.importer.reason_text import for_people
from web.client import document
from web.workbench.access import DEPARTMENTS, Desk, workbench_route
from web.workbench.approval import INPUT_CODES, refused
from web.workbench.batch_file import subject_ref

ACTIONS_FILE = Path(__file__).with_name("actions.toml")
KINDS = frozenset(
    {"text", "textarea", "date", "subject", "choice", "yesno", "lines", "int", "percent"}
)
LIMITS = {"textarea": 2000, "lines": 4000}  # characters a field keeps (others: 200)
FIELD_PATH = re.compile(r"([A-Za-z][\w.]*): (.+)", re.S)  # "subject.uscc: invalid USCC: …"


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str
    to: tuple[str, ...]  # the variable's path
    required: bool
    choices: tuple[tuple[str, str], ...]  # (value, Chinese) of a choice
    hint: str


@dataclass(frozen=True)
class Action:
    name: str
    title: str
    intro: str
    document: str
    fields: tuple[Field, ...]
    result: tuple[tuple[tuple[str, ...], str], ...]  # (path in the answer, label)
    values: dict[str, str]  # Chinese of the states its answer carries
    table: tuple[tuple[str, ...], tuple[tuple[str, str], ...]] | None  # a list: (path, columns)


@dataclass(frozen=True)
class Problem:
    field: str
    code: str  # REQUIRED, DATE, CHOICE, NUMBER, PERCENT, YESNO


def _field(raw: Mapping[str, Any], tables: Mapping[str, Mapping[str, str]]) -> Field:
    kind = raw["kind"]
    if kind not in KINDS:
        raise ValueError(f"{ACTIONS_FILE.name}: field {raw['name']}: unknown kind {kind}")
    choices: tuple[tuple[str, str], ...] = ()
    if kind == "choice":
        source = raw["choices"]
        if source == "domain":
            choices = tuple((code, spec.name) for code, spec in load_domains().items())
        else:
            choices = tuple(tables[source].items())
    return Field(
        name=raw["name"],
        label=raw["label"],
        kind=kind,
        to=tuple(raw.get("to", raw["name"]).split(".")),
        required=bool(raw.get("required", False)),
        choices=choices,
        hint=raw.get("hint", ""),
    )


def _table(
    raw: Mapping[str, Any] | None,
) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]] | None:
    if raw is None:
        return None
    return tuple(raw["path"].split(".")), tuple((name, label) for name, label in raw["columns"])


@functools.cache
def catalogue() -> dict[str, Action]:
    """The actions by name, in the file's order."""
    raw = tomllib.loads(ACTIONS_FILE.read_text(encoding="utf-8"))
    tables = raw.get("choices", {})
    values = raw.get("values", {})
    actions = {}
    for entry in raw["action"]:
        actions[entry["name"]] = Action(
            name=entry["name"],
            title=entry["title"],
            intro=entry["intro"],
            document=document("workbench", entry["document"]),
            fields=tuple(_field(field, tables) for field in entry["fields"]),
            result=tuple((tuple(path.split(".")), label) for path, label in entry["result"]),
            values=values | entry.get("values", {}),
            table=_table(entry.get("table")),
        )
    return actions


def _value(field: Field, text: str) -> tuple[Any, str | None]:
    """The variable's value of a field's text, or the problem's code."""
    if field.kind in ("text", "textarea"):
        return text, None
    if field.kind == "date":
        try:
            return dt.date.fromisoformat(text).isoformat(), None
        except ValueError:
            return None, "DATE"
    if field.kind == "subject":
        return subject_ref(text), None
    if field.kind == "choice":
        return (text, None) if text in dict(field.choices) else (None, "CHOICE")
    if field.kind == "yesno":
        return (
            ({"true": True, "false": False}[text], None)
            if text in ("true", "false")
            else (
                None,
                "YESNO",
            )
        )
    if field.kind == "lines":
        items = [item.strip() for item in text.replace(",", "\n").splitlines()]
        return [item for item in items if item], None
    if field.kind == "int":
        try:
            return int(text), None
        except ValueError:
            return None, "NUMBER"
    try:  # percent
        share = float(text)
    except ValueError:
        return None, "PERCENT"
    return (share / 100, None) if 0 <= share <= 100 else (None, "PERCENT")


def variables_of(action: Action, given: Mapping[str, str]) -> tuple[dict[str, Any], list[Problem]]:
    """The document's variables of a filled-in form (its fields' texts by name), and what is
    wrong with it; an empty optional field is left out, so the API's default applies."""
    variables: dict[str, Any] = {}
    problems = []
    for field in action.fields:
        text = given.get(field.name, "").strip()
        if not text:
            if field.required:
                problems.append(Problem(field.name, "REQUIRED"))
            continue
        value, problem = _value(field, text)
        if problem is not None:
            problems.append(Problem(field.name, problem))
            continue
        if field.kind == "lines" and not value:
            if field.required:
                problems.append(Problem(field.name, "REQUIRED"))
            continue
        target = variables
        for step in field.to[:-1]:
            target = target.setdefault(step, {})
        target[field.to[-1]] = value
    return variables, problems


def _at(data: Any, path: tuple[str, ...]) -> Any:
    for step in path:
        data = data.get(step) if isinstance(data, Mapping) else None
    return data


def _for_people(action: Action, value: Any) -> Any:
    """A state in Chinese, a yes or no, a list as its length (a list of text: joined)."""
    if isinstance(value, list):
        return "、".join(value) if all(isinstance(item, str) for item in value) else len(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, str):
        return action.values.get(value, value)
    return value


def shown(action: Action, data: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """(label, value) of what the page shows of the answer."""
    rows = []
    for path, label in action.result:
        value = _at(data, path)
        rows.append((label, len(value) if isinstance(value, list) else _for_people(action, value)))
    return rows


def rows_of(action: Action, data: Mapping[str, Any]) -> list[list[Any]]:
    """The answer's list of the action's ``table``, one row of cells per item."""
    if action.table is None:
        return []
    path, columns = action.table
    items = _at(data, path) or []
    return [[_for_people(action, item.get(name)) for name, _ in columns] for item in items]


def refusal(action: Action, code: str, message: str) -> dict[str, str]:
    """The API's refusal as the page shows it: its code, the form field it names (its label)
    when the message starts with a field's path, and the reason in Chinese where known."""
    found = FIELD_PATH.fullmatch(message)
    label = ""
    if found is not None:
        path = found.group(1)
        for field in action.fields:
            names = {".".join(field.to), ".".join(field.to[1:])}
            if any(path == name or path.startswith(name + ".") for name in names):
                label, message = field.label, found.group(2)
                break
    return {"code": code, "field": label, "reason": for_people(message)}


def _form_texts(desk: Desk, action: Action) -> dict[str, str]:
    return {
        field.name: desk.field(field.name, LIMITS.get(field.kind, 200)) for field in action.fields
    }


def _action(request: Request) -> Action | None:
    return catalogue().get(request.path_params["name"][:60])


def _page(desk: Desk, action: Action, status: int = 200, **data: Any) -> Response:
    defaults: dict[str, Any] = {
        "given": {},
        "problems": {},
        "error": None,
        "done": None,
        "rows": [],
    }
    return desk.page("action.html", status, action=action, **(defaults | data))


async def index(request: Request, desk: Desk) -> Response:
    return desk.page("actions.html", actions=list(catalogue().values()))


async def form(request: Request, desk: Desk) -> Response:
    action = _action(request)
    if action is None:
        return desk.page("refused.html", 404, code="NOT_FOUND")
    names = {field.name for field in action.fields}
    given = {name: value[:200] for name, value in request.query_params.items() if name in names}
    return _page(desk, action, given=given)


async def send(request: Request, desk: Desk) -> Response:
    action = _action(request)
    if action is None:
        return desk.page("refused.html", 404, code="NOT_FOUND")
    given = _form_texts(desk, action)
    variables, problems = variables_of(action, given)
    if problems:
        found = {problem.field: problem.code for problem in problems}
        return _page(desk, action, 400, given=given, problems=found)
    answer = await desk.run(action.document, variables)
    if answer.data is None or answer.errors:
        code = answer.code() or "INTERNAL"
        if code in INPUT_CODES or code in ("CONFLICT", "NOT_FOUND"):
            error = refusal(action, code, answer.errors[0][1])
            return _page(desk, action, 400, given=given, error=error)
        return refused(desk, answer)
    done = shown(action, answer.data)
    return _page(desk, action, given={}, done=done, rows=rows_of(action, answer.data))


def action_routes(schema: strawberry.Schema) -> list[BaseRoute]:
    return [
        workbench_route("/workbench/actions", index, DEPARTMENTS, schema),
        workbench_route("/workbench/actions/{name}", form, DEPARTMENTS, schema),
        workbench_route("/workbench/actions/{name}", send, DEPARTMENTS, schema, methods=["POST"]),
    ]
