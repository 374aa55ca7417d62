"""Plain HTML views of the OGC documents, for people who open the URLs in a browser.
No script and no external asset: they work offline and print well."""

from __future__ import annotations

import json
from html import escape
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from app.ogc.collections import Collection

_STYLE = """
body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem;color:#1a1a1a}
table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #999;padding:.25rem .5rem;
text-align:left;vertical-align:top}th{background:#eee}a{color:#0645ad}
pre{background:#f4f4f4;padding:1rem;overflow:auto}
"""


def _document(title: str, body: str) -> str:
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body><h1>{escape(title)}</h1>{body}</body></html>"
    )


# Documents this service also writes as HTML: a page links to their HTML form.
_AS_HTML = ("application/json", "application/geo+json", "application/schema+json")


def as_html(href: str, media_type: str) -> str:
    """The address of the HTML form of a linked document (``f=html``), where it has one."""
    if media_type not in _AS_HTML or "/ogc" not in href:
        return href
    url = urlsplit(href)
    query = [(k, v) for k, v in parse_qsl(url.query) if k != "f"] + [("f", "html")]
    return urlunsplit(url._replace(query=urlencode(query)))


def _links(links: list[dict[str, str]]) -> str:
    items = "".join(
        f'<li><a href="{escape(as_html(link["href"], link.get("type", "")))}">'
        f"{escape(link.get('title') or link['rel'])}</a>"
        f" ({escape(link['rel'])})</li>"
        for link in links
        if not link.get("templated") and link.get("rel") not in ("self", "alternate")
    )
    return f"<ul>{items}</ul>"


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, dict | list):
        return escape(json.dumps(value))
    return "" if value is None else escape(str(value))


def page(kind: str, document: dict[str, Any], base: str) -> str:
    title = document.get("title") or {
        "conformance": "Conformance classes",
        "collections": "Collections",
        "queryables": "Queryables",
        "tileMatrixSets": "Tile matrix sets",
        "tilesets": "Tilesets",
    }.get(kind, kind)
    parts = []
    if "description" in document:
        parts.append(f"<p>{escape(document['description'])}</p>")
    if "links" in document:
        parts.append(_links(document["links"]))
    if kind == "conformance":
        parts.append(
            "<ul>" + "".join(f"<li>{escape(c)}</li>" for c in document["conformsTo"]) + "</ul>"
        )
    elif kind == "collections":
        rows = "".join(
            f'<tr><td><a href="{escape(base)}/ogc/collections/{escape(c["id"])}?f=html">'
            f"{escape(c['id'])}</a></td><td>{escape(c['title'])}</td>"
            f"<td>{escape(c['description'])}</td></tr>"
            for c in document["collections"]
        )
        parts.append(f"<table><tr><th>id</th><th>title</th><th>about</th></tr>{rows}</table>")
    elif kind == "queryables":
        rows = "".join(
            f"<tr><td>{escape(name)}</td><td>{_cell(schema)}</td></tr>"
            for name, schema in document["properties"].items()
        )
        parts.append(f"<table><tr><th>name</th><th>schema</th></tr>{rows}</table>")
    else:
        shown = {k: v for k, v in document.items() if k not in ("links", "description")}
        parts.append(f"<pre>{escape(json.dumps(shown, indent=2, default=str))}</pre>")
    return _document(title, "".join(parts))


def items_page(collection: Collection, document: dict[str, Any]) -> str:
    features = document["features"]
    names = [f.name for f in collection.fields]
    header = "".join(f"<th>{escape(n)}</th>" for n in ["id", *names])
    rows = "".join(
        "<tr>"
        + f"<td>{_cell(f.get('id'))}</td>"
        + "".join(f"<td>{_cell(f['properties'].get(n))}</td>" for n in names)
        + "</tr>"
        for f in features
    )
    counts = f"<p>{document['numberReturned']} features on this page"
    if "numberMatched" in document:
        counts += f" of {document['numberMatched']}"
    counts += ".</p>"
    pages = "".join(
        f'<a rel="{escape(link["rel"])}" href="{escape(link["href"])}">{escape(link["title"])}</a> '
        for link in document["links"]
        if link["rel"] in ("prev", "next", "alternate")
    )
    return _document(
        collection.title,
        counts + f"<p>{pages}</p>" + f"<table><tr>{header}</tr>{rows}</table>",
    )


def feature_page(collection: Collection, feature: dict[str, Any]) -> str:
    rows = "".join(
        f"<tr><th>{escape(k)}</th><td>{_cell(v)}</td></tr>"
        for k, v in feature["properties"].items()
    )
    others = "".join(
        f'<a rel="{escape(link["rel"])}" href="{escape(link["href"])}">{escape(link["rel"])}</a> '
        for link in feature["links"]
        if link["rel"] != "self"
    )
    return _document(
        f"{collection.title}: {feature.get('id')}",
        f"<p>{others}</p><table>{rows}</table>",
    )


def api_page(definition: dict[str, Any]) -> str:
    rows = "".join(
        f"<tr><td><code>{escape(method.upper())} {escape(path)}</code></td>"
        f"<td>{escape(operation.get('summary', ''))}</td></tr>"
        for path, operations in definition["paths"].items()
        for method, operation in operations.items()
    )
    return _document(
        definition["info"]["title"],
        f"<p>{escape(definition['info']['description'])}</p>"
        f"<table><tr><th>request</th><th>what it gives</th></tr>{rows}</table>",
    )
