"""Secrets a recorded run read are written as stand-ins, the same one wherever the secret appears."""

from __future__ import annotations

from runtime.flowtest.stand_ins import StandIns, exchange_bodies, secrets_in

SEED = {
    "types": [{"name": "Settings", "fields": []}],
    "instances": {
        "Settings": [
            {"ObjectId": 1, "Key": "APIBaseURL", "Data1": "http://127.0.0.1:9/", "Data2": ""},
            {"ObjectId": 3, "Key": "AccessTokenCreds", "Data1": "wow", "Data2": "hunter2-long"},
        ]
    },
}
EXCHANGES = [
    {
        "request": {"method": "POST", "url": "http://x/auth", "json": {"user": "wow", "pw": "hunter2-long"}},
        "response": {"status": 200, "json": {"authToken": "tok-123456", "expires": 60}},
    },
    {
        "request": {"method": "GET", "url": "http://x/api?key=tok-123456"},
        "response": {"status": 200, "text": "hello wow"},
    },
]


def test_secrets_are_found_in_records_naming_a_secret_and_under_secret_keys() -> None:
    found = secrets_in(SEED, exchange_bodies(EXCHANGES))
    assert found == ["wow", "hunter2-long", "tok-123456"]
    assert "http://127.0.0.1:9/" not in found, "a record that names no secret is kept"


def test_each_secret_has_one_stand_in_everywhere() -> None:
    stand_ins = StandIns(secrets_in(SEED, exchange_bodies(EXCHANGES)))
    http = stand_ins.value(EXCHANGES)
    seed = stand_ins.value(SEED)
    password = seed["instances"]["Settings"][1]["Data2"]
    assert password == "flowdesk-secret-2"
    assert http[0]["request"]["json"]["pw"] == password
    assert http[0]["response"]["json"]["authToken"] == "flowdesk-secret-3"
    assert http[1]["request"]["url"] == "http://x/api?key=flowdesk-secret-3"
    assert http[0]["response"]["json"]["expires"] == 60
    assert list(http[0]["request"]["json"]) == ["user", "pw"], "keys are never replaced"


def test_a_short_secret_is_replaced_only_where_it_is_the_whole_value() -> None:
    stand_ins = StandIns(secrets_in(SEED, exchange_bodies(EXCHANGES)))
    assert stand_ins.text("wow") == "flowdesk-secret-1"
    assert stand_ins.text("hello wow") == "hello wow"
    assert stand_ins.value(EXCHANGES)[0]["request"]["json"]["user"] == "flowdesk-secret-1"


def test_stand_ins_already_written_are_not_secrets_again() -> None:
    assert secrets_in({"Key": "Password", "Data1": "flowdesk-secret-1"}) == []
    assert StandIns([]).by_secret == {}
