"""Pages of stored items: a window of an iterable, for any page numbers a client may send."""

from __future__ import annotations

import itertools
import sys
from collections.abc import Iterable
from typing import TypeVar

T = TypeVar("T")


def window(values: Iterable[T], start: int, count: int) -> list[T]:
    """Items `start` to `start + count` of `values`, without copying the rest. Schemas set no
    upper bound on offsets and page numbers, so either may be past what `islice` can count
    (`sys.maxsize`); nothing stored can be that far, so such a window is empty."""
    if start >= sys.maxsize:
        return []
    return list(itertools.islice(values, start, min(start + count, sys.maxsize)))
