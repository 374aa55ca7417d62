"""The phone forms are built by pyxform and pass ODK Validate, which parses them with
JavaRosa as ODK Collect does (Java from Debian, installed on first use)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.formats.xforms import build, sources
from tests.support.clients import JAVA, ensure_installed

pytestmark = pytest.mark.java


@pytest.fixture(scope="session")
def java() -> None:
    if shutil.which("java") is None:  # any Java will do; Debian's default otherwise
        ensure_installed(JAVA)


@pytest.mark.parametrize("source", sources(), ids=lambda p: p.stem)
def test_each_form_passes_odk_validate(java: None, source: Path) -> None:
    form = build(source, validate=True)
    assert form.form_id == source.stem and form.media == ("hazards.csv",)


def test_odk_validate_refuses_a_broken_form(java: None, tmp_path: Path) -> None:
    """The check can fail: a form whose calculation calls no known function is refused."""
    from pyxform.validators.odk_validate import ODKValidateError

    broken = tmp_path / "broken.md"
    clearance = next(p for p in sources() if p.stem == "clearance").read_text()
    text = clearance.replace("count(${items})", "nosuchfn(${items})")
    assert text != clearance
    broken.write_text(text)
    with pytest.raises(ODKValidateError):
        build(broken, validate=True)
