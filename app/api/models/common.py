"""What the response models share: their base, keys that are left out, links."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ResponseModel(BaseModel):
    """A response body. Fields the model does not name are left out of the answer."""

    model_config = ConfigDict(extra="ignore")


def left_out_unless(description: str) -> Any:
    """A key the answer has only when ``description`` applies, left out otherwise: the route
    answers with ``response_model_exclude_unset``. Type it ``X | SkipJsonSchema[None]`` when
    it is never null."""
    return Field(None, description=description, json_schema_extra=_without_default)


def _without_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


class Link(ResponseModel):
    rel: str
    href: str


class Photo(ResponseModel):
    """A photo a phone sent with a submission."""

    name: str = Field(description="the file name the phone gave it")
    content_type: str
    size_bytes: int
    href: str = Field(description="the photo, for whoever may see the fact")
