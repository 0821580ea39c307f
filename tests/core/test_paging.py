"""`window` is list slicing without the copy, for any start and count a client can send."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mockserver.core.paging import window

starts = st.integers(0, 12) | st.integers(2**62, 2**70)
counts = st.integers(1, 12) | st.integers(2**62, 2**70)


@given(items=st.lists(st.integers(), max_size=10), start=starts, count=counts)
def test_a_window_is_the_slice(items: list[int], start: int, count: int) -> None:
    assert window(iter(items), start, count) == items[start : start + count]
