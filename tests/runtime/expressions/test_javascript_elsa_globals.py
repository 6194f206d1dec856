"""Elsa 2's JavaScript globals, checked against Elsa 2.15 (rc/2.15.1) with real QuickJS.

The oracle files, under ``src/``, are named in each test: mostly
``scripting/Elsa.Scripting.JavaScript/Handlers/ConfigureJavaScriptEngine.cs`` (the core globals),
``activities/Elsa.Activities.Http/Scripting/JavaScript/ConfigureJavaScriptEngine.cs`` (the HTTP module's)
and ``scripting/Elsa.Scripting.JavaScript/Activities/RunJavaScript/RunJavaScript.cs``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from runtime.builder import WorkflowBuilder
from runtime.engine import InstanceStatus, RuntimeServices, WorkflowLibrary, WorkflowRunner
from runtime.expressions import ExpressionError, ScriptScope, evaluate
from runtime.host import BackgroundHost, WorkflowHost
from runtime.host.endpoints import HostedWorkflow
from runtime.model import WorkflowDefinition


def js(text: str, scope: ScriptScope | None = None, value_type: str = "any") -> Any:
    return evaluate("JavaScript", text, scope if scope is not None else ScriptScope(variables={}), value_type)


def error_of(text: str, scope: ScriptScope | None = None) -> str:
    with pytest.raises(ExpressionError) as caught:
        js(text, scope)
    return caught.value.message


def run(workflow: WorkflowDefinition, input: Any = None) -> Any:
    instance = WorkflowRunner().run_sync(workflow, input)
    assert instance.status is InstanceStatus.FINISHED, instance.fault
    return instance


def outputs(instance: Any) -> dict[str, Any]:
    return {record.activity_id: record.output for record in instance.journal}


# --- every global is there ---------------------------------------------------------------------------

ELSA_GLOBALS = [
    # ConfigureJavaScriptEngine.cs: functions, values and registered types
    "guid", "parseGuid", "setVariable", "getVariable", "getTransientVariable", "isNullOrWhiteSpace",
    "isNullOrEmpty", "getWorkflowDefinitionIdByName", "getWorkflowDefinitionIdByTag", "getActivity",
    "getActivityId", "findExecutedActivityIdByType", "jsonEncode", "jsonDecode", "base64Encode",
    "base64Decode", "addJournal", "getActivityProperty", "activityExecutionContext",
    "workflowExecutionContext", "workflowInstance", "input", "workflowInstanceId", "workflowDefinitionId",
    "workflowDefinitionVersion", "correlationId", "currentCulture", "workflowContext", "activities",
    "Instant", "Duration", "Period", "LocalDate", "LocalTime", "LocalDateTime", "Guid", "Encoding",
    # ConfigureJavaScriptEngineWithDateTimeFeatures.cs
    "instantFromDateTimeUtc", "instantFromUtc", "currentInstant", "currentYear", "startOfMonth",
    "endOfMonth", "startOfPreviousMonth", "addDurationTo", "subtractDurationFrom", "durationFromSeconds",
    "durationFromMinutes", "durationFromHours", "durationFromDays", "formatInstant", "localDateFromInstant",
    "instantFromLocalDate", "durationBetween", "periodFromNow",
    # the HTTP module's ConfigureJavaScriptEngine.cs
    "queryString", "absoluteUrl", "signalUrl", "getRemoteIPAddress", "getRouteValue",
    # RunJavaScript.cs
    "setOutcome", "setOutcomes",
]  # fmt: skip


def test_every_global_elsa_defines_is_defined() -> None:
    """Names set with ``engine.SetValue``/``RegisterType`` in scripting/Elsa.Scripting.JavaScript/Handlers/
    ConfigureJavaScriptEngine.cs, ConfigureJavaScriptEngineWithDateTimeFeatures.cs, the HTTP module's
    activities/Elsa.Activities.Http/Scripting/JavaScript/ConfigureJavaScriptEngine.cs and RunJavaScript.cs.
    ``workflowContext`` is null, so ``typeof`` is "object" for it as for the others that hold values."""
    script = "[" + ", ".join(f"typeof {name}" for name in ELSA_GLOBALS) + "]"
    kinds = dict(zip(ELSA_GLOBALS, js(script), strict=True))
    assert "undefined" not in kinds.values()
    assert kinds["workflowContext"] == "object" and js("workflowContext") is None


def test_globals_elsa_does_not_define_by_default_say_why() -> None:
    """``getConfig`` exists only with ``ScriptOptions.EnableConfigurationAccess``
    (scripting/Elsa.Scripting.JavaScript/Options/ScriptOptions.cs, off by default); Elsa 2 has no
    ``setTransientVariable`` global (ConfigureJavaScriptEngine.cs); ``plus`` is only in the v2 docs."""
    assert error_of("getConfig('Section')") == (
        "ReferenceError: getConfig is not defined (Elsa defines getConfig only when its "
        "EnableConfigurationAccess option is on, and Flowdesk has no server configuration)"
    )
    assert "activityExecutionContext.SetTransientVariable" in error_of("setTransientVariable('a', 1)")
    assert "Telnyx" in error_of("formatE164PhoneNumber('1', 'US')")
    assert "addDurationTo" in error_of("plus(currentInstant(), durationFromDays(1))")


# --- results ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "value_type", "expected"), [
    ('""', "string", ""),
    ('""', "any", ""),
    ("'  '", "string", "  "),
    ('getVariable("blank")', "string", ""),
    ('""', "int", None),
    ('""', "bool", None),
])  # fmt: skip
def test_an_empty_string_result_stays_a_string(text: str, value_type: str, expected: Any) -> None:
    """Jint's result converters keep a value that already has the wanted type, and any value for
    ``object`` (scripting/Elsa.Scripting.JavaScript/Services/SameTypeResultConverter.cs,
    TypeConverterResultConverter.cs); only Literal text is parsed by core/Elsa.Core/Extensions/
    StringExtensions.cs. A blank result for another type stays no value."""
    assert js(text, ScriptScope(variables={"blank": ""}), value_type) == expected


def test_a_run_javascript_returning_an_empty_string_outputs_it() -> None:
    """RunJavaScript.cs evaluates its script with ``typeof(object)`` and stores the result as Output."""
    workflow = (
        WorkflowBuilder("Blank")
        .add("script", "RunJavaScript", Script=("Literal", 'return ""'))
        .add("finish", "Finish", ActivityOutput=("JavaScript", "input"))
        .chain("script", "finish")
        .build()
    )
    instance = run(workflow)
    assert outputs(instance)["script"] == ""
    assert instance.output == ""


# --- variables and transient variables --------------------------------------------------------------


def test_transient_variables_are_merged_over_the_variables() -> None:
    """``getVariable`` and the variable globals read ``GetMergedVariables``, where the transient state
    wins (core/Elsa.Abstractions/Services/Models/WorkflowExecutionContext.cs); ``getTransientVariable``
    reads the transient state only; a missing name is null (core/Elsa.Abstractions/Models/Variables.cs)."""
    scope = ScriptScope(variables={"a": 1, "b": 2}, transient_variables={"a": 10, "t": 3})
    assert js("[getVariable('a'), a, getVariable('b'), t, getVariable('t')]", scope) == [10, 10, 2, 3, 3]
    assert js("[getTransientVariable('a'), getTransientVariable('b'), getTransientVariable('T')]", scope) == [
        10,
        None,
        None,
    ]


def test_set_transient_variable_through_the_execution_context_is_kept() -> None:
    """Scripts get the .NET ``ActivityExecutionContext`` (ConfigureJavaScriptEngine.cs), whose
    ``SetTransientVariable`` writes the transient state (core/Elsa.Abstractions/Services/Models/
    ActivityExecutionContext.cs)."""
    scope = ScriptScope(variables={"a": 1})
    script = (
        "activityExecutionContext.SetTransientVariable('a', {n: 2});"
        "workflowExecutionContext.setTransientVariable('b', 'x');"
        "[getVariable('a'), getTransientVariable('b'), activityExecutionContext.HasVariable('b')]"
    )
    assert js(script, scope) == [{"n": 2}, "x", True]
    assert scope.transient_variables == {"a": {"n": 2}, "b": "x"}
    assert scope.variables == {"a": 1}


def test_a_variable_name_that_is_not_text_is_an_error() -> None:
    """``Variables.Get(null)`` looks a null key up in a dictionary, which .NET rejects
    (core/Elsa.Abstractions/Models/Variables.cs)."""
    assert error_of("getVariable(null)") == "TypeError: getVariable: the name is null"
    assert js("getVariable(1)", ScriptScope(variables={"1": "one"})) == "one"


# --- the journal, outcomes, workflow look-ups, culture ----------------------------------------------


def test_add_journal_adds_to_the_activity_journal_data() -> None:
    """``addJournal`` is ``activityExecutionContext.JournalData.Add(name, value)``
    (ConfigureJavaScriptEngine.cs): a name already there is an ArgumentException
    (core/Elsa.Abstractions/Services/Models/ActivityExecutionContext.cs declares JournalData a Dictionary)."""
    journal: dict[str, Any] = {"pinned": True}
    scope = ScriptScope(variables={}, journal=journal)
    assert js("addJournal('request', {id: 7}); addJournal('at', 'noon'); 1", scope) == 1
    assert journal == {"pinned": True, "request": {"id": 7}, "at": "noon"}
    for name in ("at", "pinned"):
        assert error_of(f"addJournal('{name}', 2)", scope) == (
            f"Error: addJournal: an item with the same key has already been added. Key: {name}"
        )
    repeated = error_of("addJournal('twice', 1); addJournal('twice', 2)", ScriptScope(variables={}))
    assert repeated.endswith("Key: twice")
    for _ in range(2):  # names added by one evaluation are not left for the next one in a pooled context
        assert js("addJournal('once', 1); 2") == 2


def test_set_outcome_keeps_each_outcome_once() -> None:
    """RunJavaScript.cs collects the outcomes in a ``HashSet<string>``."""
    scope = ScriptScope(variables={}, outcomes=[])
    js("setOutcome('a'); setOutcomes(['b', 'a', 'c']); setOutcome('b'); setOutcome('A')", scope)
    assert scope.outcomes == ["a", "b", "c", "A"]


def test_get_workflow_definition_id_by_tag() -> None:
    """``getWorkflowDefinitionIdByTag`` returns the id of the workflow with that tag, or null
    (ConfigureJavaScriptEngine.cs, ``IWorkflowRegistry.FindByTagAsync``)."""
    scope = ScriptScope(variables={}, workflow_ids_by_tag={"billing": "def-billing"})
    assert js("[getWorkflowDefinitionIdByTag('billing'), getWorkflowDefinitionIdByTag('none')]", scope) == [
        "def-billing",
        None,
    ]


def test_current_culture_is_the_invariant_culture() -> None:
    """``engine.SetValue("currentCulture", CultureInfo.InvariantCulture)`` (ConfigureJavaScriptEngine.cs):
    its Name is "" and so is its ToString(); Jint matches .NET members with the first letter in either
    case."""
    assert js("[currentCulture.Name, currentCulture.name, String(currentCulture), currentCulture.LCID]") == [
        "",
        "",
        "",
        127,
    ]
    assert js("currentCulture.DisplayName") == "Invariant Language (Invariant Country)"


def test_execution_contexts_have_the_members_that_mean_something_here() -> None:
    """``activityExecutionContext`` and ``workflowExecutionContext`` are Elsa's .NET objects
    (ConfigureJavaScriptEngine.cs); the members kept here read the same state as the other globals, any
    other member is a clear error rather than undefined."""
    scope = ScriptScope(
        variables={"v": 1},
        input={"x": 1},
        activity_id="act-1",
        correlation_id="corr",
        workflow_instance_id="wi",
    )
    script = (
        "[activityExecutionContext.ActivityId, activityExecutionContext.Input.x,"
        " activityExecutionContext.CorrelationId, activityExecutionContext.GetVariable('v'),"
        " activityExecutionContext.WorkflowExecutionContext === workflowExecutionContext,"
        " workflowExecutionContext.GetWorkflowContext(), activityExecutionContext.activityId]"
    )
    assert js(script, scope) == ["act-1", 1, "corr", 1, True, None, "act-1"]
    message = error_of("activityExecutionContext.ServiceProvider")
    assert message.startswith(
        "TypeError: activityExecutionContext.ServiceProvider is not available in Flowdesk (Elsa's .NET "
        "ActivityExecutionContext); available: ActivityId, Input"
    )
    assert "cannot be set" in error_of("workflowExecutionContext.CorrelationId = 'x'")


def test_parse_guid_returns_a_guid_and_guid_returns_text() -> None:
    """``parseGuid`` is ``Guid.Parse`` and returns a .NET Guid; ``guid()`` returns
    ``Guid.NewGuid().ToString()`` (ConfigureJavaScriptEngine.cs)."""
    text = "0f8fad5b-d9cb-469f-a165-70867728950e"
    assert js(f"parseGuid('{{{text.upper()}}}')") == text
    assert js(
        f"[typeof parseGuid('{text}'), parseGuid('{text}') === '{text}', '' + parseGuid('{text}')]"
    ) == [
        "object",
        False,
        text,
    ]
    assert js(f"parseGuid('{text}').ToString('N')") == text.replace("-", "")
    assert js(f"parseGuid('{text}').Equals(Guid.Parse('{text.replace('-', '')}'))") is True
    value = js("guid()")
    assert isinstance(value, str) and uuid.UUID(value).version == 4
    assert "is not a valid GUID" in error_of("parseGuid('0f8fad5b-d9cb')")


# --- the running workflow ---------------------------------------------------------------------------


def _activities_workflow() -> WorkflowDefinition:
    return (
        WorkflowBuilder("Activities", definition_id="def-activities")
        .add(
            "first",
            "RunJavaScript",
            name="first",
            Script=(
                "Literal",
                "return [activities.later.Output(), activities.call.Response(),"
                " activities.call.ResponseContent(), Object.keys(activities).sort()]",
            ),
        )
        .add("set", "SetVariable", name="setter", VariableName="greeting", Value="hello")
        .add("later", "RunJavaScript", name="later", Script=("Literal", "return 1"))
        .add("call", "SendHttpRequest", name="call", Url="http://127.0.0.1:9/never")
        .add("unnamed", "SetVariable", VariableName="unused", Value="x")
        .chain("first", "set", "later")
        .build()
    )


def test_named_activities_exist_before_they_run_with_null_outputs() -> None:
    """``AddActivityOutputAsync`` gives every named activity of the blueprint an entry with a function per
    output property of its descriptor, before anything ran (ConfigureJavaScriptEngine.cs)."""
    instance = run(_activities_workflow())
    assert outputs(instance)["first"] == [None, None, None, ["call", "first", "later", "setter"]]


def test_activity_ids_data_and_properties() -> None:
    """``getActivityId`` finds a named activity; ``getActivity`` returns ``WorkflowInstance.ActivityData``
    of the activity found by name, then by id; ``getActivityProperty`` loads one stored property
    (ConfigureJavaScriptEngine.cs; inputs and outputs are stored by core/Elsa.Core/Handlers/
    PersistActivityPropertyState.cs). A named activity has (empty) data before it runs: the deprecated
    ``AddActivityOutputOld`` creates it with ``GetActivityData``."""
    workflow = _activities_workflow()
    workflow.activity("later").properties[0].expressions["Literal"] = (
        "return [getActivityId('setter'), getActivityId('nobody'), getActivity('setter'), getActivity('set'),"
        " getActivityProperty('setter', 'Value'), getActivityProperty('set', 'VariableName'),"
        " getActivityProperty('setter', 'Missing'), getActivity('call'), getActivity('nobody'),"
        " getActivity('first').Output[3].length]"
    )
    data = {"VariableName": "greeting", "Value": "hello"}
    assert outputs(run(workflow))["later"] == [
        "set",
        None,
        data,
        data,
        "hello",
        "greeting",
        None,
        {},
        None,
        4,
    ]


def test_get_activity_of_an_unnamed_activity_that_has_not_run_is_an_error() -> None:
    """``ActivityData[activity.Id]`` is a dictionary indexer: no data is a KeyNotFoundException
    (ConfigureJavaScriptEngine.cs, ``GetActivityModel``); an unknown activity is null, and
    ``getActivityProperty`` of one fails (its blueprint is null)."""
    workflow = _activities_workflow()
    workflow.activity("first").properties[0].expressions["Literal"] = "return getActivity('unnamed')"
    instance = WorkflowRunner().run_sync(workflow)
    assert instance.status is InstanceStatus.FAULTED
    assert "getActivity: activity 'unnamed' has no data: it has not run yet" in str(instance.fault)
    assert "there is no activity 'nobody'" in error_of("getActivityProperty('nobody', 'Url')")


def test_a_named_activity_is_also_a_global_holding_its_data() -> None:
    """The deprecated ``AddActivityOutputOld`` sets each named activity's data as a global after the
    variables, so it wins over a variable of the same name (ConfigureJavaScriptEngine.cs)."""
    workflow = (
        WorkflowBuilder("Old")
        .variables(setter="the variable")
        .add("set", "SetVariable", name="setter", VariableName="greeting", Value="hello")
        .add("read", "RunJavaScript", Script=("Literal", "return [setter.Value, setter.VariableName]"))
        .chain("set", "read")
        .build()
    )
    assert outputs(run(workflow))["read"] == ["hello", "greeting"]


def test_find_executed_activity_id_by_type() -> None:
    """``findExecutedActivityIdByType`` returns the activity id of an execution log entry of this instance
    with that activity type, or null (ConfigureJavaScriptEngine.cs, ``FindExecutedActivityByTypeAsync``)."""
    workflow = (
        WorkflowBuilder("Executed")
        .add("a", "SetVariable", VariableName="x", Value="1")
        .add("b", "SetVariable", VariableName="y", Value="2")
        .add(
            "c",
            "RunJavaScript",
            Script=(
                "Literal",
                "return [findExecutedActivityIdByType('SetVariable'), findExecutedActivityIdByType('If'),"
                " findExecutedActivityIdByType('RunJavaScript')]",
            ),
        )
        .chain("a", "b", "c")
        .build()
    )
    assert outputs(run(workflow))["c"] == ["a", None, None]


def test_add_journal_reaches_the_activity_journal_record() -> None:
    """``addJournal`` adds to the running activity's ``JournalData`` (ConfigureJavaScriptEngine.cs), which
    Elsa writes into the activity's execution log entry."""
    workflow = (
        WorkflowBuilder("Journal")
        .add("a", "RunJavaScript", Script=("Literal", "addJournal('order', {id: 7}); return 1"))
        .add("b", "SetVariable", VariableName="x", Value=("JavaScript", "addJournal('step', 'b'); 'v'"))
        .chain("a", "b")
        .build()
    )
    instance = run(workflow)
    assert [record.data for record in instance.journal] == [{"order": {"id": 7}}, {"step": "b"}]


def test_transient_variables_live_for_the_run() -> None:
    """The transient state lives as long as the workflow execution context
    (core/Elsa.Abstractions/Services/Models/WorkflowExecutionContext.cs ``TransientState``)."""
    workflow = (
        WorkflowBuilder("Transient")
        .add(
            "a", "RunJavaScript", Script=("Literal", "activityExecutionContext.SetTransientVariable('t', 5)")
        )
        .add(
            "b",
            "RunJavaScript",
            Script=("Literal", "return [t, getVariable('t'), getTransientVariable('t')]"),
        )
        .chain("a", "b")
        .build()
    )
    instance = run(workflow)
    assert outputs(instance)["b"] == [5, 5, 5]
    assert instance.transient_variables == {"t": 5} and "t" not in instance.variables


def test_workflow_instance_has_the_instance_members() -> None:
    """``workflowInstance`` is Elsa's ``WorkflowInstance`` (ConfigureJavaScriptEngine.cs;
    core/Elsa.Abstractions/Models/WorkflowInstance.cs): ids, version, status (an enum: its number),
    correlation id, its ``Variables`` (``Data``, ``Get``, ``Has``) and ``ActivityData``; ``CreatedAt`` is an
    Instant."""
    workflow = (
        WorkflowBuilder("Instance", definition_id="def-i")
        .variables(greeting="hi")
        .add("set", "SetVariable", VariableName="x", Value="1")
        .add(
            "read",
            "RunJavaScript",
            Script=(
                "Literal",
                "const w = workflowInstance; return [w.Id === workflowInstanceId, w.DefinitionId, w.Version,"
                " w.WorkflowStatus, w.CorrelationId === correlationId, w.Variables.Data.greeting,"
                " w.Variables.Get('x'), w.variables.has('nope'), w.ActivityData.set.Value,"
                " w.CreatedAt instanceof Instant, w.Name]",
            ),
        )
        .chain("set", "read")
        .build()
    )
    workflow.version = 3
    assert outputs(run(workflow))["read"] == [
        True,
        "def-i",
        3,
        1,
        True,
        "hi",
        "1",
        False,
        "1",
        True,
        "Instance",
    ]


# --- the HTTP module --------------------------------------------------------------------------------


def test_http_functions_outside_a_request_fail_clearly() -> None:
    """The HTTP module reads ``IHttpContextAccessor.HttpContext`` (activities/Elsa.Activities.Http/Scripting/
    JavaScript/ConfigureJavaScriptEngine.cs), null outside a request; ``signalUrl`` needs Elsa's signal
    endpoint (activities/Elsa.Activities.Http/Extensions/ActivityExecutionContextExtensions.cs), which the
    local host does not have; ``absoluteUrl`` needs a base URL (Services/DefaultAbsoluteUrlProvider.cs)."""
    assert error_of("queryString('a')") == (
        "Error: queryString: this workflow instance was not started by an HTTP request"
    )
    assert error_of("getRouteValue('id')").startswith("Error: getRouteValue: this workflow instance")
    assert error_of("absoluteUrl('/x')").startswith("Error: absoluteUrl: there is no base URL")
    assert "no signal endpoint" in error_of("signalUrl('approve')")


def _request_workflow() -> WorkflowDefinition:
    return (
        WorkflowBuilder("Request")
        .add("http", "HttpEndpoint", name="request", Path="/items/{id}", Methods=("Json", '["GET"]'))
        .add(
            "finish",
            "Finish",
            ActivityOutput=(
                "JavaScript",
                "({name: queryString('Name'), tags: queryString('tag'), none: queryString('missing'),"
                " id: getRouteValue('ID'), nothing: getRouteValue('x'), ip: getRemoteIPAddress(),"
                " url: absoluteUrl('/signals/x'), other: absoluteUrl('https://example.com/a')})",
            ),
        )
        .chain("http", "finish")
        .build()
    )


@pytest.fixture
def request_host() -> Iterator[BackgroundHost]:
    workflow = _request_workflow()
    services = RuntimeServices(library=WorkflowLibrary(workflows=[workflow]))
    host = BackgroundHost(WorkflowHost([HostedWorkflow(workflow, "request.json")], WorkflowRunner(services)))
    host.start()
    yield host
    host.stop()


def test_http_functions_read_the_request_that_started_the_instance(request_host: BackgroundHost) -> None:
    """activities/Elsa.Activities.Http/Scripting/JavaScript/ConfigureJavaScriptEngine.cs:
    ``queryString`` is ``Request.Query[key].ToString()`` (keys in any case, several values joined by
    commas, none is ""), ``getRouteValue`` is ``HttpContext.GetRouteValue`` (null when absent),
    ``getRemoteIPAddress`` the connection's remote address, ``absoluteUrl`` the base URL joined to the path
    (Services/DefaultAbsoluteUrlProvider.cs)."""
    response = httpx.get(f"{request_host.url}/items/42?name=bob&tag=a&tag=b", timeout=10)
    assert response.status_code == 200, response.text
    assert response.json() == {
        "name": "bob",
        "tags": "a,b",
        "none": "",
        "id": "42",
        "nothing": None,
        "ip": "127.0.0.1",
        "url": f"{request_host.url}/signals/x",
        "other": "https://example.com/a",
    }


def test_a_blocking_sub_workflow_reads_the_same_request() -> None:
    """The HTTP module reads the ambient ``HttpContext`` (activities/Elsa.Activities.Http/Scripting/
    JavaScript/ConfigureJavaScriptEngine.cs), which a sub-workflow run within the request shares."""
    child = (
        WorkflowBuilder("Child", definition_id="child")
        .add("f", "Finish", ActivityOutput=("JavaScript", "queryString('q') + '|' + getRemoteIPAddress()"))
        .build()
    )
    parent = (
        WorkflowBuilder("Parent")
        .add("http", "HttpEndpoint", name="request", Path="/parent", Methods=("Json", '["GET"]'))
        .add("run", "RunWorkflow", name="run", WorkflowDefinitionId="child", Mode="Blocking")
        .add("f", "Finish", ActivityOutput=("JavaScript", "activities.run.Output().WorkflowOutput"))
        .chain("http", "run", "f")
        .build()
    )
    services = RuntimeServices(library=WorkflowLibrary(workflows=[parent, child]))
    host = WorkflowHost([HostedWorkflow(parent, "parent.json")], WorkflowRunner(services))
    with BackgroundHost(host) as served:
        response = httpx.get(f"{served.url}/parent?q=hello", timeout=10)
    assert (response.status_code, response.text) == (200, "hello|127.0.0.1")
