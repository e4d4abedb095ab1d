"""Plain exports of the explorer's graph: JSON, GraphML and CSV (pure functions).

* JSON: ``{"asOf", "nodes", "edges"}``, the fields of the API's subgraph, dates as ISO text.
* GraphML: one ``<graph edgedefault="directed">`` with typed ``<key>`` declarations, which
  Gephi, yEd, Cytoscape desktop and networkx read.
* CSV (UTF-8 with a byte order mark, so a spreadsheet shows the Chinese names): one row per
  edge with both ends named, then one row per node that no edge touches; text that a
  spreadsheet would take for a formula starts with a quote.
"""

from __future__ import annotations

import csv
import io
from typing import Any
from xml.etree import ElementTree

from web.explorer.graph_model import Edge, Graph, Node

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
# (element, attribute name, GraphML type)
GRAPHML_KEYS = (
    ("node", "label", "string"),
    ("node", "kind", "string"),
    ("node", "key", "string"),
    ("edge", "type", "string"),
    ("edge", "role", "string"),
    ("edge", "share", "double"),
    ("edge", "from", "string"),
    ("edge", "to", "string"),
)
CSV_COLUMNS = (
    "edge_id",
    "type",
    "role",
    "share",
    "from",
    "to",
    "source_id",
    "source_kind",
    "source_key",
    "source_label",
    "target_id",
    "target_kind",
    "target_key",
    "target_label",
)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: str) -> str:
    """Text a spreadsheet shows as text: one starting like a formula gets a leading quote."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _day(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def node_dict(node: Node) -> dict[str, Any]:
    return {"id": node.id, "kind": node.kind, "label": node.label, "key": node.key}


def edge_dict(edge: Edge) -> dict[str, Any]:
    return {
        "id": edge.id,
        "source": edge.source,
        "target": edge.target,
        "type": edge.type,
        "role": edge.role,
        "share": edge.share,
        "from": _day(edge.valid_from),
        "to": _day(edge.valid_to),
    }


def to_json(graph: Graph) -> dict[str, Any]:
    return {
        "asOf": _day(graph.as_of),
        "nodes": [node_dict(n) for n in graph.nodes],
        "edges": [edge_dict(e) for e in graph.edges],
    }


def to_graphml(graph: Graph) -> str:
    ElementTree.register_namespace("", GRAPHML_NS)
    root = ElementTree.Element(f"{{{GRAPHML_NS}}}graphml")
    for scope, name, kind in GRAPHML_KEYS:
        ElementTree.SubElement(
            root,
            f"{{{GRAPHML_NS}}}key",
            {"id": f"{scope[0]}_{name}", "for": scope, "attr.name": name, "attr.type": kind},
        )
    drawn = ElementTree.SubElement(
        root, f"{{{GRAPHML_NS}}}graph", {"id": "G", "edgedefault": "directed"}
    )

    def data(parent: ElementTree.Element, key: str, value: Any) -> None:
        if value is not None:
            ElementTree.SubElement(parent, f"{{{GRAPHML_NS}}}data", {"key": key}).text = str(value)

    for node in graph.nodes:
        element = ElementTree.SubElement(drawn, f"{{{GRAPHML_NS}}}node", {"id": node.id})
        data(element, "n_label", node.label)
        data(element, "n_kind", node.kind)
        data(element, "n_key", node.key)
    for edge in graph.edges:
        element = ElementTree.SubElement(
            drawn,
            f"{{{GRAPHML_NS}}}edge",
            {"id": edge.id, "source": edge.source, "target": edge.target},
        )
        data(element, "e_type", edge.type)
        data(element, "e_role", edge.role)
        data(element, "e_share", edge.share)
        data(element, "e_from", _day(edge.valid_from))
        data(element, "e_to", _day(edge.valid_to))
    ElementTree.indent(root)
    body = ElementTree.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def to_csv(graph: Graph) -> str:
    nodes = graph.by_id()
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    touched: set[str] = set()
    for edge in graph.edges:
        source, target = nodes[edge.source], nodes[edge.target]
        touched.update((edge.source, edge.target))
        writer.writerow(
            (
                edge.id,
                edge.type,
                edge.role or "",
                "" if edge.share is None else repr(edge.share),
                _day(edge.valid_from) or "",
                _day(edge.valid_to) or "",
                source.id,
                source.kind,
                _cell(source.key),
                _cell(source.label),
                target.id,
                target.kind,
                _cell(target.key),
                _cell(target.label),
            )
        )
    for node in graph.nodes:
        if node.id not in touched:
            writer.writerow(
                (*[""] * 6, node.id, node.kind, _cell(node.key), _cell(node.label), *[""] * 4)
            )
    return out.getvalue()
