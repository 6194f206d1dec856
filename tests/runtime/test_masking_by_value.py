"""Secrets are masked by what holds them as well as by name (issue 14): a store record whose Key names a
secret is masked whole in every log line, ``-v``, the journal and the panels, and a masked value shows no
character of the secret."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from runtime.builder import WorkflowBuilder
from runtime.cli import main
from runtime.elsa_json import save_workflow
from runtime.masking import KNOWN_SECRETS, SecretMasker, remember_secrets_in
from runtime.secrets import mask_secret
from runtime.store.store import ObjectStore

PASSWORD = "s3cret-pw-778899"
USER = "wowuser-4455"
TOKEN = "tok-abcdefghijkl-1234"
SEED = {
    "types": [{"name": "Settings", "fields": ["Key", "Data1", "Data2"]}],
    "instances": {
        "Settings": [
            {"ObjectId": 1, "Key": "APIBaseURL", "Data1": "http://127.0.0.1:5080", "Data2": ""},
            {"ObjectId": 2, "Key": "AccessToken", "Data1": TOKEN, "Data2": "2999-01-01T00:00:00Z"},
            {"ObjectId": 3, "Key": "AccessTokenCreds", "Data1": USER, "Data2": PASSWORD},
        ]
    },
}


@pytest.fixture(autouse=True)
def _forget_secrets() -> Iterator[None]:
    KNOWN_SECRETS.clear()
    yield
    KNOWN_SECRETS.clear()


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    path = tmp_path / "store.db"
    with ObjectStore(path) as store:
        store.import_seed(SEED)
    return path


def _creds_workflow() -> WorkflowBuilder:
    """Reads the credentials record and the token record, copies the password, quotes them all."""
    return (
        WorkflowBuilder("CredsProbe")
        .add("list", "ObjectInstanceList", ObjectType="Settings", Filter="Key eq 'AccessTokenCreds'")
        .add("get", "ObjectInstanceGet", InstanceId="3", VariableName="Creds")
        .add("tok", "ObjectInstanceGet", InstanceId="2", VariableName="Stored")
        .add("pw", "SetVariable", VariableName="copy", Value=("Liquid", "{{ Variables.Creds.Data2 }}"))
        .add(
            "corr",
            "Correlate",
            Value=(
                "Liquid",
                "user {{ Variables.Creds.Data1 }} pw {{ Variables.copy }} tok {{ Variables.Stored.Data1 }}",
            ),  # noqa: E501
        )
        .add("fin", "Finish", ActivityOutput="done")
        .connect("list", "get")
        .connect("get", "tok", "Success")
        .connect("tok", "pw", "Success")
        .chain("pw", "corr", "fin")
    )


_WHEN_AND_WHO = re.compile(r"^\S+Z (\S+ +\S+ +\[[0-9a-f]{8}\] )?", re.MULTILINE)
"""A log line's time stamp, level, tag and instance id: what the line says starts after them."""


@pytest.mark.parametrize("verbose", [True, False])
def test_no_character_of_a_stored_secret_reaches_the_log(
    tmp_path: Path, store_path: Path, capsys: pytest.CaptureFixture[str], verbose: bool
) -> None:
    path = tmp_path / "creds.json"
    save_workflow(_creds_workflow().build(), path)
    code = main(["run", str(path), "--store", str(store_path), *(["-v"] if verbose else [])])
    err = capsys.readouterr().err
    assert code == 0, err
    said = _WHEN_AND_WHO.sub("", err)  # an instance id's random hex may hold "1234" by chance
    for secret in (PASSWORD, USER, TOKEN):
        for piece in (secret, secret[-4:]):
            assert piece not in said, f"{piece!r} in the log"
    assert "user **** pw **** tok ****" in err
    if verbose:
        masked = '"Key": "AccessTokenCreds", "Data1": "****", "Data2": "****"'
        assert 'Creds = {"ObjectId": 3, "Title": "", ' + masked + "}" in err
        assert 'copy = "****"' in err, "a value copied from a secret is known by its value"


def test_a_record_naming_a_secret_is_masked_whole_whatever_its_fields_hold() -> None:
    masker = SecretMasker(shared=None)
    record = {"ObjectId": 7, "Key": "ApiKey", "Data1": "k-12345678", "Data2": 998877, "Extra": {"a": ["b"]}}
    assert masker.value(record) == {
        "ObjectId": 7,
        "Key": "ApiKey",
        "Data1": "****",
        "Data2": "****",
        "Extra": {"a": ["****"]},
    }
    listed = masker.value([record, {"Key": "APIBaseURL", "Data1": "http://x"}])
    assert listed[1] == {"Key": "APIBaseURL", "Data1": "http://x"}, "other records are shown"
    assert masker.text("called with k-12345678 and 998877") == "called with **** and ****"


@pytest.mark.parametrize("key", ["Creds", "MyPassword", "GitHubToken", "ClientSecret", "ApiKey", "api_key"])
def test_keys_that_name_secrets(key: str) -> None:
    assert SecretMasker(shared=None).value({"Key": key, "Data1": "value-1234"})["Data1"] == "****"


def test_masked_values_show_no_characters() -> None:
    assert mask_secret("Bearer abcdefgh12345678") == "Bearer ****"
    assert mask_secret("x" * 40 + "1234") == "****"
    masker = SecretMasker(shared=None)
    assert masker.value("abcdefghijkl1234", "access_token") == "****"
    assert masker.text("Authorization: Bearer abcdefgh12345678") == "Authorization: Bearer ****"
    assert masker.text("url?token=abcdefgh12345678&x=1") == "url?token=****&x=1"


def test_what_the_runtime_reads_is_remembered_for_every_viewer() -> None:
    remember_secrets_in([{"Key": "AccessTokenCreds", "Data1": USER, "Data2": PASSWORD}])
    remember_secrets_in({"authToken": TOKEN, "expiresInMinutes": 30})
    fresh = SecretMasker()
    assert fresh.text(f"{USER}/{PASSWORD} then {TOKEN}") == "****/**** then ****"


def test_serve_verbose_log_masks_records(tmp_path: Path, store_path: Path) -> None:
    from runtime.host import BackgroundHost
    from runtime.host.endpoints import HostedWorkflow
    from runtime.host.server import make_host

    workflow = (
        WorkflowBuilder("Served")
        .add("http", "HttpEndpoint", name="request", Path="/creds", Methods=("Json", '["GET"]'))
        .add("get", "ObjectInstanceGet", InstanceId="3", VariableName="Creds")
        .add("corr", "Correlate", Value=("Liquid", "pw {{ Variables.Creds.Data2 }}"))
        .connect("http", "get")
        .connect("get", "corr", "Success")
        .build()
    )
    log = io.StringIO()
    app = make_host([HostedWorkflow(workflow, "served.json")], [tmp_path], store_path, log=log, verbose=True)
    with BackgroundHost(app) as host:
        assert httpx.get(f"{host.url}/creds", timeout=10).status_code == 204
    text = log.getvalue()
    assert "Creds = {" in text and "pw ****" in text
    assert PASSWORD not in text and USER not in text and PASSWORD[-4:] not in text


def test_the_journal_panel_masks_a_listed_secret_record() -> None:
    pytest.importorskip("PySide6")
    from designer.panels.journal import JournalModel

    model = JournalModel()
    record = {"ObjectId": 3, "Key": "AccessTokenCreds", "Data1": USER, "Data2": PASSWORD}
    shown = model.shown_value([record])
    assert json.dumps(shown) == json.dumps([{**record, "Data1": "****", "Data2": "****"}])
