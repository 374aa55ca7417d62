"""The OpenAPI documents: /openapi.json describes the answer of every /api/v1 route, and the
OGC API keeps its own definition at /ogc/api, listed nowhere else."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.shapes import new_event, new_hazard, rect

SUCCESS = ("200", "201")


def _resolved(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _described(schema: dict[str, Any], components: dict[str, Any]) -> bool:
    """Whether a schema says what the answer holds: not {}, not an object of anything."""
    schema = _resolved(schema, components)
    alternatives = schema.get("anyOf") or schema.get("oneOf")
    if alternatives:
        return all(_described(s, components) for s in alternatives)
    kind = schema.get("type")
    if kind == "array":
        return _described(schema.get("items", {}), components)
    if kind == "object":
        values = schema.get("additionalProperties")
        return bool(schema.get("properties")) or (
            isinstance(values, dict) and _described(values, components)
        )
    return kind in ("string", "number", "integer", "boolean", "null")


@pytest.fixture
def documents(call) -> tuple[dict[str, Any], dict[str, Any]]:
    anonymous = call("anonymous")
    main = anonymous.get("/openapi.json")
    assert main.status_code == 200
    ogc = anonymous.get("/ogc/api")
    assert ogc.status_code == 200
    assert ogc.headers["content-type"].startswith("application/vnd.oai.openapi+json")
    return main.json(), ogc.json()


def test_every_api_route_describes_its_answer(documents) -> None:
    main, _ = documents
    components = main["components"]["schemas"]
    operations = [
        (method, path, operation)
        for path, item in main["paths"].items()
        if path.startswith("/api/v1/")
        for method, operation in item.items()
    ]
    assert len(operations) >= 30  # every route of the API, not a few
    for method, path, operation in operations:
        name = f"{method.upper()} {path}"
        answers = [
            operation["responses"][code] for code in SUCCESS if code in operation["responses"]
        ]
        if not answers:
            assert set(operation["responses"]) & {"204"}, name  # no content: sign out
            continue
        for answer in answers:
            assert answer.get("content"), name
            for media, content in answer["content"].items():
                assert _described(content.get("schema", {}), components), f"{name} {media}"


def test_files_are_declared_with_their_media_types(documents) -> None:
    main, _ = documents
    export = main["paths"]["/api/v1/export/{what}"]["get"]["responses"]["200"]["content"]
    assert {"application/geo+json", "application/geopackage+sqlite3", "text/csv"} <= set(export)
    assert "application/json" not in export  # a file, not JSON
    report = main["paths"]["/api/v1/reports/article-4-6"]["get"]["responses"]["200"]["content"]
    assert report["application/json"]["schema"]["$ref"].endswith("/Article46Report")
    assert {"application/zip", "text/html"} <= set(report)


def test_geojson_answers_are_typed_features(documents) -> None:
    main, _ = documents
    components = main["components"]["schemas"]
    answer = main["paths"]["/api/v1/hazards"]["get"]["responses"]["200"]["content"]
    collection = _resolved(answer["application/json"]["schema"], components)
    feature = _resolved(collection["properties"]["features"]["items"], components)
    assert feature["properties"]["type"]["const"] == "Feature"
    geometry = feature["properties"]["geometry"]["anyOf"]
    kinds = {
        _resolved(s, components)["properties"]["type"]["const"]
        for s in _resolved(geometry[0], components)["oneOf"]
    }
    assert {"Polygon", "MultiPolygon"} <= kinds
    properties = _resolved(feature["properties"]["properties"], components)
    assert properties["properties"]["sha_m2"]["type"] == "number"
    assert properties["properties"]["hazard_class"]["$ref"].endswith("/HazardClass")


def test_the_ogc_api_has_its_own_definition_only(documents) -> None:
    main, ogc = documents
    assert not [path for path in main["paths"] if path.startswith("/ogc")]
    assert ogc["openapi"].startswith("3.0")
    assert ogc["servers"][0]["url"].endswith("/ogc")
    assert {"/", "/conformance", "/collections", "/collections/regions/items"} <= set(ogc["paths"])
    for item in ogc["paths"].values():
        for operation in item.values():
            assert "200" in operation["responses"], operation["operationId"]


def test_answers_match_their_schemas(client, documents) -> None:
    """What the routes answer has the keys their schema requires, and no others."""
    main, _ = documents
    components = main["components"]["schemas"]
    assert client.post("/api/v1/hazards", json=new_hazard("H-1", rect(0, 0, 400, 300))).is_success
    event = new_event(rect(0, 0, 200, 300), "clear", "2015-06-01", operator="NPA")
    assert client.post("/api/v1/hazards/H-1/events", json=event).is_success
    for path, route in (
        ("/api/v1/hazards", "/api/v1/hazards"),
        ("/api/v1/hazards/H-1", "/api/v1/hazards/{reference}"),
        ("/api/v1/hazards/H-1/events", "/api/v1/hazards/{reference}/events"),
        ("/api/v1/totals?group_by=hazard_class", "/api/v1/totals"),
        ("/api/v1/land-release?from=2010-01-01", "/api/v1/land-release"),
        ("/api/v1/me", "/api/v1/me"),
        ("/api/v1/audit", "/api/v1/audit"),
    ):
        schema = main["paths"][route]["get"]["responses"]["200"]["content"]["application/json"]
        answer = client.get(path).json()
        assert _problems(answer, schema["schema"], components, path) == []


def _problems(value: Any, schema: dict[str, Any], components: dict[str, Any], where: str) -> list:
    """Where ``value`` departs from ``schema`` (the parts of JSON Schema the API uses)."""
    schema = _resolved(schema, components)
    alternatives = schema.get("anyOf") or schema.get("oneOf")
    if alternatives:
        found = [_problems(value, s, components, where) for s in alternatives]
        return [] if [] in found else [f"{where}: fits none of its alternatives"]
    if "const" in schema:
        return [] if value == schema["const"] else [f"{where}: {value!r} is not {schema['const']}"]
    if "enum" in schema:
        return [] if value in schema["enum"] else [f"{where}: {value!r} not in {schema['enum']}"]
    kinds = {
        "object": dict,
        "array": list,
        "string": str,
        "integer": int,
        "number": (int, float),
        "boolean": bool,
        "null": type(None),
    }
    kind = schema.get("type")
    if (
        kind is None
        or not isinstance(value, kinds[kind])
        or (isinstance(value, bool) and kind in ("integer", "number"))
    ):
        return [f"{where}: {value!r:.60} is not of type {kind}"]
    problems = []
    if isinstance(value, dict) and "properties" in schema:
        missing = set(schema.get("required", [])) - set(value)
        unknown = set(value) - set(schema["properties"])
        problems += [f"{where}: lacks {sorted(missing)}"] if missing else []
        problems += [f"{where}: has {sorted(unknown)} it does not declare"] if unknown else []
        for key, item in value.items():
            if key in schema["properties"]:
                problems += _problems(item, schema["properties"][key], components, f"{where}.{key}")
    elif isinstance(value, dict) and isinstance(schema.get("additionalProperties"), dict):
        for key, item in value.items():
            problems += _problems(
                item, schema["additionalProperties"], components, f"{where}.{key}"
            )
    elif isinstance(value, list) and "items" in schema:
        for item in value:
            problems += _problems(item, schema["items"], components, f"{where}[]")
    return problems
