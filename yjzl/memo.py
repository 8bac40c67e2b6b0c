"""Values remembered by an object's identity.

For objects that cannot be hashed cheaply or at all: an expression tree is nested tuples, hashed
whole at every lookup; a compiled check is a mutable dataclass. The object is held beside its
value, so that its id is not reused while it is remembered; a memo that has grown past `LIMIT`
(catalogues loaded again and again in one process: the tests, a library user) starts again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")
LIMIT = 50_000


def by_identity(memo: dict[int, tuple[Any, Any]], key: Any, work: Callable[[Any], T]) -> T:
    """`work(key)`, worked out once per object and remembered in `memo`."""
    hit = memo.get(id(key))
    if hit is not None and hit[0] is key:
        return hit[1]
    value = work(key)
    if len(memo) > LIMIT:
        memo.clear()
    memo[id(key)] = (key, value)
    return value
