"""Which language a request is answered in: the best match of its Accept-Language header
among the languages the service has a catalogue for, English when none matches."""

from __future__ import annotations

from contextvars import ContextVar

from app.i18n.catalogue import DEFAULT_LANGUAGE, languages

_current: ContextVar[str] = ContextVar("language", default=DEFAULT_LANGUAGE)


def current_language() -> str:
    """The language of the request being answered (English outside a request)."""
    return _current.get()


def set_language(language: str) -> None:
    _current.set(language)


def negotiated(accept_language: str | None) -> str:
    """The language to answer in, from an Accept-Language header (RFC 9110: quality values,
    ``fr-CA`` matching ``fr``); English when nothing offered matches."""
    if not accept_language:
        return DEFAULT_LANGUAGE
    offered = languages()
    ranked: list[tuple[float, int, str]] = []
    for position, item in enumerate(accept_language.split(",")):
        tag, _, rest = item.strip().partition(";")
        quality = 1.0
        if rest.strip().startswith("q="):
            try:
                quality = float(rest.strip()[2:])
            except ValueError:
                quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in offered and quality > 0:
            ranked.append((-quality, position, primary))
        elif primary == "*" and quality > 0:
            ranked.append((-quality, position, DEFAULT_LANGUAGE))
    return min(ranked)[2] if ranked else DEFAULT_LANGUAGE
