"""Asserting on error messages: the project's errors name the op, the shapes or values, and the fix."""

from __future__ import annotations

import re

import pytest


def raises(kind: type, *fragments: str):
    """pytest.raises that also checks that every fragment appears, literally, in the message."""
    return pytest.raises(kind, match="(?s)" + "".join(f"(?=.*{re.escape(f)})" for f in fragments))
