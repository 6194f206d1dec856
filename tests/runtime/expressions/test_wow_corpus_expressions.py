"""Every JavaScript and Liquid expression the two WoW sample workflows evaluate, run as they run there.

The expressions are read from the corpus files (effective syntax and value type from the catalog), and
each must have an expectation below, so a changed sample cannot slip through untested.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from runtime.catalog import get_descriptor
from runtime.catalog.outcomes import effective_syntax
from runtime.elsa_json import load_workflow
from runtime.expressions import ExpressionError, ScriptScope, evaluate
from runtime.model import WorkflowDefinition

AUTH_FILE = "wow-get-changing-access-token-authentication.json"
CALL_API_FILE = "wow-call-my-api.json"

ACCESS_TOKEN = {
    "ObjectId": 1,
    "Title": "",
    "Key": "AccessToken",
    "Data1": "tok",
    "Data2": "2020-01-01T00:00:00Z",
}
API_BASE_URL = {
    "ObjectId": 2,
    "Title": "",
    "Key": "APIBaseURL",
    "Data1": "http://127.0.0.1:5080",
    "Data2": "",
}
CREDS = {"ObjectId": 3, "Title": "", "Key": "AccessTokenCreds", "Data1": "wow", "Data2": "s3cret"}
API_RESULT = {"states": ["NSW", "VIC"]}


@dataclass(frozen=True)
class Found:
    activity: str
    property: str
    syntax: str
    text: str
    value_type: str


@dataclass(frozen=True)
class Expect:
    activity: str
    property: str
    text_contains: str
    check: Callable[[Any], bool]


def effective_expressions(workflow: WorkflowDefinition) -> list[Found]:
    found = []
    for activity in workflow.activities:
        descriptor = get_descriptor(activity.type)
        for prop in activity.properties:
            prop_descriptor = descriptor.get_property(prop.name) if descriptor else None
            syntax = effective_syntax(prop, prop_descriptor)
            if syntax in ("JavaScript", "Liquid"):
                value_type = prop_descriptor.value_type if prop_descriptor else "any"
                found.append(
                    Found(
                        activity.display_name or activity.type,
                        prop.name,
                        syntax,
                        prop.expression(syntax) or "",
                        value_type,
                    )
                )
    return found


def equals(expected: Any) -> Callable[[Any], bool]:
    return lambda value: value == expected


def raises(message: str, line: int) -> Callable[[Any], bool]:
    def check(error: Any) -> bool:
        return isinstance(error, ExpressionError) and error.message == message and error.line == line

    return check


def new_token_values(value: Any) -> bool:
    expires = dt.datetime.fromisoformat(value["Data2"].replace("Z", "+00:00"))
    in_an_hour = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=60)
    return value["Data1"] == "new-token" and abs((expires - in_an_hour).total_seconds()) < 120


def auth_request_body(value: Any) -> bool:
    return json.loads(value) == {"username": "wow", "password": "s3cret", "accounNumber": 12000}


AUTH_EXPECTATIONS = [
    Expect("Get TransEliteAccessToken", "InstanceId", "getSettingToken", equals(1)),
    Expect("If access token expired", "Condition", "isEarlierThanNow", equals(True)),
    Expect("Get TransEliteAPIBaseURL", "InstanceId", "getAPIBaseURL", equals(2)),
    Expect("Update AccessToken instance", "InstanceId", "Variables.AccessToken.ObjectId", equals(1)),
    Expect("Update AccessToken instance", "Values", "setMinutes", new_token_values),
    Expect("Set access_token_expiry", "Value", "expiresInMinutes", equals(60)),
    Expect("Set access_token", "Value", "authToken", equals("new-token")),
    Expect("Set access_token", "Value", 'getVariable("AccessToken").Data1', equals("tok")),
    Expect("get access token", "Url", '"/auth"', equals("http://127.0.0.1:5080/auth")),
    Expect("get access token", "Content", "Variables.Creds.Data1", auth_request_body),
    Expect("get access token", "RequestHeaders", "", equals(None)),
    Expect("Finish and return access_token", "ActivityOutput", "access_token", equals("new-token")),
    Expect(
        "Correlate - new access token is blank", "Value", "blank", equals("200 - new access token is blank")
    ),
    Expect(
        "Finish and return error",
        "ActivityOutput",
        "it was blank",
        equals("Unable to get access token - it was blank.  Return code 200"),
    ),
    Expect(
        "Finish and return error",
        "ActivityOutput",
        "access token.  Return code",
        equals("Unable to get access token.  Return code 200"),
    ),
    Expect(
        "Correlate - failed to get new access token",
        "Value",
        "failed",
        equals("200 - failed to get new access token"),
    ),
    Expect("if we have an authToken", "Condition", "authToken", equals(True)),
    Expect("Get Creds", "InstanceId", "getCreds", equals(3)),
]

CALL_API_EXPECTATIONS = [
    Expect("HTTP Response - not found", "Content", "not found", equals("not found")),
    Expect(
        "Run Workflow GetChangingAccessTokenAuthentication",
        "WorkflowDefinitionId",
        "ByName",
        equals("9d2a31a3de5e434ebda637578c535e4a"),
    ),
    Expect(
        "Correlate - failed to get new access token",
        "Value",
        "workflowOutput",
        equals("new-token - failed to get new access token"),
    ),
    Expect("Get AccessToken", "InstanceId", "getSettingToken", equals(1)),
    Expect("If access token expired", "Condition", "isEarlierThanNow", equals(True)),
    Expect("Set access_token", "Value", 'getVariable("AccessToken").Data1', equals("tok")),
    Expect("Set access_token", "Value", "workflowOutput", equals("new-token")),
    Expect("Finish and return data", "ActivityOutput", "null,2", equals(json.dumps(API_RESULT, indent=2))),
    # The sample reads "Method2", which nothing sets (the variable is "Method"): null in the text.
    Expect("Correlate - finished - bad", "Value", "error: ", equals("error: null /state - 200")),
    Expect("Correlate - finished", "Value", "finished ", equals("finished null /state")),
    Expect(
        "Set ErrorResponse", "Value", "Response()", equals({"StatusCode": 200, "Headers": {"Server": "t"}})
    ),
    Expect("Finish and return error", "ActivityOutput", "ErrorResponseContent", equals('"200 - not here"')),
    Expect("Set ErrorResponseContent", "Value", "ResponseContent()", equals(API_RESULT)),
    # The sample's Url reads "BaseURL" but the record is stored as "APIBaseURL": a clear error at line 1.
    Expect(
        "Send HTTP Request - api",
        "Url",
        "BaseURL",
        raises("TypeError: cannot read property 'Data1' of null", 1),
    ),
    Expect("Send HTTP Request - api", "Method", "Method", equals("GET")),
    Expect("Send HTTP Request - api", "Content", 'getVariable("Content")', equals({"PortId": 1})),
    Expect("Send HTTP Request - api", "Authorization", "Bearer", equals("Bearer new-token")),
    Expect("Send HTTP Request - api", "RequestHeaders", "", equals(None)),
    Expect("Get BaseURL", "InstanceId", "getAPIBaseURL", equals(2)),
]


def library(corpus: Path) -> dict[str, str]:
    workflows = [load_workflow(corpus / name) for name in (AUTH_FILE, CALL_API_FILE)]
    return {w.name: w.definition_id for w in workflows if w.name and w.definition_id}


def auth_scope(corpus: Path) -> ScriptScope:
    return ScriptScope(
        variables={
            "AccessToken": dict(ACCESS_TOKEN),
            "Creds": dict(CREDS),
            "APIBaseURL": dict(API_BASE_URL),
            "access_token": "new-token",
            "access_token_expiry": 60,
        },
        input={"Path": "/getAccessToken", "Method": "GET"},
        activities={
            "getSettingToken": {"Output": [dict(ACCESS_TOKEN)]},
            "getCreds": {"Output": [dict(CREDS)]},
            "getAPIBaseURL": {"Output": [dict(API_BASE_URL)]},
            "auth": {
                "Response": {"StatusCode": 200, "Headers": {"Content-Type": "application/json"}},
                "ResponseContent": {"authToken": "new-token", "expiresInMinutes": 60},
            },
        },
        workflow_instance_id="instance-auth",
        workflow_ids_by_name=library(corpus),
    )


def call_api_scope(corpus: Path) -> ScriptScope:
    return ScriptScope(
        variables={
            "AccessToken": dict(ACCESS_TOKEN),
            "APIBaseURL": dict(API_BASE_URL),
            "api": "/state",
            "Method": "GET",
            "Content": {"PortId": 1},
            "access_token": "new-token",
            "ErrorResponseContent": "not here",
        },
        input={"api": "/state", "method2": "GET", "content2": {"PortId": 1}},
        activities={
            "getSettingToken": {"Output": [dict(ACCESS_TOKEN)]},
            "getAPIBaseURL": {"Output": [dict(API_BASE_URL)]},
            "getAuthToken": {"Output": {"WorkflowInstanceId": "child-1", "WorkflowOutput": "new-token"}},
            "httpAPI": {
                "Response": {"StatusCode": 200, "Headers": {"Server": "t"}},
                "ResponseContent": API_RESULT,
            },
        },
        workflow_instance_id="instance-call",
        workflow_ids_by_name=library(corpus),
    )


def run(found: Found, scope: ScriptScope) -> Any:
    try:
        return evaluate(found.syntax, found.text, scope, found.value_type)
    except ExpressionError as error:
        return error


@pytest.mark.parametrize(
    ("file_name", "make_scope", "expectations"),
    [(AUTH_FILE, auth_scope, AUTH_EXPECTATIONS), (CALL_API_FILE, call_api_scope, CALL_API_EXPECTATIONS)],
)
def test_every_script_and_template_of_the_sample_evaluates_as_expected(
    corpus_dir: Path, file_name: str, make_scope: Callable[[Path], ScriptScope], expectations: list[Expect]
) -> None:
    found = effective_expressions(load_workflow(corpus_dir / file_name))
    used: set[int] = set()
    failures = []
    for expression in found:
        matches = [
            index
            for index, expect in enumerate(expectations)
            if (expect.activity, expect.property) == (expression.activity, expression.property)
            and expect.text_contains in expression.text
        ]
        assert len(matches) == 1, f"{expression.activity}.{expression.property}: {len(matches)} expectations"
        used.update(matches)
        result = run(expression, make_scope(corpus_dir))
        if not expectations[matches[0]].check(result):
            failures.append(f"{expression.activity}.{expression.property} -> {result!r}")
    assert failures == []
    assert used == set(range(len(expectations))), "an expectation matched no expression in the file"


def expired_condition(corpus: Path, file_name: str) -> Found:
    return next(
        f
        for f in effective_expressions(load_workflow(corpus / file_name))
        if f.activity == "If access token expired"
    )


@pytest.mark.parametrize("file_name", [AUTH_FILE, CALL_API_FILE])
@pytest.mark.parametrize(
    ("expiry", "expired"),
    [
        ("2020-01-01T00:00:00Z", True),
        ("2999-01-01T00:00:00Z", False),
        ("", True),
        ("not a date", True),
        (None, True),
    ],
)
def test_expired_condition_decides_on_the_stored_expiry(
    corpus_dir: Path, file_name: str, expiry: str | None, expired: bool
) -> None:
    condition = expired_condition(corpus_dir, file_name)
    scope = ScriptScope(variables={"AccessToken": {**ACCESS_TOKEN, "Data2": expiry}})
    assert run(condition, scope) is expired


@pytest.mark.parametrize("file_name", [AUTH_FILE, CALL_API_FILE])
def test_expired_condition_without_a_token_record_fails_at_the_line_that_reads_it(
    corpus_dir: Path, file_name: str
) -> None:
    condition = expired_condition(corpus_dir, file_name)
    error = run(condition, ScriptScope(variables={}))
    assert isinstance(error, ExpressionError)
    assert (error.line, error.message) == (3, "TypeError: cannot read property 'Data2' of null")


def test_auth_token_check_is_false_for_a_blank_token(corpus_dir: Path) -> None:
    check = next(
        f
        for f in effective_expressions(load_workflow(corpus_dir / AUTH_FILE))
        if f.activity == "if we have an authToken"
    )
    scope = auth_scope(corpus_dir)
    scope.activities = {"auth": {"ResponseContent": {"authToken": "", "expiresInMinutes": 60}}}
    assert run(check, scope) is False


def test_call_api_url_works_once_base_url_is_set(corpus_dir: Path) -> None:
    url = next(
        f for f in effective_expressions(load_workflow(corpus_dir / CALL_API_FILE)) if f.property == "Url"
    )
    scope = call_api_scope(corpus_dir)
    scope.variables["BaseURL"] = dict(API_BASE_URL)
    assert run(url, scope) == "http://127.0.0.1:5080/state"


def test_liquid_request_body_from_the_unused_call_api_alternative(corpus_dir: Path) -> None:
    """The CallMyAPI Content also keeps a Liquid text (not the effective one): it must work if chosen."""
    workflow = load_workflow(corpus_dir / CALL_API_FILE)
    content = next(a for a in workflow.activities if a.name == "httpAPI").get_property("Content")
    assert content is not None
    scope = call_api_scope(corpus_dir)
    scope.variables["Content2"] = {"PortId": 1, "Name": "Ü"}
    rendered = evaluate("Liquid", content.expression("Liquid"), scope, "any")
    assert json.loads(rendered) == {"PortId": 1, "Name": "Ü"}
