"""Fixtures shared by the applications tests; a test file may override them with its own."""

import pytest

from tests.applications import drafting


@pytest.fixture
def trade():
    """An active trade whose pools (trade and overall) have room."""
    return drafting.trade_with_pool()
