"""Every relative link and image in README.md and docs/ points at a file that exists, and every
anchor at a heading of the page it names (as GitHub writes heading anchors).

Standard library only and no database: `pytest --noconftest tests/test_doc_links.py` runs it
without PostgreSQL.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from urllib.parse import unquote

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]

_FENCE = re.compile(r"^\s*(```|~~~)")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")
_INLINE_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'(][^)]*)?\)")
_REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)")
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def prose_lines(text: str) -> list[str]:
    """The lines outside fenced code blocks, each inline code span reduced to its text without
    brackets: code in a link's text stays, a link written as code is no link."""
    lines, fenced = [], False
    for line in text.splitlines():
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            lines.append(_CODE_SPAN.sub(lambda m: re.sub(r"[\[\]()]", "", m.group(2)), line))
    return lines


def links(text: str) -> list[str]:
    found = []
    for line in prose_lines(text):
        found += _INLINE_LINK.findall(line)
        found += _REFERENCE.findall(line)
    return found


def slug(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link keeps its text
    text = re.sub(r"[^\w\- ]", "", text.lower())
    return text.replace(" ", "-")


def anchors(text: str) -> set[str]:
    seen: Counter[str] = Counter()
    found = set()
    for line in prose_lines(text):
        heading = _HEADING.match(line)
        if heading:
            base = slug(heading.group(2))
            found.add(base if not seen[base] else f"{base}-{seen[base]}")
            seen[base] += 1
    return found


def broken_links(page: Path) -> list[str]:
    """The links of ``page`` that lead nowhere, each with the reason."""
    problems = []
    for target in links(page.read_text(encoding="utf-8")):
        if _SCHEME.match(target):
            continue  # a web address: not checked offline
        path_part, _, anchor = target.partition("#")
        destination = (page.parent / unquote(path_part)).resolve() if path_part else page
        if not destination.exists():
            problems.append(f"{target}: no such file")
        elif (
            anchor
            and destination.suffix == ".md"
            and anchor not in anchors(destination.read_text(encoding="utf-8"))
        ):
            problems.append(f"{target}: no heading with the anchor #{anchor}")
    return problems


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_link_of_the_page_leads_somewhere(page: Path) -> None:
    assert broken_links(page) == []


def test_the_guides_are_all_reached_from_the_readme() -> None:
    readme = links((ROOT / "README.md").read_text(encoding="utf-8"))
    reached = {(ROOT / t.partition("#")[0]).resolve() for t in readme if not _SCHEME.match(t)}
    unreached = [p.name for p in PAGES[1:] if p.resolve() not in reached]
    assert unreached == []


def test_the_check_finds_a_missing_file_and_a_missing_anchor(tmp_path: Path) -> None:
    (tmp_path / "other.md").write_text("# A title, with punctuation\n\n## Twice\n\n## Twice\n")
    page = tmp_path / "page.md"
    page.write_text(
        "# Page\n"
        "[fine](other.md#a-title-with-punctuation) [second](other.md#twice-1) [self](#page)\n"
        "![gone](missing.png) [wrong](other.md#nowhere) [web](https://example.org/x)\n"
        "`[not a link](missing-too.md)`\n"
        "```\n[in a code block](missing-as-well.md)\n```\n"
    )
    assert broken_links(page) == [
        "missing.png: no such file",
        "other.md#nowhere: no heading with the anchor #nowhere",
    ]
