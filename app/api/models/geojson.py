"""GeoJSON (RFC 7946) geometries and features, as the API serves them."""

from __future__ import annotations

from typing import Annotated, Generic, Literal, TypeVar

from pydantic import BaseModel, Field, WithJsonSchema

from app.api.models.common import ResponseModel

# A whole number stays one (PostGIS writes 102, not 102.0).
Coordinate = Annotated[int | float, WithJsonSchema({"type": "number"})]
# Longitude, latitude (WGS 84), in that order.
Position = Annotated[list[Coordinate], Field(min_length=2, max_length=3)]


class Point(ResponseModel):
    type: Literal["Point"]
    coordinates: Position


class MultiPoint(ResponseModel):
    type: Literal["MultiPoint"]
    coordinates: list[Position]


class LineString(ResponseModel):
    type: Literal["LineString"]
    coordinates: list[Position]


class MultiLineString(ResponseModel):
    type: Literal["MultiLineString"]
    coordinates: list[list[Position]]


class Polygon(ResponseModel):
    type: Literal["Polygon"]
    coordinates: list[list[Position]]


class MultiPolygon(ResponseModel):
    type: Literal["MultiPolygon"]
    coordinates: list[list[list[Position]]]


class GeometryCollection(ResponseModel):
    type: Literal["GeometryCollection"]
    geometries: list[Geometry]


# Land is drawn as a Polygon or MultiPolygon; the other types are there for completeness.
Geometry = Annotated[
    Point | MultiPoint | LineString | MultiLineString | Polygon | MultiPolygon | GeometryCollection,
    Field(discriminator="type"),
]
GeometryCollection.model_rebuild()

Id = TypeVar("Id", int, str)
Properties = TypeVar("Properties", bound=BaseModel)


class Feature(ResponseModel, Generic[Id, Properties]):
    type: Literal["Feature"]
    id: Id
    geometry: Geometry | None = Field(description="none where the land is nothing when drawn")
    properties: Properties
