"""Firing on the virtual clock: re-arming, one-off completion, suspend and resume, delete, deliveries."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from tests.postageapp.support import (
    KEY,
    METADATA,
    NOT_FOUND,
    START,
    UPDATE_FAILED,
    advance,
    call,
    configure,
    create,
    error_of,
    errors_of,
    fire_times,
    get,
    messages,
    update,
)

HOUR = 3600
DAY = 86400


def iso(offset_seconds: int) -> str:
    return (START + timedelta(seconds=offset_seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")


def scheduled(offset_seconds: int) -> str:
    return (START + timedelta(seconds=offset_seconds)).strftime("%Y-%m-%dT%H:%M:%S+00:00")


# ---------------------------------------------------------------- repeatable events


def test_repeatable_event_fires_every_period_and_re_arms(client: httpx.Client) -> None:
    assert create(client, "digest", "every 5 mins")["scheduled_at"] == scheduled(300)
    assert advance(client, HOUR) == 12
    assert fire_times(client, "digest") == [iso(300 * n) for n in range(1, 13)]
    event = get(client, "digest")
    assert (event["status"], event["scheduled_at"]) == ("activated", scheduled(HOUR + 300))


def test_a_long_clock_advance_fires_every_missed_occurrence_at_its_due_time(client: httpx.Client) -> None:
    create(client, "hourly", "@hourly")
    assert advance(client, 3 * DAY) == 72
    assert fire_times(client, "hourly") == [iso(HOUR * n) for n in range(1, 73)]


def test_every_minute_for_a_day(client: httpx.Client) -> None:
    create(client, "often", "every minute")
    advance(client, DAY)
    assert fire_times(client, "often") == [iso(60 * n) for n in range(1, 1441)]


def test_fires_align_to_the_clock_not_to_creation(client: httpx.Client) -> None:
    advance(client, 150)  # 09:02:30
    assert create(client, "aligned", "every 5 mins")["scheduled_at"] == scheduled(300)
    advance(client, 600)
    assert fire_times(client, "aligned") == [iso(300), iso(600)]


# ---------------------------------------------------------------- one-off events


def test_a_single_event_fires_once_then_is_completed(client: httpx.Client) -> None:
    create(client, "once", "in 10 minutes")
    advance(client, 599)
    assert fire_times(client, "once") == []
    advance(client, 1)
    assert fire_times(client, "once") == [iso(600)]
    event = get(client, "once")
    assert (event["status"], event["scheduled_at"], event["event_type"]) == ("completed", None, "single")
    advance(client, 30 * DAY)
    assert fire_times(client, "once") == [iso(600)]


def test_a_completed_event_keeps_its_uid_and_is_listed(client: httpx.Client) -> None:
    create(client, "once", "tomorrow")
    advance(client, DAY)
    response = call(client, "create_scheduled_event", uid="once", schedule="tomorrow", metadata={})
    assert errors_of(response) == ["[:uid, :project id] is already taken"]
    listed = call(client, "list_scheduled_events").json()["data"]["scheduled_events"]
    assert [(event["uid"], event["status"]) for event in listed] == [("once", "completed")]


def test_a_new_schedule_reactivates_a_completed_event_unless_suspended(client: httpx.Client) -> None:
    create(client, "a", "in 1 minute")
    create(client, "b", "in 1 minute")
    advance(client, 60)
    revived = update(client, "a", schedule="every hour").json()["data"]
    assert (revived["status"], revived["event_type"], revived["scheduled_at"]) == (
        "activated",
        "repeatable",
        scheduled(HOUR),
    )
    kept = update(client, "b", schedule="every hour", status="suspend").json()["data"]
    assert (kept["status"], kept["scheduled_at"]) == ("suspend", None)
    advance(client, HOUR)
    assert fire_times(client, "a") == [iso(60), iso(HOUR)]
    assert fire_times(client, "b") == [iso(60)]


def test_resuming_a_completed_one_off_is_in_the_past(client: httpx.Client) -> None:
    create(client, "once", "in 1 minute")
    advance(client, 60)
    assert errors_of(update(client, "once", status="active"), UPDATE_FAILED) == ["[:schedule] is in the past"]
    assert get(client, "once")["status"] == "completed"


# ---------------------------------------------------------------- suspend and resume


def test_suspending_stops_firing_and_resuming_does_not_replay_missed_fires(client: httpx.Client) -> None:
    create(client, "digest", "every 5 mins")
    advance(client, 600)  # fires 09:05, 09:10
    suspended = update(client, "digest", status="suspend").json()["data"]
    assert (suspended["status"], suspended["scheduled_at"]) == ("suspend", None)
    advance(client, 1320)  # 09:32:00, nothing fires
    assert fire_times(client, "digest") == [iso(300), iso(600)]
    resumed = update(client, "digest", status="activated").json()["data"]
    assert (resumed["status"], resumed["scheduled_at"]) == ("activated", scheduled(2100))
    advance(client, 300)
    assert fire_times(client, "digest") == [iso(300), iso(600), iso(2100)]


def test_a_suspended_one_off_resumes_if_its_instant_is_still_ahead(client: httpx.Client) -> None:
    create(client, "later", "in 1 hour")
    update(client, "later", status="suspend")
    advance(client, 600)
    assert update(client, "later", status="active").json()["data"]["scheduled_at"] == scheduled(HOUR)
    advance(client, HOUR)
    assert fire_times(client, "later") == [iso(HOUR)]


def test_a_suspended_one_off_whose_instant_passed_cannot_resume(client: httpx.Client) -> None:
    create(client, "missed", "in 5 minutes")
    update(client, "missed", status="suspend")
    advance(client, 600)
    assert errors_of(update(client, "missed", status="active"), UPDATE_FAILED) == ["[:schedule] is in the past"]
    event = get(client, "missed")
    assert (event["status"], event["scheduled_at"]) == ("suspend", None)
    assert fire_times(client, "missed") == []


def test_update_without_status_keeps_it(client: httpx.Client) -> None:
    create(client, "digest", "every 5 mins")
    update(client, "digest", status="suspend")
    changed = update(client, "digest", schedule="@daily").json()["data"]
    assert (changed["status"], changed["schedule"], changed["frequency"], changed["scheduled_at"]) == (
        "suspend",
        "@daily",
        "@daily",
        None,
    )


# ---------------------------------------------------------------- schedule and metadata changes


def test_a_new_schedule_recomputes_event_type_and_the_next_fire(client: httpx.Client) -> None:
    create(client, "digest", "every 5 mins")
    changed = update(client, "digest", schedule="2026-12-01 12:00").json()["data"]
    assert (changed["event_type"], changed["scheduled_at"]) == ("single", "2026-12-01T12:00:00+00:00")
    advance(client, 10 * DAY)
    assert fire_times(client, "digest") == ["2026-12-01T12:00:00Z"]


def test_new_metadata_replaces_the_old_for_later_fires(client: httpx.Client) -> None:
    create(client, "digest", "@hourly")
    advance(client, HOUR)
    new_metadata = {"arguments": {"recipients": {"a@example.com": {}, "b@example.com": {}}, "template": "t"}}
    assert update(client, "digest", metadata=new_metadata).json()["data"]["metadata"] == new_metadata
    advance(client, HOUR)
    first, second = messages(client, resource_id="digest")
    assert first["payload"]["request"]["arguments"] == METADATA["arguments"]
    assert second["payload"]["request"]["arguments"] == new_metadata["arguments"]
    assert second["destination"] == "a@example.com,b@example.com"


def test_an_invalid_update_changes_nothing(client: httpx.Client) -> None:
    create(client, "digest", "every 5 mins")
    response = update(client, "digest", schedule="every 61 minutes", status="suspend", metadata=[])
    assert errors_of(response, UPDATE_FAILED) == ["[:schedule] is invalid", "[:metadata] is invalid"]
    event = get(client, "digest")
    assert (event["schedule"], event["status"], event["metadata"]) == ("every 5 mins", "activated", METADATA)


# ---------------------------------------------------------------- delete


def test_delete_drops_pending_fires_and_frees_the_uid(client: httpx.Client) -> None:
    create(client, "digest", "every 5 mins")
    advance(client, 300)
    assert call(client, "delete_scheduled_event", uid="digest").status_code == 200
    advance(client, HOUR)
    assert fire_times(client, "digest") == [iso(300)]
    assert error_of(call(client, "get_scheduled_event", uid="digest"), 404)["message"] == NOT_FOUND
    assert error_of(call(client, "delete_scheduled_event", uid="digest"), 404)["message"] == NOT_FOUND
    assert create(client, "digest", "@hourly")["scheduled_at"] == scheduled(2 * HOUR)


# ---------------------------------------------------------------- what a fire executes


def test_a_fire_merges_the_project_key_and_its_own_message_uid(client: httpx.Client) -> None:
    metadata = {"api_key": "someone-elses-key", "uid": "ignored", **METADATA}
    create(client, "digest", "every 5 mins", metadata=metadata)
    assert get(client, "digest")["metadata"] == metadata  # stored as sent, no key merged in
    advance(client, 300)
    (entry,) = messages(client, resource_id="digest")
    assert entry["payload"]["request"] == {"api_key": KEY, "uid": "digest@2026-11-23T09:05:00Z", **METADATA}
    assert (entry["kind"], entry["tenant"], entry["destination"]) == ("send_message", KEY, "ops@example.com")


def test_an_invalid_message_still_fires_and_is_recorded_as_bad_request(client: httpx.Client) -> None:
    create(client, "broken", "@hourly", metadata={"arguments": {"recipients": "", "content": {}}})
    create(client, "bare", "@hourly", metadata={})
    call(client, "send_message", uid="m", arguments={"recipients": "x@example.com", "template": "t"})
    advance(client, HOUR)
    broken, bare = messages(client, resource_id="broken")[0], messages(client, resource_id="bare")[0]
    assert broken["payload"]["status"] == "bad_request"
    assert (broken["payload"]["error"], broken["payload"]["message_id"], broken["destination"]) == (
        "Recipients are missing",
        None,
        None,
    )
    assert bare["payload"]["error"] == "Arguments are missing"
    assert get(client, "broken")["scheduled_at"] == scheduled(2 * HOUR)  # a failed message does not stop the event


def test_message_ids_count_valid_messages_only_across_fires_and_direct_calls(client: httpx.Client) -> None:
    create(client, "ok", "@hourly")
    create(client, "broken", "@hourly", metadata={})
    advance(client, 2 * HOUR)
    direct = call(client, "send_message", arguments={"recipients": "x@example.com", "template": "t"})
    assert direct.json()["data"]["message"]["id"] == "1000000003"
    ids = [entry["payload"]["message_id"] for entry in messages(client)]
    assert ids == ["1000000001", None, "1000000002", None, "1000000003"]


def test_message_id_start_knob(client: httpx.Client) -> None:
    configure(client, message_id_start=42)
    response = call(client, "send_message", arguments={"recipients": "x@example.com", "template": "t"})
    assert response.json()["data"]["message"]["id"] == "42"


def test_a_fire_whose_message_uid_was_used_directly_is_a_duplicate(client: httpx.Client) -> None:
    create(client, "digest", "every 5 mins")
    arguments = {"recipients": "x@example.com", "template": "t"}
    assert call(client, "send_message", uid="digest@2026-11-23T09:05:00Z", arguments=arguments).status_code == 200
    advance(client, 600)
    first, second = messages(client, resource_id="digest")
    assert first["payload"]["error"] == "Uid digest@2026-11-23T09:05:00Z already exists. Assuming message duplication."
    assert second["payload"]["status"] == "ok"


def test_a_direct_message_may_not_reuse_a_fires_uid(client: httpx.Client) -> None:
    create(client, "digest", "every 5 mins")
    advance(client, 900)
    update(client, "digest", schedule="@hourly")  # the fires so far stay taken after a change
    arguments = {"recipients": "x@example.com", "template": "t"}
    for stamp, status in (("09:10:00", 400), ("09:10:30", 200), ("09:20:00", 200), ("09:05:00", 400)):
        response = call(client, "send_message", uid=f"digest@2026-11-23T{stamp}Z", arguments=arguments)
        assert response.status_code == status, stamp
    call(client, "delete_scheduled_event", uid="digest")
    response = call(client, "send_message", uid="digest@2026-11-23T09:15:00Z", arguments=arguments)
    assert error_of(response, 400)["message"].endswith("already exists. Assuming message duplication.")


def test_a_fire_uid_longer_than_a_message_uid_may_be_is_a_bad_request(client: httpx.Client) -> None:
    uid = "u" * 255
    create(client, uid, "@hourly")
    advance(client, HOUR)
    (entry,) = messages(client, resource_id=uid)
    assert entry["payload"]["error"] == "Uid must be a string of 1 to 255 characters"


@pytest.mark.parametrize(
    ("recipients", "destination"),
    [
        ("a@example.com", "a@example.com"),
        ("a@example.com, b@example.com", "a@example.com,b@example.com"),
        (["a@example.com", "b@example.com"], "a@example.com,b@example.com"),
        ({"b@example.com": {"name": "B"}, "a@example.com": {}}, "b@example.com,a@example.com"),
    ],
)
def test_a_direct_message_is_delivered_with_its_recipients(client: httpx.Client, recipients, destination) -> None:
    arguments = {"recipients": recipients, "content": {"text/plain": "Hi"}, "attachments": {"x": {"$ref": "u"}}}
    response = call(client, "send_message", uid="m-1", arguments=arguments)
    assert response.json() == {"response": {"uid": "m-1", "status": "ok"}, "data": {"message": {"id": "1000000001"}}}
    (entry,) = messages(client, resource_id="m-1")
    assert (entry["destination"], entry["at"], entry["kind"]) == (destination, iso(0), "send_message")
    assert entry["payload"] == {
        "source": "api",
        "event_uid": None,
        "message_uid": "m-1",
        "status": "ok",
        "message_id": "1000000001",
        "error": None,
        "request": {"api_key": KEY, "uid": "m-1", "arguments": arguments},
    }


def test_an_invalid_direct_message_is_not_delivered(client: httpx.Client) -> None:
    assert call(client, "send_message", uid="m-1", arguments={"recipients": "x@example.com"}).status_code == 400
    assert messages(client) == []
    assert (
        call(client, "send_message", uid="m-1", arguments={"recipients": "x@example.com", "template": "t"}).status_code
        == 200
    )
