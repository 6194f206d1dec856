"""Liquid templates as Elsa 2.15 renders them: the model, member access, encoding, filters and errors.

Sources are Elsa's ``src/scripting/Elsa.Scripting.Liquid`` and ``src/activities/Elsa.Activities.Http/Scripting
/Liquid`` (cited per test) and Fluid 2.2.14, the engine Elsa uses (``Elsa.Scripting.Liquid.csproj``).
"""

from __future__ import annotations

import base64
import json

import httpx
import pytest

from runtime.builder import WorkflowBuilder
from runtime.engine import InstanceStatus, RuntimeServices, WorkflowLibrary, WorkflowRunner
from runtime.expressions import ExpressionError, ScriptScope, evaluate
from runtime.host import BackgroundHost, WorkflowHost
from runtime.host.endpoints import HostedWorkflow


@pytest.fixture
def scope() -> ScriptScope:
    return ScriptScope(
        variables={
            "Creds": {"ObjectId": 3, "Title": "", "Key": "AccessTokenCreds", "Data1": "wow", "Data2": 'p"w'},
            "access_token": "tok-123",
            "Content2": {"PortId": 1, "Name": "Über"},
            "Items": [{"Name": "a"}, {"Name": "b"}],
        },
        input={"api": "/state", "Nested": {"Value": 5}},
        activities={"auth": {"ResponseContent": {"authToken": "abc"}, "Response": {"StatusCode": 200}}},
        workflow_instance_id="inst-1",
        correlation_id="corr-1",
        workflow_definition_id="def-1",
        workflow_definition_version=2,
        activity_id="act-7",
        activity_names=frozenset({"auth", "later"}),
    )


def liquid(text: str, scope: ScriptScope, value_type: str = "string") -> object:
    return evaluate("Liquid", text, scope, value_type)


def test_the_model_names(scope: ScriptScope) -> None:
    """src/scripting/Elsa.Scripting.Liquid/Handlers/ConfigureLiquidEngine.cs registers these members on
    the ActivityExecutionContext; WorkflowContextId is the context id (no workflow contexts here)."""
    assert liquid("Bearer {{Variables.access_token}}", scope) == "Bearer tok-123"
    assert liquid("{{ Input.api }}|{{ Input.Nested.Value }}", scope) == "/state|5"
    assert liquid("{{ Activities.auth.ResponseContent.authToken }}", scope) == "abc"
    assert liquid("{{ Activities.auth.Response.StatusCode }}", scope, "int") == 200
    assert (
        liquid(
            "{{ CorrelationId }} {{ WorkflowInstanceId }} {{ WorkflowDefinitionId }} "
            "{{ WorkflowDefinitionVersion }} {{ ActivityId }}[{{ WorkflowContextId }}]",
            scope,
        )
        == "corr-1 inst-1 def-1 2 act-7[]"
    )


def test_model_names_are_case_sensitive_and_a_wrong_case_is_named(scope: ScriptScope) -> None:
    """src/scripting/Elsa.Scripting.Liquid/Handlers/ConfigureLiquidEngine.cs registers "Input", "Variables"
    ... with Fluid's default MemberAccessStrategy (IgnoreCasing = false): ``input`` is not ``Input``. Elsa
    then reads it as an activity name and fails on member access; here the error says which name is meant."""
    with pytest.raises(ExpressionError) as caught:
        liquid("{{ input.api }}", scope)
    assert 'names are case-sensitive, use "Input"' in str(caught.value)
    with pytest.raises(ExpressionError):
        liquid("{{ variables.access_token }}", scope)


def test_variable_names_are_case_sensitive(scope: ScriptScope) -> None:
    """src/scripting/Elsa.Scripting.Liquid/Handlers/ConfigureLiquidEngine.cs resolves ``Variables.X`` with
    ``Variables.Has(key)`` (src/core/Elsa.Abstractions/Models/Variables.cs: ``Data.ContainsKey``, an ordinal
    dictionary): another case is nil."""
    assert liquid("[{{ Variables.Access_Token }}][{{ Variables.creds.Data1 }}]", scope) == "[][]"
    assert liquid("[{{ Variables.access_token }}]", scope) == "[tok-123]"


def test_transient_variables_are_merged_over_workflow_variables(scope: ScriptScope) -> None:
    """src/scripting/Elsa.Scripting.Liquid/Handlers/ConfigureLiquidEngine.cs reads
    ``WorkflowExecutionContext.GetMergedVariables()``, which puts transient state over the variables."""
    scope.transient_variables = {"access_token": "transient"}
    assert liquid("{{ Variables.access_token }}", scope) == "transient"


def test_members_of_json_objects_match_in_any_case(scope: ScriptScope) -> None:
    """src/scripting/Elsa.Scripting.Liquid/Handlers/ConfigureLiquidEngine.cs reads a JObject's members with
    ``GetValue(name, StringComparison.OrdinalIgnoreCase)``."""
    assert liquid("{{ Variables.Creds.data1 }}/{{ Variables.Creds.KEY }}", scope) == "wow/AccessTokenCreds"
    assert liquid("{{ Activities.auth.ResponseContent.AuthToken }}", scope) == "abc"
    assert liquid("{% for item in Variables.Items %}{{ item.name }}{% endfor %}", scope) == "ab"


def test_activities_by_exact_name_and_unknown_names_fail(scope: ScriptScope) -> None:
    """src/scripting/Elsa.Scripting.Liquid/Handlers/ConfigureLiquidEngine.cs: ``Activities.X`` is a
    LiquidActivityModel by name (``GetActivityBlueprintByName``, ``x.Name == name``) and its member loads the
    stored output (nil until the activity ran). An unknown name throws there (a null blueprint); any other
    top-level name is also read as an activity name."""
    assert liquid("[{{ Activities.later.Output }}]", scope) == "[]"
    assert liquid("{{ auth.ResponseContent.authToken }}", scope) == "abc"
    assert liquid("[{{ Activities.auth.responseContent }}]", scope) == "[]"
    with pytest.raises(ExpressionError) as caught:
        liquid("line 1\n{{ Activities.Auth.ResponseContent }}", scope)
    assert caught.value.line == 2
    assert 'there is no activity named "Auth"' in str(caught.value)


def test_output_is_html_encoded_as_dotnet_htmlencoder_default(scope: ScriptScope) -> None:
    """src/scripting/Elsa.Scripting.Liquid/Extensions/LiquidTemplateManagerExtensions.cs renders with
    ``HtmlEncoder.Default`` (LiquidHandler.cs calls that overload): Basic Latin only, ``< > & ' " +`` and
    control characters encoded; Fluid 2.2's StringValue/NumberValue encode when written."""
    scope.variables["text"] = "<a href='x'>\"A&B\"</a> 1+1 é €\n😀"
    assert liquid("{{ Variables.text }}", scope) == (
        "&lt;a href=&#x27;x&#x27;&gt;&quot;A&amp;B&quot;&lt;/a&gt; 1&#x2B;1 &#xE9; &#x20AC;&#xA;&#x1F600;"
    )
    assert liquid("<b>{{ 'x' }}</b> \"kept\"", scope) == '<b>x</b> "kept"'


def test_raw_and_capture_are_not_encoded(scope: ScriptScope) -> None:
    """Fluid 2.2.14 (the version in Elsa.Scripting.Liquid.csproj): ``raw`` returns ``new StringValue(s,
    false)`` and CaptureStatement stores its (already encoded) output the same way; a later filter makes
    a new, encoded string again."""
    assert liquid("{{ '<b>x</b>' | raw }}", scope) == "<b>x</b>"
    assert liquid("{% capture c %}<{{ '<' }}>{% endcapture %}{{ c }}", scope) == "<&lt;>"
    assert liquid("{{ '<b>' | raw | upcase }}", scope) == "&lt;B&gt;"


def test_the_token_story_templates_give_the_same_text_as_in_elsa(scope: ScriptScope) -> None:
    """The templates of samples/ and the WoW corpus, as src/scripting/Elsa.Scripting.Liquid/Services/
    LiquidTemplateManager.cs renders them with HtmlEncoder.Default: a token of base64url characters is not
    changed, ``| json | raw`` writes real JSON, and ``| json`` alone would write ``&quot;`` (Elsa breaks
    such a body, so the sample uses ``| raw``)."""
    assert liquid("Bearer {{Variables.access_token}}", scope) == "Bearer tok-123"
    assert liquid("{{Variables.Content2 | json  | raw }}", scope) == '{"PortId":1,"Name":"Über"}'
    body = (
        '{\n  "username": {{ Variables.Creds.Data1 | json | raw }},\n'
        '  "password": {{ Variables.Creds.Data2 | json | raw }}\n}'
    )
    assert json.loads(liquid(body, scope)) == {"username": "wow", "password": 'p"w'}
    assert (
        liquid('{"username": {{ Variables.Creds.Data1 | json }}}', scope) == '{"username": &quot;wow&quot;}'
    )
    corpus = '{\n "username": "{{Variables.Creds.Data1}}",\n "password": "{{Variables.Creds.Data2}}"\n}'
    assert liquid(corpus, scope) == '{\n "username": "wow",\n "password": "p&quot;w"\n}'
    scope.variables["access_token"] = "ab+c/d="
    assert liquid("Bearer {{Variables.access_token}}", scope) == "Bearer ab&#x2B;c/d="


def test_json_filter(scope: ScriptScope) -> None:
    """src/scripting/Elsa.Scripting.Liquid/Filters/JsonFilter.cs: Newtonsoft ``SerializeObject`` of the
    value; a Fluid number is a decimal (written ``5.0``), nil is ``null``, a blank string is kept as is."""
    assert liquid("{{ Variables.Items | json | raw }}", scope) == '[{"Name":"a"},{"Name":"b"}]'
    assert liquid("{{ Variables.Creds.Data2 | json | raw }}", scope) == '"p\\"w"'
    assert liquid("{{ Variables.Nope | json }}", scope) == "null"
    assert (
        liquid("{{ Variables.Creds.ObjectId | json }}|{{ 2.5 | json }}|{{ true | json }}", scope)
        == "3.0|2.5|true"
    )
    assert liquid("[{{ Variables.Creds.Title | json }}]", scope) == "[]"
    scope.variables["numbers"] = [1, 2.5, "x", None]
    assert liquid("{{ Variables.numbers | json | raw }}", scope) == '[1.0,2.5,"x",null]'
    assert liquid("{{ Variables.Content2 | json | raw }}", scope) == '{"PortId":1,"Name":"Über"}'


def test_json_filter_writes_valid_json_or_a_clear_error(scope: ScriptScope) -> None:
    """src/scripting/Elsa.Scripting.Liquid/Filters/JsonFilter.cs serialises any object; a value that has no
    JSON form here fails with a message naming its type."""
    scope.variables["opaque"] = {"x": object()}
    with pytest.raises(ExpressionError) as caught:
        liquid("{{ Variables.opaque | json }}", scope)
    assert "cannot be written as JSON" in str(caught.value)


def test_base64_filter(scope: ScriptScope) -> None:
    """src/scripting/Elsa.Scripting.Liquid/Filters/Base64Filter.cs: the UTF-8 bytes of the text (a boolean
    as .NET prints it, ``True``; an object as JSON); nil stays nil. The result is encoded like any string."""
    expected = base64.b64encode("wow:Über".encode()).decode()
    assert (
        liquid("{{ Variables.Creds.Data1 | append: ':' | append: Variables.Content2.Name | base64 }}", scope)
        == expected
    )
    assert liquid("{{ true | base64 | raw }}", scope) == base64.b64encode(b"True").decode()
    assert (
        liquid("{{ Variables.Content2 | base64 | raw }}", scope)
        == base64.b64encode('{"PortId":1,"Name":"Über"}'.encode()).decode()
    )
    assert liquid("[{{ Variables.Nope | base64 }}]", scope) == "[]"
    scope.variables["plus"] = "~~~>"
    assert liquid("{{ Variables.plus | base64 }}", scope) == "fn5&#x2B;Pg=="


def test_unknown_filters_return_their_input(scope: ScriptScope) -> None:
    """Fluid 2.2.14 Fluid/Ast/FilterExpression.cs: "When a filter is not defined, return the input"
    (Elsa adds its filters to TemplateOptions.Filters in Extensions/TemplateContextExtensions.cs)."""
    assert liquid("{{ Variables.access_token | shout | upcase }}", scope) == "TOK-123"
    assert liquid("{{ Variables.access_token | shout: 1, 'x' }}", scope) == "tok-123"


def test_workflow_definition_id_filter(scope: ScriptScope) -> None:
    """src/scripting/Elsa.Scripting.Liquid/Filters/WorkflowDefinitionIdFilter.cs: by name, or by tag with
    ``: "tag"``; not found is empty; another query type throws."""
    scope.workflow_ids_by_name = {"GetToken": "wf-1"}
    scope.workflow_ids_by_tag = {"auth": "wf-2"}
    assert liquid("{{ 'GetToken' | workflow_definition_id }}", scope) == "wf-1"
    assert liquid("{{ 'GetToken' | workflow_definition_id: 'name' }}", scope) == "wf-1"
    assert liquid("{{ 'auth' | workflow_definition_id: 'tag' }}", scope) == "wf-2"
    assert liquid("[{{ 'nope' | workflow_definition_id }}]", scope) == "[]"
    with pytest.raises(ExpressionError, match='expected "name" or "tag"'):
        liquid("{{ 'x' | workflow_definition_id: 'id' }}", scope)


def test_output_filter(scope: ScriptScope) -> None:
    """src/scripting/Elsa.Scripting.Liquid/Filters/ActivityOutputFilter.cs: ``"Name" | output: "Prop"``
    loads the named activity's stored output; the name must be an activity's."""
    assert liquid("{{ 'auth' | output: 'ResponseContent' | json | raw }}", scope) == '{"authToken":"abc"}'
    assert liquid("{% assign r = 'auth' | output: 'Response' %}{{ r.StatusCode }}", scope) == "200"
    with pytest.raises(ExpressionError, match='no activity named "ghost"'):
        liquid("{{ 'ghost' | output: 'Output' }}", scope)
    with pytest.raises(ExpressionError, match="name the output"):
        liquid("{{ 'auth' | output }}", scope)


def test_signal_filters_and_configuration_need_an_elsa_server(scope: ScriptScope) -> None:
    """src/scripting/Elsa.Scripting.Liquid/Filters/SignalTokenFilter.cs and src/activities/
    Elsa.Activities.Http/Scripting/Liquid/SignalUrlFilter.cs make data-protected tokens for the server's
    signal endpoints; ``Configuration`` exists only after EnableLiquidConfigurationAccess
    (Extensions/LiquidServiceCollectionExtensions.cs). None of that exists locally: each fails clearly."""
    for template in ("{{ 'go' | signal_token }}", "{{ 'go' | signal_url }}"):
        with pytest.raises(ExpressionError, match="not supported locally"):
            liquid(template, scope)
    with pytest.raises(ExpressionError, match="Configuration is not available"):
        liquid("{{ Configuration.ConnectionStrings.Default }}", scope)


def test_request_members_from_the_http_request_that_started_the_workflow(scope: ScriptScope) -> None:
    """src/activities/Elsa.Activities.Http/Scripting/Liquid/ConfigureLiquidEngine.cs: ``Request.Path``,
    ``Method``, ``QueryString``, ``ContentType``, ``ContentLength``, ``Host``, ``Scheme``, ``IsHttps``,
    ``Protocol``, ``PathBase`` and ``Query.<key>`` (values joined by commas, absent -> empty); nil members
    without a request, and ``Query`` then throws."""
    assert liquid("[{{ Request.Path }}]", scope) == "[]"
    with pytest.raises(ExpressionError, match="Request.Query needs"):
        liquid("{{ Request.Query.a }}", scope)
    scope.http_request = {
        "Path": "/orders",
        "Method": "POST",
        "QueryString": {"a": "1", "b": ["x", "y"]},
        "Headers": {"Host": "127.0.0.1:5080", "Content-Type": "application/json", "Content-Length": "12"},
        "Body": {"item": "tea"},
    }
    assert (
        liquid(
            "{{ Request.Method }} {{ Request.Path }}{{ Request.QueryString }} {{ Request.ContentType }} "
            "{{ Request.ContentLength }} {{ Request.Scheme }}://{{ Request.Host }} {{ Request.IsHttps }} "
            "{{ Request.Protocol }} [{{ Request.PathBase }}] {{ Request.Query.b }} [{{ Request.Query.c }}] "
            "[{{ Request.Form }}] [{{ Request.Nope }}]",
            scope,
        )
        == "POST /orders?a=1&amp;b=x&amp;b=y application/json 12 http://127.0.0.1:5080 false HTTP/1.1 [] "
        "x,y [] [] []"
    )


def test_objects_print_as_indented_json_and_arrays_unencoded(scope: ScriptScope) -> None:
    """Fluid 2.2.14: an ObjectValue writes ``Convert.ToString`` encoded (a JObject prints as indented JSON);
    an ArrayValue writes its items' text without encoding; a decimal prints without a trailing ``.0``."""
    assert liquid("{{ Input.Nested }}", scope) == "{&#xA;  &quot;Value&quot;: 5&#xA;}"
    scope.variables["list"] = ["<", 2.0, 0.5, True]
    assert liquid("{{ Variables.list }}", scope) == "<20.5true"


def test_blank_output_is_no_value(scope: ScriptScope) -> None:
    """src/scripting/Elsa.Scripting.Liquid/Services/LiquidHandler.cs returns null for whitespace output,
    so the property keeps its default."""
    assert liquid("  {{ Variables.Nope }}\n", scope) is None
    assert liquid("", scope) is None


def test_standard_filters_work(scope: ScriptScope) -> None:
    assert liquid("{{ Variables.access_token | upcase | replace: '-', '_' }}", scope) == "TOK_123"
    assert liquid("{{ Variables.Items | map: 'Name' | join: ',' }}", scope) == "a,b"
    assert liquid("{{ Variables.Items | size }}", scope, "int") == 2


def test_syntax_error_has_its_line(scope: ScriptScope) -> None:
    with pytest.raises(ExpressionError) as caught:
        liquid("first line\nsecond\n{% if %}x{% endif %}", scope)
    assert caught.value.syntax == "Liquid"
    assert caught.value.line == 3
    assert str(caught.value).startswith("Liquid error at line 3:")


def test_rendering_sees_the_current_variables(scope: ScriptScope) -> None:
    template = "Bearer {{Variables.access_token}}"
    assert liquid(template, scope) == "Bearer tok-123"
    scope.variables["access_token"] = "tok-456"
    assert liquid(template, scope) == "Bearer tok-456"


def _liquid_workflow(template: str) -> WorkflowBuilder:
    return (
        WorkflowBuilder("LiquidRun")
        .add("start", "SetVariable", name="start", VariableName="x", Value="1")
        .add("set", "SetVariable", name="setter", VariableName="seen", Value=("Liquid", template))
        .chain("start", "set")
    )


def test_a_running_workflow_gives_the_activity_id_and_its_activity_names() -> None:
    """src/scripting/Elsa.Scripting.Liquid/Handlers/ConfigureLiquidEngine.cs: ``ActivityId`` is the running
    activity's; ``Activities.X`` must name an activity of the workflow (not-yet-run ones are empty)."""
    instance = WorkflowRunner().run_sync(
        _liquid_workflow("{{ ActivityId }}|{{ Activities.setter.Output }}").build()
    )
    assert instance.status is InstanceStatus.FINISHED, instance.fault
    assert instance.variables["seen"] == "set|"
    faulted = WorkflowRunner().run_sync(_liquid_workflow("{{ Activities.Start.Output }}").build())
    assert faulted.status is InstanceStatus.FAULTED
    assert 'property Value (Liquid): Liquid error at line 1: there is no activity named "Start"' in str(
        faulted.fault
    )


def test_request_is_the_http_request_that_started_the_workflow() -> None:
    """src/activities/Elsa.Activities.Http/Scripting/Liquid/ConfigureLiquidEngine.cs reads the current
    HttpContext's request: here, the request the host started the instance with."""
    workflow = (
        WorkflowBuilder("Echo")
        .add("http", "HttpEndpoint", name="request", Path="/echo", Methods=("Json", '["GET"]'))
        .add(
            "respond",
            "WriteHttpResponse",
            Content=(
                "Liquid",
                "{{ Request.Method }} {{ Request.Path }} {{ Request.Query.q }} {{ Request.Host }}",
            ),
        )
        .chain("http", "respond")
        .build()
    )
    runner = WorkflowRunner(RuntimeServices(library=WorkflowLibrary(workflows=[workflow])))
    host = BackgroundHost(WorkflowHost([HostedWorkflow(workflow, "echo.json")], runner)).start()
    try:
        response = httpx.get(f"{host.url}/echo?q=a%26b", timeout=10)
    finally:
        host.stop()
    assert response.text == f"GET /echo a&amp;b {host.url.removeprefix('http://')}"
