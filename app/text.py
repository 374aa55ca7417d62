"""Text people give (references, names, notes): Unicode in any script, emoji included, but no
control characters: no line breaks where one line is expected (a reference travels in URLs,
headers and file names), no characters that reorder what is shown (U+202E), no NUL."""

from __future__ import annotations

import unicodedata

# Embeddings, overrides and isolates of the bidirectional algorithm: they make text read
# otherwise than it is stored.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Control characters, line and paragraph separators, lone surrogates.
_REFUSED_CATEGORIES = frozenset({"Cc", "Zl", "Zp", "Cs"})
LINE_BREAKS = frozenset("\n\r\t")


def control_character(text: str, *, line_breaks: bool = False) -> str | None:
    """The first character of ``text`` that text of this service may not hold (None when
    there is none); ``line_breaks`` allows new lines and tabs (free text such as notes)."""
    for character in text:
        if line_breaks and character in LINE_BREAKS:
            continue
        if character in BIDI_CONTROLS or unicodedata.category(character) in _REFUSED_CATEGORIES:
            return character
    return None


def codepoint(character: str) -> str:
    return f"U+{ord(character):04X}"
