"""Errors that mean "the user's input cannot be used": one line, exit 2, no traceback."""

from __future__ import annotations


class YjzlError(Exception):
    """Base of every error yjzl reports to the user as a single line."""


class UsageProblem(YjzlError):
    """The call itself is wrong (an unknown form, an output that would overwrite an input …)."""


class UnusableInput(YjzlError):
    """A file that cannot be read as a submission at all."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
