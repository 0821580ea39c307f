"""The `mockserver` command: `mockserver serve` runs the same app the pytest plugin builds."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator, Sequence
from typing import Any

import uvicorn

from mockserver.app import UnknownVendor, create_app
from mockserver.core.clock import CLOCK_MODES, wall_now
from mockserver.core.config import ConfigError, load_config_file
from mockserver.core.guard import exposure_problem, is_loopback
from mockserver.core.journal import JournalEntry
from mockserver.core.timefmt import iso_z, parse_instant, whole_seconds
from mockserver.gctuning import collector_paused, freeze_after_full_collections, freeze_start_up
from mockserver.live import bind_socket, url_of
from mockserver.persistence import PersistentApp, StateFileError, restore_state
from mockserver.vendors import REGISTRY

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765


class _Server(uvicorn.Server):
    """uvicorn re-raises SIGINT/SIGTERM after its graceful shutdown; we exit 0 instead."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        with super().capture_signals():
            try:
                yield
            finally:
                self._captured_signals.clear()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mockserver", description="Mock report-scheduling APIs on a virtual clock.")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the mock APIs and the /_mock control plane over HTTP")
    serve.add_argument("--host", default=DEFAULT_HOST, help=f"interface to bind (default {DEFAULT_HOST})")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"0 picks a free port (default {DEFAULT_PORT})")
    serve.add_argument("--clock", choices=CLOCK_MODES, default="real", help="real: wall time; frozen: moves when told")
    serve.add_argument("--start-time", help="ISO-8601 start of the clock (default: now; frozen: 2026-11-23T09:00:00Z)")
    serve.add_argument("--seed", type=int, default=None, help="seed for ids, contents and faults (default 0)")
    serve.add_argument("--config", help="YAML or JSON config file of knobs")
    serve.add_argument("--control-token", help="require this token on every /_mock route (X-Control-Token header)")
    serve.add_argument(
        "--unsafe-open-control", action="store_true", help="allow a non-loopback --host without a control token"
    )
    serve.add_argument("--state-file", help="keep the mock's state in this file: restored at start, saved at stop")
    serve.add_argument(
        "--state-save-seconds", type=float, default=30.0, help="with --state-file, also save this often (default 30)"
    )
    serve.add_argument("--quiet", action="store_true", help="no log line per request")
    serve.add_argument("--vendor", action="append", choices=sorted(REGISTRY), help="serve only this one (repeatable)")
    return parser


def control_summary(args: argparse.Namespace) -> str:
    if args.control_token:
        return "control plane: /_mock needs the control token"
    if is_loopback(args.host):
        return "control plane: open on loopback only"
    return f"WARNING: control plane: /_mock is open to anyone who can reach {args.host} (--unsafe-open-control)"


def log_request(entry: JournalEntry) -> None:
    """One line per request: method, path, status, tenant, milliseconds."""
    target = f"{entry.path}?{entry.query}" if entry.query else entry.path
    tenant = entry.tenant or "-"
    print(f"{entry.time} {entry.method} {target} {entry.status} tenant={tenant} {entry.duration_ms:.1f}ms", flush=True)


def serve(args: argparse.Namespace) -> int:
    problem = exposure_problem(args.host, args.control_token, args.unsafe_open_control)
    if problem is not None:
        print(f"mockserver: error: {problem}", file=sys.stderr)
        return 2
    config = load_config_file(args.config) if args.config else {}
    if args.seed is not None:
        config["seed"] = args.seed
    start = parse_instant(args.start_time) if args.start_time else None
    if start is None and args.clock == "real":
        start = whole_seconds(wall_now())
    with collector_paused():
        app = create_app(
            config, vendors=args.vendor, start_time=start, clock=args.clock, control_token=args.control_token
        )
        state = app.state.mock
        served: Any = app
        if args.state_file:
            restored = restore_state(state, args.state_file)
            served = PersistentApp(app, state, args.state_file, args.state_save_seconds)
        freeze_start_up()  # start-up objects (specs, validators, restored state) never need scanning again
    freeze_after_full_collections()
    sock = bind_socket(args.host, args.port)
    print(f"mockserver listening on {url_of(sock)}", flush=True)
    print(f"vendors: {', '.join(state.vendors)}; clock: {state.clock.mode} at {iso_z(state.clock.now())}", flush=True)
    print(control_summary(args), flush=True)
    if args.state_file:
        print(f"state: {args.state_file} ({'restored' if restored else 'new'}; saved at stop)", flush=True)
    if not args.quiet:
        state.request_listeners.append(log_request)
    lifespan = "on" if args.state_file else "off"
    server = _Server(uvicorn.Config(served, log_level="warning", access_log=False, lifespan=lifespan, ws="none"))
    server.run(sockets=[sock])
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return serve(args)
    except (ConfigError, UnknownVendor, StateFileError, ValueError, OSError) as error:
        print(f"mockserver: error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
