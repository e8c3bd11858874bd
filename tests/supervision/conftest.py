import pytest

from .fixtures import build_city, fake_files


@pytest.fixture
def city(world):
    return build_city(world)


@pytest.fixture
def fast_files(monkeypatch):
    """The submission freezes stand-in bytes instead of rendering the PDF and DOCX."""
    monkeypatch.setattr("supervision.services.frozen_files", fake_files)
