"""The long fuzz: many random and hostile requests across all vendors, in-process; no 5xx allowed.

Run: python bench/fuzz_long.py [--requests 100000] [--seed 0]
Every route of every vendor's OpenAPI document gets random JSON bodies (objects, arrays,
deep nesting, odd numbers, control characters), random content types, random ids and query
strings, with and without credentials. It prints the status counts and exits 1 on any 5xx,
printing the request that caused it.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections import Counter
from typing import Any
from urllib.parse import quote

import httpx

from mockserver import create_app
from mockserver.inprocess import client_for
from mockserver.vendors import REGISTRY

ALPHABET = "aZ09_-.~/%\x00\x1f\u202e\u00e9\U0001f600\\\"'<>&;{}[] "
CONTENT_TYPES = ["application/json", "text/plain", "application/vnd.api+json", "", "application/x-www-form-urlencoded"]
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]


def text(rng: random.Random, longest: int = 40) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, longest)))


def value(rng: random.Random, depth: int = 0) -> Any:
    kinds = ["str", "int", "float", "bool", "null", "list", "dict"] if depth < 4 else ["str", "int", "null"]
    kind = rng.choice(kinds)
    if kind == "str":
        return text(rng)
    if kind == "int":
        return rng.choice([0, -1, 1, 7, 2**31, -(2**63), 10**30, rng.randint(-1000, 1000)])
    if kind == "float":
        return rng.choice([0.5, -1.5, 1e308, 1.0, 3.0])
    if kind == "bool":
        return rng.random() < 0.5
    if kind == "null":
        return None
    if kind == "list":
        return [value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    return {text(rng, 12): value(rng, depth + 1) for _ in range(rng.randint(0, 6))}


def body(rng: random.Random, fields: list[str]) -> bytes:
    roll = rng.random()
    if roll < 0.6:
        document = {name: value(rng) for name in rng.sample(fields, k=rng.randint(0, len(fields)))} if fields else {}
        document.update({text(rng, 8): value(rng) for _ in range(rng.randint(0, 2))})
        return json.dumps(document).encode()
    if roll < 0.75:
        return json.dumps(value(rng)).encode()
    if roll < 0.85:
        return b"[" * rng.randint(1, 5000) + b"]" * rng.randint(0, 5000)
    return bytes(rng.randrange(256) for _ in range(rng.randint(0, 64)))


def credentials(client: httpx.Client) -> dict[str, dict[str, str]]:
    form = {"grant_type": "client_credentials"}
    token = client.post("/oauth/token", data=form, auth=("fuzz", "secret")).json()["access_token"]
    return {
        "qonversion": {"Authorization": "Bearer sk_fuzz"},
        "talkdesk": {"Authorization": f"Bearer {token}"},
        "sendkit": {"X-Api-Key": "sk_fuzz"},
        "postageapp": {},
    }


def targets() -> list[tuple[str, str, str, list[str]]]:
    found = []
    for name, vendor in REGISTRY.items():
        for route in vendor.spec.routes:
            for method, operation in route.operations.items():
                found.append((name, method, route.template, list(operation.body_fields)))
    return found


def request(rng: random.Random, target: tuple[str, str, str, list[str]], auth: dict[str, dict[str, str]]) -> dict:
    vendor, method, template, fields = target
    path = re.sub(
        r"\{[^}]+\}", lambda match: rng.choice(["calls", "abc", quote(text(rng, 12), safe="") or "x"]), template
    )
    headers = dict(auth[vendor]) if rng.random() < 0.85 else {}
    content_type = rng.choice(CONTENT_TYPES)
    if content_type:
        headers["Content-Type"] = content_type
    query = {text(rng, 6) or "limit": text(rng, 6)} if rng.random() < 0.3 else None
    payload = body(rng, fields + (["api_key"] if vendor == "postageapp" else []))
    if vendor == "postageapp" and payload.startswith(b"{") and rng.random() < 0.7:
        payload = b'{"api_key": "fuzz", ' + payload[1:] if payload != b"{}" else b'{"api_key": "fuzz"}'
    return {
        "method": rng.choice(METHODS) if rng.random() < 0.1 else method,
        "url": path,
        "headers": headers,
        "params": query,
        "content": payload,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    statuses: Counter[int] = Counter()
    started = time.perf_counter()
    with client_for(create_app({"outbox_max_entries": 1000, "journal_max_entries": 1000})) as client:
        auth = credentials(client)
        routes = targets()
        for number in range(args.requests):
            sent = request(rng, rng.choice(routes), auth)
            try:
                status = client.request(**sent).status_code
            except httpx.RemoteProtocolError:  # only an injected fault drops; none is set here
                status = 599
            statuses[status] += 1
            if status >= 500:
                print(f"5xx on request {number}: {sent}", file=sys.stderr)
                return 1
            if number % 5000 == 4999:
                client.post("/_mock/clock", json={"advance_seconds": 3600})
    seconds = time.perf_counter() - started
    scope = f"{len(routes)} routes of {len(REGISTRY)} vendors"
    print(f"{args.requests} requests over {scope} in {seconds:.1f} s, seed {args.seed}")
    print("statuses: " + ", ".join(f"{status}: {count}" for status, count in sorted(statuses.items())))
    print("no 5xx")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
