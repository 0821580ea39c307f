"""Id streams: seeded, per vendor, and drawn exactly as `random.Random.choices` would draw them
(ids in saved states and users' recorded fixtures must not change with a faster generator)."""

from __future__ import annotations

import random
import string

from hypothesis import given
from hypothesis import strategies as st

from mockserver.core.ids import ALPHANUMERIC, IdStream

alphabets = st.sampled_from([ALPHANUMERIC, string.hexdigits[:16], "ab"])


@given(seed=st.integers(0, 2**32), vendor=st.text(max_size=12), lengths=st.lists(st.integers(0, 40), max_size=20))
def test_tokens_are_the_choices_stream(seed: int, vendor: str, lengths: list[int]) -> None:
    stream, reference = IdStream(seed, vendor), random.Random(f"{seed}:{vendor}")
    for length in lengths:
        assert stream.token(length) == "".join(reference.choices(ALPHANUMERIC, k=length))


@given(seed=st.integers(0, 2**32), alphabet=alphabets, length=st.integers(1, 40))
def test_tokens_use_only_their_alphabet(seed: int, alphabet: str, length: int) -> None:
    token = IdStream(seed, "v").token(length, alphabet)
    assert len(token) == length and set(token) <= set(alphabet)


def test_unique_tokens_never_repeat_what_is_taken() -> None:
    stream, taken = IdStream(0, "v"), set()
    issued = [stream.unique_token(1, taken, "ab") for _ in range(2)]
    assert sorted(issued) == ["a", "b"] and taken == {"a", "b"}
