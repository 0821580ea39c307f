"""Seeded randomness: id streams per vendor and the content digest.

Ids come from one stream per vendor seeded with "<seed>:<vendor>", so traffic to one vendor
never shifts another's ids. Generated content never draws from a stream: it hashes its
inputs with `content_digest`, so it does not depend on the order of requests.
"""

from __future__ import annotations

import hashlib
import random
import string
import uuid

ALPHANUMERIC = string.ascii_letters + string.digits


class IdStream:
    def __init__(self, seed: int, vendor: str) -> None:
        self._random = random.Random(f"{seed}:{vendor}")

    def token(self, length: int, alphabet: str = ALPHANUMERIC) -> str:
        """`length` characters drawn as `Random.choices(alphabet, k=length)` draws them (the same
        stream, character for character), without its general argument handling."""
        draw, size = self._random.random, len(alphabet)
        return "".join([alphabet[int(draw() * size)] for _ in range(length)])

    def uuid4(self) -> str:
        return str(uuid.UUID(int=self._random.getrandbits(128), version=4))

    def unique_token(self, length: int, taken: set[str], alphabet: str = ALPHANUMERIC) -> str:
        """A token not in `taken`, which is then added to it."""
        while True:
            candidate = self.token(length, alphabet)
            if candidate not in taken:
                taken.add(candidate)
                return candidate


class ContentDigest:
    """`H(parts) = SHA-256("|".join([seed, *parts]))` with `u(k)` reading 32-bit words."""

    def __init__(self, seed: int, parts: list[str]) -> None:
        self._digest = hashlib.sha256("|".join([str(seed), *parts]).encode()).digest()

    def u(self, k: int) -> int:
        return int.from_bytes(self._digest[4 * k : 4 * k + 4], "big")

    @property
    def hex(self) -> str:
        """The digest as 64 lowercase hex characters."""
        return self._digest.hex()
