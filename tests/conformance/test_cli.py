"""`python -m conformance run`, in-process: exit codes, reports, masking, plan, progress line."""

from __future__ import annotations

import io
import json
import socket
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import httpx
import pytest

from conformance.cli import main
from conformance.vendors import VENDORS, plugin
from mockserver import create_app
from mockserver.inprocess import InProcessTransport
from tests.conformance.helpers import reports_left, without_control_plane
from tests.conformance.mutants import MUTANTS

URL = "http://mock.local"
SECRET = "sk_conformance_secret_0123456789"
FAST = ["--seed", "5", "--max-examples", "3"]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def run(*argv: str, app: object | None = None, env: dict[str, str] | None = None, stdout: io.StringIO | None = None):
    out, err = stdout or io.StringIO(), io.StringIO()
    transport = InProcessTransport(app if app is not None else create_app())  # type: ignore[arg-type]
    try:
        code = main(list(argv), stdout=out, stderr=err, env=env or {}, transport=transport)
    finally:
        transport.close()  # main closes it too, except when it stops before connecting
    return code, out.getvalue(), err.getvalue()


def test_a_clean_run_exits_0_and_writes_json_and_junit(tmp_path: Path) -> None:
    report, junit = tmp_path / "out.json", tmp_path / "out.xml"
    code, out, _ = run(
        "run", "--vendor", "all", "--base-url", URL, *FAST, "--report", str(report), "--junit", str(junit)
    )
    assert code == 0
    idle = [vendor for vendor in VENDORS if plugin(vendor) is None]
    count = sum(len(found.checks) for vendor in VENDORS if (found := plugin(vendor)) is not None)
    summary = f"{count} passed" + (f", {len(idle)} no checks yet" if idle else " |")
    assert "QON-SEND-AT-SLOT" in out and summary in out and "seed 5" in out
    document = json.loads(report.read_text())
    assert document["exit_code"] == 0 and document["seed"] == 5 and document["control_plane"] is True
    assert [r["status"] for r in document["results"]].count("passed") == count
    statuses = {r["rule"]: r["status"] for r in document["results"]}
    assert all(statuses[vendor] == "no checks yet" for vendor in idle)
    root = ElementTree.parse(junit).getroot()
    assert root.tag == "testsuites" and root.get("tests") == str(count + len(idle)) and root.get("failures") == "0"
    assert [suite.get("name") for suite in root] == ["qonversion", "talkdesk", "sendkit", "postageapp"]


def test_a_failure_exits_1_with_rule_curl_expected_actual_and_seed_and_never_shows_the_key(tmp_path: Path) -> None:
    mutant = next(m for m in MUTANTS if m.rule == "QON-SEND-AT-SLOT")
    report, junit = tmp_path / "out.json", tmp_path / "out.xml"
    argv = ["run", "--vendor", "qonversion", "--base-url", URL, *FAST, "--key", SECRET]
    code, out, err = run(*argv, "--report", str(report), "--junit", str(junit), app=mutant.app())
    assert code == 1
    failure = out[out.index("FAILED QON-SEND-AT-SLOT") :]
    for label in ("expected:", "actual:", "request:  curl ", "seed:", "replay:", "--only QON-SEND-AT-SLOT --seed 5"):
        assert label in failure
    assert "Authorization: Bearer ***" in failure
    for text in (out, err, report.read_text(), junit.read_text()):
        assert SECRET not in text
    failed = [r for r in json.loads(report.read_text())["results"] if r["status"] == "failed"]
    assert [r["rule"] for r in failed] == ["QON-SEND-AT-SLOT"] and failed[0]["failure"]["curl"].startswith("curl ")
    assert ElementTree.parse(junit).getroot().get("failures") == "1"


def test_credentials_come_from_the_environment_and_are_masked() -> None:
    app = without_control_plane(create_app())
    code, out, _ = run(
        "run", "--vendor", "qonversion", "--base-url", URL, *FAST, app=app, env={"QONVERSION_API_KEY": SECRET}
    )
    assert code == 0 and SECRET not in out
    assert "needs control plane" in out and "needs second key" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--only", "QON-NOPE"], "no check for rule id(s) QON-NOPE"),
        (["--vendor", "all", "--key", SECRET], "--key and --second-key need one --vendor"),
        (["--vendor", "nobody"], "invalid choice"),
        (["--budget", "0"], "must be 1 or more"),
    ],
)
def test_usage_errors_exit_2(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    try:
        code, _, err = run("run", "--base-url", URL, *FAST, *argv)
    except SystemExit as exit_:  # argparse's own usage errors
        code, err = int(str(exit_.code)), capsys.readouterr().err
    assert code == 2 and message in err and SECRET not in err


def test_no_base_url_no_key_without_control_plane_and_a_refused_key_exit_2() -> None:
    assert run("run", "--vendor", "qonversion", *FAST)[0] == 2
    hidden = without_control_plane(create_app())
    code, _, err = run("run", "--vendor", "qonversion", "--base-url", URL, app=hidden)
    assert code == 2 and "QONVERSION_API_KEY" in err
    code, _, err = run("run", "--vendor", "qonversion", "--base-url", URL, "--key", "pk_not_a_key", app=hidden)
    assert code == 2 and "refused (401)" in err and "pk_not_a_key" not in err


def test_an_unreachable_target_exits_2() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound, never listening: the connection is refused
        out, err = io.StringIO(), io.StringIO()
        code = main(
            ["run", "--vendor", "qonversion", "--base-url", f"http://127.0.0.1:{port}"], stdout=out, stderr=err, env={}
        )
    assert code == 2 and "cannot reach" in err.getvalue()


def test_plan_lists_every_check_and_sends_nothing() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"the plan sent {request.method} {request.url}")

    out = io.StringIO()
    argv = ["run", "--vendor", "all", "--plan", "--base-url", URL, "--max-examples", "7", "--read-only"]
    code = main(argv, stdout=out, stderr=io.StringIO(), env={}, transport=httpx.MockTransport(refuse))
    text = out.getvalue()
    assert code == 0 and "nothing is sent" in text
    assert all(f"{vendor}: no checks yet" in text for vendor in VENDORS if plugin(vendor) is None)
    assert all(f"{rule}:" in text for rule in ("QON-AUTH-BEARER", "QON-DAILY-DELIVERY", "QON-ROUTE"))
    assert "up to 7" in text and "[skipped: --read-only]" in text and "[GET-only part with --read-only]" in text


def test_the_progress_line_appears_on_a_terminal_only() -> None:
    argv = ["run", "--vendor", "qonversion", "--base-url", URL, *FAST, "--only", "QON-ROUTE,QON-NOT-FOUND"]
    code, out, _ = run(*argv, stdout=Terminal())
    assert code == 0 and "\r\x1b[K[ 1/2] qonversion QON-NOT-FOUND ..." in out and "QON-ROUTE passed (" in out
    code, out, _ = run(*argv)
    assert code == 0 and "\r" not in out


def test_list_names_every_rule_id(capsys: pytest.CaptureFixture[str]) -> None:
    out = io.StringIO()
    assert main(["list"], stdout=out) == 0
    assert out.getvalue().count("QON-") == 29
    for vendor in VENDORS:
        found = plugin(vendor)
        wanted = [f"{vendor}: no checks yet"] if found is None else [f"{check.rule} " for check in found.checks]
        assert all(line in out.getvalue() for line in wanted)


def test_interrupting_a_run_exits_130_after_deleting_what_it_created() -> None:
    app = create_app()

    class InterruptOnce(httpx.BaseTransport):
        def __init__(self) -> None:
            self.inner, self.count = InProcessTransport(app), 0

        def handle_request(self, request: httpx.Request) -> httpx.Response:
            self.count += 1
            if self.count == 120:
                raise KeyboardInterrupt
            return self.inner.handle_request(request)

        def close(self) -> None:
            self.inner.close()

    out = io.StringIO()
    code = main(
        ["run", "--vendor", "qonversion", "--base-url", URL, *FAST],
        stdout=out,
        stderr=io.StringIO(),
        env={},
        transport=InterruptOnce(),
    )
    assert code == 130 and "interrupted" in out.getvalue()
    assert reports_left(app) == {}


def test_a_behaviour_a_real_endpoint_may_differ_on_warns_there_and_fails_with_strict() -> None:
    newest_first = next(m for m in MUTANTS if m.rule == "QON-LIST-ORDER")
    argv = ["run", "--vendor", "qonversion", "--base-url", URL, *FAST, "--key", SECRET, "--only", "QON-LIST-ORDER"]
    code, out, _ = run(*argv, app=without_control_plane(newest_first.app()))
    assert code == 0 and "WARNING QON-LIST-ORDER (warning): the list shows them as" in out and SECRET not in out
    code, out, _ = run(*argv, "--strict", app=without_control_plane(newest_first.app()))
    assert code == 1 and "FAILED QON-LIST-ORDER" in out
    code, out, _ = run(*argv[:-2], "--only", "QON-LIST-ORDER", app=newest_first.app())  # the mock itself: hard
    assert code == 1
