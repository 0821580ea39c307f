"""`--state-file`: the whole mock (tenants, timers, clock, outbox, journal, config) on disk.

A state file is one JSON header line (format, version, vendors, when) followed by a pickle
of the mock's state. Vendors are written by name and resolved from this process's registry
on load. Writes are atomic: a temporary file in the same folder, flushed and fsynced, then
renamed over the old one. A file that is corrupt, from another program or another format
version, or for other vendors is refused with a clear error and never overwritten.

Only load state files this mock wrote: unpickling runs code named in the file.
"""

from __future__ import annotations

import asyncio
import io
import json
import pickle
import sys
from pathlib import Path
from typing import Any

from mockserver.core.clock import wall_now
from mockserver.core.state import MockState
from mockserver.core.storage import write_atomically
from mockserver.core.timefmt import iso_z
from mockserver.core.vendor import VendorSpec
from mockserver.vendors import REGISTRY

FORMAT = "mockserver-state"
VERSION = 1


class StateFileError(RuntimeError):
    """A state file that cannot be used; it is left untouched."""


class _StatePickler(pickle.Pickler):
    def persistent_id(self, obj: Any) -> Any:
        if isinstance(obj, VendorSpec):
            return ("vendor", obj.name)
        return None


class _StateUnpickler(pickle.Unpickler):
    def persistent_load(self, pid: Any) -> Any:
        kind, name = pid
        if kind != "vendor" or name not in REGISTRY:
            raise StateFileError(f"the state file names an unknown vendor {name!r}")
        return REGISTRY[name]


def _header(state: MockState) -> dict[str, Any]:
    return {"format": FORMAT, "version": VERSION, "vendors": list(state.vendors), "saved_at": iso_z(wall_now())}


def dump_state(state: MockState) -> bytes:
    payload = io.BytesIO()
    _StatePickler(payload, protocol=pickle.HIGHEST_PROTOCOL).dump(state)
    return json.dumps(_header(state)).encode() + b"\n" + payload.getvalue()


def save_state(state: MockState, path: str | Path) -> None:
    """Write the state atomically: temporary file, fsync, rename, fsync of the folder."""
    write_atomically(Path(path), dump_state(state))


def read_state(path: str | Path, expected_vendors: list[str]) -> MockState:
    """The state saved in `path`, or StateFileError saying why it cannot be used."""
    raw = Path(path).read_bytes()
    header_line, _, payload = raw.partition(b"\n")
    header = _parse_header(header_line, path)
    if header["vendors"] != expected_vendors:
        raise StateFileError(
            f"{path} holds vendors {header['vendors']}, this server serves {expected_vendors}; "
            "start with the same --vendor options or another --state-file"
        )
    try:
        state = _StateUnpickler(io.BytesIO(payload)).load()
    except StateFileError:
        raise
    except Exception as error:
        raise StateFileError(f"{path} is damaged ({type(error).__name__}: {error}); it was left as it is") from error
    if not isinstance(state, MockState):
        raise StateFileError(f"{path} does not hold a mock state")
    return state


def _parse_header(line: bytes, path: str | Path) -> dict[str, Any]:
    try:
        header = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise StateFileError(f"{path} is not a mockserver state file; it was left as it is")
    if header.get("version") != VERSION:
        raise StateFileError(f"{path} has state format {header.get('version')}, this mockserver reads {VERSION}")
    return header


def restore_state(state: MockState, path: str | Path) -> bool:
    """Load `path` into the running `state` if it exists; False when there was nothing to load."""
    if not Path(path).exists():
        return False
    state.adopt(read_state(path, list(state.vendors)))
    return True


class PersistentApp:
    """Wraps an app so that its state is saved every `every_seconds` and at shutdown.

    It answers the ASGI lifespan itself; the saves run on the server's event loop, between
    requests, so a snapshot never sees a request half done.
    """

    def __init__(self, app: Any, state: MockState, path: str | Path, every_seconds: float) -> None:
        self.app = app
        self.state = state
        self.path = path
        self.every_seconds = every_seconds
        self._task: asyncio.Task[None] | None = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        await self.app(scope, receive, send)

    async def _lifespan(self, receive: Any, send: Any) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self._task = asyncio.get_running_loop().create_task(self._save_periodically())
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self._task is not None:
                    self._task.cancel()
                self.save()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _save_periodically(self) -> None:
        while True:
            await asyncio.sleep(self.every_seconds)
            self.save()

    def save(self) -> None:
        try:
            save_state(self.state, self.path)
        except OSError as error:  # a full disk must not take the mock down; the old file stays
            print(f"mockserver: could not save {self.path}: {error}", file=sys.stderr, flush=True)
