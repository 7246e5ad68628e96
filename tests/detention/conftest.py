from __future__ import annotations

import pytest

from parcours.rules import sentences

from .factories import fake_compute


@pytest.fixture
def engine(monkeypatch: pytest.MonkeyPatch) -> None:
    """The stand-in engine (tests/detention/factories.py) in place of rules.sentences.compute."""
    monkeypatch.setattr(sentences, "compute", fake_compute)
