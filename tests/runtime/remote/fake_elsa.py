"""A fake Elsa 2.15 server on loopback, written from ``elsa2-server-api.md`` (its routes, bodies, versioning
and serializer quirks), for the client, the commands and the designer to talk to over real HTTP.

What it follows: routes under ``v1/`` (matched case-insensitively), camelCase keys with nulls omitted, no
``$id`` in answers, ``variables``/``customAttributes`` as indented JSON *text* on definition endpoints and
``{"data": ...}`` elsewhere, 7-digit UTC timestamps, 0-based paging (definitions page only with both
``page`` and ``pageSize``; instances always, 25 by default), case-sensitive version options, the save
request's full replace (unknown keys dropped, connections without an outcome dropped, ``int`` positions,
``"Cannot parse variables"``), draft-in-place versus N+1 versioning, publish, 415 without a JSON content
type, 400 ValidationProblemDetails, 404 ProblemDetails. Optionally every request needs some headers
(401 without them), as a host that adds authentication does.
"""

from __future__ import annotations

import asyncio
import copy
import json
import re
import threading
import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import uvicorn
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from runtime.elsa_json import clean_newtonsoft
from runtime.host.server import bind_socket

VERSION = "2.15.1"
NAMED_VERSIONS = ("AllVersions", "Draft", "Latest", "Published", "LatestOrPublished")
DEFINITION_KEYS = (
    "definitionId",
    "versionId",
    "tenantId",
    "name",
    "displayName",
    "description",
    "channel",
    "version",
    "variables",
    "customAttributes",
    "contextOptions",
    "isSingleton",
    "persistenceBehavior",
    "deleteCompletedInstances",
    "isPublished",
    "isLatest",
    "tag",
    "createdAt",
    "activities",
    "connections",
    "id",
)
"""The order Newtonsoft writes ``WorkflowDefinition`` in (``ABS/Models/WorkflowDefinition.cs``)."""
ACTIVITY_KEYS = (
    "activityId",
    "type",
    "name",
    "displayName",
    "description",
    "x",
    "y",
    "persistWorkflow",
    "loadWorkflowContext",
    "saveWorkflowContext",
    "properties",
    "propertyStorageProviders",
)
SUMMARY_KEYS = (
    "id",
    "definitionId",
    "tenantId",
    "name",
    "displayName",
    "description",
    "version",
    "isSingleton",
    "persistenceBehavior",
    "isPublished",
    "isLatest",
    "customAttributes",
    "createdAt",
)
INSTANCE_SUMMARY_KEYS = (
    "id",
    "definitionId",
    "definitionVersionId",
    "tenantId",
    "version",
    "workflowStatus",
    "correlationId",
    "contextType",
    "contextId",
    "name",
    "createdAt",
    "lastExecutedAt",
    "finishedAt",
    "cancelledAt",
    "faultedAt",
    "metadata",
)
PERSISTENCE = ("Suspended", "WorkflowBurst", "WorkflowPassCompleted", "ActivityExecuted")
STRING_TYPE = (
    "System.String, System.Private.CoreLib, Version=8.0.0.0, Culture=neutral, PublicKeyToken=7cec85d7bea7798e"
)


def new_id() -> str:
    return uuid.uuid4().hex


def stamp(moment: datetime) -> str:
    """NodaTime's ``Instant`` text: ISO-8601 UTC, the fraction only when non-zero, trailing zeros cut."""
    base = moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")
    fraction = f"{moment.microsecond:06d}0".rstrip("0")
    return f"{base}.{fraction}Z" if fraction else f"{base}Z"


def omit_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: omit_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [omit_nulls(v) for v in value]
    return value


def bag_text(data: dict[str, Any]) -> str:
    """``VariablesConverter``: the dictionary as indented JSON text."""
    return json.dumps(data, indent=2, ensure_ascii=False)


_SECTIONS = {400: 1, 404: 4, 415: 13}


def problem(status: int, title: str, errors: dict[str, list[str]] | None = None) -> JSONResponse:
    body: dict[str, Any] = {
        "type": f"https://tools.ietf.org/html/rfc7231#section-6.5.{_SECTIONS.get(status, 1)}",
        "title": title,
        "status": status,
        "traceId": f"00-{new_id()}-{new_id()[:16]}-00",
    }
    if errors is not None:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type="application/problem+json")


def validation_problem(path: str, message: str) -> JSONResponse:
    return problem(400, "One or more validation errors occurred.", {path: [message]})


class BadRequest(Exception):
    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


class FakeElsa:
    """The server's state and its ASGI app. Seed it, then :meth:`start` it on a free loopback port."""

    def __init__(self, required_headers: dict[str, str] | None = None) -> None:
        self.required_headers = dict(required_headers or {})
        self.versions: list[dict[str, Any]] = []
        """Every stored definition version, in Elsa's own form (``variables`` as ``{"data": ...}``)."""
        self.instances: dict[str, dict[str, Any]] = {}
        self.logs: dict[str, list[dict[str, Any]]] = {}
        self.activities: list[dict[str, Any]] = default_descriptors()
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        self.delay = 0.0
        """Seconds every answer waits (to test timeouts)."""
        self.redirect_to = ""
        """A base URL every request is redirected to (307, same path), as a host that moved says."""
        self.clock = datetime(2024, 5, 1, 9, 30, 12, 123456, tzinfo=UTC)
        self.lock = threading.Lock()
        self.routes: list[tuple[str, re.Pattern[str], Callable[..., Any]]] = []
        self._route("GET", r"v1/version", self.version_info)
        self._route("GET", r"v1/workflow-definitions", self.list_definitions)
        self._route("POST", r"v1/workflow-definitions", self.save)
        self._route("GET", r"v1/workflow-definitions/(?P<a>[^/]+)/history", self.history)
        self._route("POST", r"v1/workflow-definitions/(?P<a>[^/]+)/publish", self.publish)
        self._route("POST", r"v1/workflow-definitions/(?P<a>[^/]+)/retract", self.retract)
        self._route("POST", r"v1/workflow-definitions/(?P<a>[^/]+)/(?P<b>[^/]+)/export", self.export)
        self._route("GET", r"v1/workflow-definitions/(?P<a>[^/]+)/(?P<b>[^/]+)", self.get_definition)
        self._route("GET", r"v1/workflow-definitions/(?P<a>[^/]+)", self.get_version)
        self._route("DELETE", r"v1/workflow-definitions/(?P<a>[^/]+)(/(?P<b>[^/]+))?", self.delete_definition)
        self._route("GET", r"v1/workflow-instances", self.list_instances)
        self._route("GET", r"v1/workflow-instances/(?P<a>[^/]+)/execution-log", self.execution_log)
        self._route("GET", r"v1/workflow-instances/(?P<a>[^/]+)", self.get_instance)
        self._route("GET", r"v1/activities", self.list_activities)
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.url = ""

    def _route(self, method: str, pattern: str, handler: Callable[..., Any]) -> None:
        self.routes.append((method, re.compile(f"^/{pattern}/?$", re.IGNORECASE), handler))

    def tick(self, seconds: float = 1.0) -> datetime:
        self.clock += timedelta(seconds=seconds, microseconds=3217)
        return self.clock

    # --- seeding ---------------------------------------------------------------------------------------

    def seed_export(self, document: dict[str, Any] | str | Path) -> dict[str, Any]:
        """Store an export file (``$id`` and all) as a definition version, as Elsa's import does."""
        if isinstance(document, str | Path):
            document = json.loads(Path(document).read_text(encoding="utf-8-sig"))
        cleaned = clean_newtonsoft(document)
        version = {key: copy.deepcopy(cleaned.get(key)) for key in DEFINITION_KEYS}
        version["definitionId"] = version["definitionId"] or new_id()
        version["id"] = version["versionId"] = version.get("id") or version.get("versionId") or new_id()
        version["version"] = int(version.get("version") or 1)
        for bag in ("variables", "customAttributes"):
            data = version.get(bag)
            version[bag] = data.get("data", {}) if isinstance(data, dict) else {}
        version["activities"] = [self._activity(a) for a in version.get("activities") or []]
        version["connections"] = [
            {k: c.get(k) for k in ("sourceActivityId", "targetActivityId", "outcome")}
            for c in version.get("connections") or []
        ]
        version["isPublished"] = bool(version.get("isPublished", True))
        version["isLatest"] = True
        version["createdAt"] = version.get("createdAt") or stamp(self.tick())
        version["isSingleton"] = bool(version.get("isSingleton"))
        version["deleteCompletedInstances"] = bool(version.get("deleteCompletedInstances"))
        version["persistenceBehavior"] = version.get("persistenceBehavior") or "WorkflowBurst"
        with self.lock:
            for other in self.versions:
                if other["definitionId"] == version["definitionId"]:
                    other["isLatest"] = False
                    if version["isPublished"]:
                        other["isPublished"] = False
            self.versions.append(version)
        return version

    @staticmethod
    def _activity(raw: dict[str, Any]) -> dict[str, Any]:
        """What ``ActivityDefinition`` keeps of an activity (unknown keys such as ``persistOutput`` go)."""
        activity = {key: copy.deepcopy(raw.get(key)) for key in ACTIVITY_KEYS}
        for flag in ("persistWorkflow", "loadWorkflowContext", "saveWorkflowContext"):
            activity[flag] = bool(activity.get(flag))
        activity["properties"] = [
            {
                "name": p.get("name"),
                "syntax": p.get("syntax"),
                "expressions": dict(p.get("expressions") or {}),
            }
            for p in (activity.get("properties") or [])
        ]
        activity["propertyStorageProviders"] = dict(activity.get("propertyStorageProviders") or {})
        return activity

    def add_instance(
        self,
        definition_id: str,
        path: Iterable[tuple[str, list[str]]] = (),
        status: str = "Finished",
        fault: tuple[str, str] | None = None,
        suspended_at: str | None = None,
        correlation_id: str | None = None,
        version: int | None = None,
        variables: dict[str, Any] | None = None,
        activity_data: dict[str, Any] | None = None,
        journal: dict[str, dict[str, Any]] | None = None,
    ) -> str:
        """An instance that ran ``path`` (activity id, outcomes emitted), then faulted at ``fault``
        (activity id, message) or suspended at ``suspended_at``; its execution log as Elsa writes it."""
        definition = self._find(definition_id, str(version) if version else "Published") or self._find(
            definition_id, "Latest"
        )
        assert definition is not None, f"no definition {definition_id}"
        types = {a["activityId"]: a["type"] for a in definition["activities"]}
        instance_id = new_id()
        created = self.tick()
        log: list[dict[str, Any]] = []

        def record(activity_id: str, event: str, data: Any = None, message: str | None = None) -> None:
            log.append(
                {
                    "id": new_id(),
                    "workflowInstanceId": instance_id,
                    "activityId": activity_id,
                    "activityType": types.get(activity_id, "Unknown"),
                    "timestamp": stamp(self.tick(0.01)),
                    "eventName": event,
                    "message": message,
                    "source": None,
                    "data": data,
                }
            )

        for activity_id, outcomes in path:
            record(activity_id, "Executing")
            entries = (journal or {}).get(activity_id, {})
            record(activity_id, "Executed", {"Outcomes": list(outcomes), **entries})
        faults: list[dict[str, Any]] = []
        if fault is not None:
            activity_id, message = fault
            record(activity_id, "Executing")
            exception = {
                "Type": "System.Exception, System.Private.CoreLib",
                "Message": message,
                "StackTrace": "   at Elsa.Activities.Primitives.Fault.OnExecute()",
                "InnerException": None,
                "Data": {},
            }
            record(activity_id, "Faulted", {"Exception": exception}, message)
            record(activity_id, "Executed", {"Outcomes": []})
            faults.append(
                {
                    "exception": {"type": exception["Type"], "message": message, "stackTrace": "   at …"},
                    "message": message,
                    "faultedActivityId": activity_id,
                    "resuming": False,
                }
            )
            status = "Faulted"
        if suspended_at is not None:
            record(suspended_at, "Executing")
            record(suspended_at, "Suspended")
            status = "Suspended"
        ended = stamp(self.tick(0.05))
        instance = {
            "id": instance_id,
            "definitionId": definition["definitionId"],
            "definitionVersionId": definition["id"],
            "version": definition["version"],
            "workflowStatus": status,
            "correlationId": correlation_id or new_id(),
            "contextType": None,
            "contextId": None,
            "name": None,
            "createdAt": stamp(created),
            "lastExecutedAt": ended,
            "finishedAt": ended if status == "Finished" else None,
            "cancelledAt": ended if status == "Cancelled" else None,
            "faultedAt": ended if status == "Faulted" else None,
            "metadata": {},
            "variables": {"data": dict(variables or {})},
            "activityData": dict(activity_data or {}),
            "blockingActivities": [{"activityId": suspended_at, "activityType": types.get(suspended_at)}]
            if suspended_at
            else [],
            "faults": faults,
            "scheduledActivities": [],
            "scopes": [],
            "lastExecutedActivityId": log[-1]["activityId"] if log else None,
        }
        with self.lock:
            self.instances[instance_id] = instance
            self.logs[instance_id] = log
        return instance_id

    # --- lookups -------------------------------------------------------------------------------------

    def _of(self, definition_id: str) -> list[dict[str, Any]]:
        return [v for v in self.versions if v["definitionId"] == definition_id]

    def _find(self, definition_id: str, options: str) -> dict[str, Any] | None:
        versions = self._of(definition_id)
        if options == "Latest":
            latest = [v for v in versions if v["isLatest"]]
            if latest:
                return latest[0]
            return max(versions, key=lambda v: v["version"], default=None)
        if options == "Published":
            return next((v for v in versions if v["isPublished"]), None)
        if options == "Draft":
            return next((v for v in versions if not v["isPublished"]), None)
        if options == "LatestOrPublished":
            return next((v for v in versions if v["isPublished"] or v["isLatest"]), None)
        if options == "AllVersions":
            return versions[0] if versions else None
        return next((v for v in versions if v["version"] == int(options)), None)

    def _matches(self, version: dict[str, Any], options: str) -> bool:
        if options == "AllVersions":
            return True
        if options == "Latest":
            return bool(version["isLatest"])
        if options == "Published":
            return bool(version["isPublished"])
        if options == "Draft":
            return not version["isPublished"]
        if options == "LatestOrPublished":
            return bool(version["isPublished"] or version["isLatest"])
        return version["version"] == int(options)

    @staticmethod
    def _version_options(text: str) -> str:
        """Named options case-sensitively, else an int (anything else: 400, as the type converter does)."""
        if text in NAMED_VERSIONS:
            return text
        if re.fullmatch(r"-?\d+", text):
            return str(int(text))
        raise BadRequest("versionOptions", f"The value '{text}' is not valid.")

    # --- serialisation ---------------------------------------------------------------------------------

    def definition_json(self, version: dict[str, Any]) -> dict[str, Any]:
        out = {key: copy.deepcopy(version.get(key)) for key in DEFINITION_KEYS}
        out["versionId"] = version["id"]
        out["variables"] = bag_text(version.get("variables") or {})
        out["customAttributes"] = bag_text(version.get("customAttributes") or {})
        return omit_nulls(out)

    def summary_json(self, version: dict[str, Any]) -> dict[str, Any]:
        out = {key: copy.deepcopy(version.get(key)) for key in SUMMARY_KEYS}
        out["customAttributes"] = bag_text(version.get("customAttributes") or {})
        return omit_nulls(out)

    # --- the ASGI app ----------------------------------------------------------------------------------

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        request = Request(scope, receive)
        response = await self.dispatch(request)
        await response(scope, receive, send)

    async def dispatch(self, request: Request) -> Response:
        self.requests.append((request.method, request.url.path, dict(request.headers)))
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.redirect_to:
            query = f"?{request.url.query}" if request.url.query else ""
            location = f"{self.redirect_to}{request.url.path}{query}"
            return Response(status_code=307, headers={"Location": location})
        for name, value in self.required_headers.items():
            if request.headers.get(name) != value:
                return Response(status_code=401, headers={"WWW-Authenticate": "Bearer"})
        path = request.url.path
        allowed = False
        for method, pattern, handler in self.routes:
            match = pattern.match(path)
            if match is None:
                continue
            allowed = True
            if method != request.method:
                continue
            try:
                return await handler(request, **{k: v for k, v in match.groupdict().items() if v is not None})
            except BadRequest as error:
                return validation_problem(error.path, error.message)
        if allowed:
            return Response(status_code=405)
        return Response(status_code=404)

    async def version_info(self, request: Request) -> Response:
        return JSONResponse({"version": VERSION})

    async def list_definitions(self, request: Request) -> Response:
        query = request.query_params
        options = self._version_options(query.get("version") or "Latest")
        search = query.get("searchTerm")
        ids = set(filter(None, (query.get("ids") or "").split(",")))
        with self.lock:
            rows = [v for v in self.versions if self._matches(v, options)]
        if ids:
            rows = [v for v in rows if v["definitionId"] in ids]
        if search:
            rows = [
                v
                for v in rows
                if any(search in (v.get(k) or "") for k in ("name", "displayName", "description", "tag"))
            ]
        order = query.get("orderBy") or "Name"
        key = {"Name": "name", "Description": "description", "CreatedAt": "createdAt"}.get(order, "name")
        rows.sort(key=lambda v: (v.get(key) or "").lower(), reverse=query.get("sortBy") == "Descending")
        body: dict[str, Any] = {"items": []}
        page, size = _int(query.get("page"), "page"), _int(query.get("pageSize"), "pageSize")
        total = len(rows)
        if page is not None and size is not None:
            rows = rows[page * size : page * size + size]
        body["items"] = [self.summary_json(v) for v in rows]
        if page is not None:
            body["page"] = page
        if size is not None:
            body["pageSize"] = size
        body["totalCount"] = total
        return JSONResponse(body)

    async def get_definition(self, request: Request, a: str, b: str) -> Response:
        options = self._version_options(b)
        with self.lock:
            found = self._find(a, options)
            return JSONResponse(self.definition_json(found)) if found else problem(404, "Not Found")

    async def get_version(self, request: Request, a: str) -> Response:
        with self.lock:
            found = next((v for v in self.versions if v["id"] == a), None)
            return JSONResponse(self.definition_json(found)) if found else problem(404, "Not Found")

    async def history(self, request: Request, a: str) -> Response:
        with self.lock:
            versions = sorted(self._of(a), key=lambda v: v["version"], reverse=True)
            items = [
                {k: v[k] for k in ("id", "definitionId", "version", "isLatest", "isPublished", "createdAt")}
                for v in versions
            ]
        return JSONResponse({"items": items})

    async def export(self, request: Request, a: str, b: str) -> Response:
        options = self._version_options(b)
        with self.lock:
            found = self._find(a, options)
            if found is None:
                return problem(404, "Not Found")
            document = {key: copy.deepcopy(found.get(key)) for key in DEFINITION_KEYS}
        document["versionId"] = found["id"]
        document["variables"] = {"data": document["variables"] or {}}
        document["customAttributes"] = {"data": document["customAttributes"] or {}}
        name = re.sub(r"[^a-z0-9]+", "-", (found.get("name") or "workflow").lower()).strip("-")
        return Response(
            json.dumps(omit_nulls(document)),
            media_type="application/json",
            headers={"Content-Disposition": f'attachment; filename="{name}.json"'},
        )

    async def save(self, request: Request) -> Response:
        content_type = request.headers.get("content-type", "")
        if "json" not in content_type:
            return problem(415, "Unsupported Media Type")
        raw = await request.body()
        try:
            body = json.loads(raw)
        except ValueError as error:
            return validation_problem("$", f"Unexpected character encountered while parsing value: {error}")
        if not isinstance(body, dict):
            return validation_problem("$", "Cannot deserialize the current JSON value into the request type.")
        request_fields = {k.lower(): v for k, v in body.items()}
        try:
            parsed = _parse_save_request(request_fields)
        except BadRequest as error:
            return validation_problem(error.path, error.message)
        variables = _parse_bag(parsed["variables"])
        if variables is None:
            return JSONResponse("Cannot parse variables", status_code=400)
        attributes = _parse_bag(parsed["customattributes"])
        if attributes is None:
            return JSONResponse("Cannot parse customAttributes", status_code=400)
        with self.lock:
            definition_id = parsed["workflowdefinitionid"]
            draft = self._draft(definition_id) if definition_id else None
            is_new = draft is None
            if draft is None:
                draft = {
                    "id": new_id(),
                    "definitionId": definition_id or new_id(),
                    "name": "New Workflow",
                    "version": 1,
                    "isLatest": True,
                    "isPublished": False,
                    "isSingleton": False,
                    "createdAt": stamp(self.tick()),
                }
            activity_ids = {a["activityId"] for a in parsed["activities"]}
            draft.update(
                {
                    "activities": parsed["activities"],
                    "connections": [
                        c
                        for c in parsed["connections"]
                        if c["sourceActivityId"] in activity_ids
                        and c["targetActivityId"] in activity_ids
                        and c.get("outcome")
                    ],
                    "description": _trim(parsed["description"]),
                    "name": _trim(parsed["name"]),
                    "variables": variables,
                    "customAttributes": attributes,
                    "isSingleton": parsed["issingleton"],
                    "persistenceBehavior": parsed["persistencebehavior"],
                    "deleteCompletedInstances": parsed["deletecompletedinstances"],
                    "contextOptions": parsed["contextoptions"],
                    "displayName": _trim(parsed["displayname"]),
                    "tag": _trim(parsed["tag"]),
                    "channel": _trim(parsed["channel"]),
                }
            )
            saved = self._publish(draft) if parsed["publish"] else self._save_draft(draft)
            exists = any(v is saved for v in self.versions)
            if not exists:
                self.versions.append(saved)
            answer = self.definition_json(saved)
        if not is_new:
            return JSONResponse(answer)
        location = f"{str(request.base_url).rstrip('/')}/v1/workflow-definitions/{saved['id']}"
        return JSONResponse(answer, status_code=201, headers={"Location": location})

    def _draft(self, definition_id: str) -> dict[str, Any] | None:
        """``WorkflowPublisher.GetDraftAsync``: the latest draft, or a new N+1 copy of a published latest."""
        definition = self._find(definition_id, "Latest")
        if definition is None:
            return None
        if definition["isLatest"] and not definition["isPublished"]:
            return definition
        draft = copy.deepcopy(definition)
        draft["id"] = new_id()
        draft["isPublished"] = False
        draft["isLatest"] = True
        draft["createdAt"] = stamp(self.tick())
        draft["version"] = definition["version"] + 1
        return draft

    def _save_draft(self, draft: dict[str, Any]) -> dict[str, Any]:
        latest = self._find(draft["definitionId"], "Latest")
        if latest is not None:
            latest["isLatest"] = False
        draft["isLatest"] = True
        draft["isPublished"] = False
        return draft

    def _publish(self, definition: dict[str, Any]) -> dict[str, Any]:
        for other in self._of(definition["definitionId"]):
            if other["isPublished"] or other["isLatest"]:
                other["isPublished"] = False
                other["isLatest"] = False
        if definition["isPublished"]:
            definition["version"] += 1
        else:
            definition["isPublished"] = True
        definition["isLatest"] = True
        return definition

    async def publish(self, request: Request, a: str) -> Response:
        with self.lock:
            latest = self._find(a, "Latest")
            if latest is None:
                return problem(404, "Not Found")
            if latest["isPublished"]:
                copy_ = copy.deepcopy(latest)
                copy_["id"] = new_id()
                copy_["createdAt"] = stamp(self.tick())
                latest = copy_
            published = self._publish(latest)
            if not any(v is published for v in self.versions):
                self.versions.append(published)
            answer = self.definition_json(published)
        location = f"{str(request.base_url).rstrip('/')}/v1/workflow-definitions/{published['id']}"
        return JSONResponse(answer, status_code=202, headers={"Location": location})

    async def retract(self, request: Request, a: str) -> Response:
        with self.lock:
            published = self._find(a, "Published")
            if published is None:
                return problem(404, "Not Found")
            published["isPublished"] = False
            return JSONResponse(self.definition_json(published), status_code=202)

    async def delete_definition(self, request: Request, a: str, b: str | None = None) -> Response:
        with self.lock:
            if b is None or b == "AllVersions":
                gone = {v["id"] for v in self._of(a)}
            else:
                found = self._find(a, self._version_options(b))
                gone = {found["id"]} if found else set()
            self.versions = [v for v in self.versions if v["id"] not in gone]
            for instance_id in [i for i, x in self.instances.items() if x["definitionVersionId"] in gone]:
                del self.instances[instance_id]
                self.logs.pop(instance_id, None)
        return Response(status_code=202)

    async def list_instances(self, request: Request) -> Response:
        query = request.query_params
        page = _int(query.get("page"), "page") or 0
        size = _int(query.get("pageSize"), "pageSize") or 25
        status = query.get("status")
        if status is not None and status.lower() not in {s.lower() for s in _STATUSES}:
            raise BadRequest("status", f"The value '{status}' is not valid for Status.")
        with self.lock:
            rows = list(self.instances.values())
        if query.get("workflow"):
            rows = [r for r in rows if r["definitionId"] == query["workflow"]]
        if status:
            rows = [r for r in rows if r["workflowStatus"].lower() == status.lower()]
        if query.get("correlationId"):
            rows = [r for r in rows if r["correlationId"] == query["correlationId"]]
        if query.get("searchTerm"):
            term = query["searchTerm"]
            rows = [
                r
                for r in rows
                if any(term in (r.get(k) or "") for k in ("name", "id", "contextId", "correlationId"))
            ]
        order = query.get("orderBy")
        if order:
            key = {"Started": "createdAt", "LastExecuted": "lastExecutedAt", "Finished": "finishedAt"}[order]
            rows.sort(key=lambda r: r.get(key) or "", reverse=True)
        total = len(rows)
        rows = rows[page * size : page * size + size]
        items = [omit_nulls({k: r.get(k) for k in INSTANCE_SUMMARY_KEYS}) for r in rows]
        return JSONResponse({"items": items, "page": page, "pageSize": size, "totalCount": total})

    async def get_instance(self, request: Request, a: str) -> Response:
        with self.lock:
            found = self.instances.get(a)
            return JSONResponse(omit_nulls(copy.deepcopy(found))) if found else problem(404, "Not Found")

    async def execution_log(self, request: Request, a: str) -> Response:
        with self.lock:
            # nulls are omitted, except inside ``data``: a raw JObject keeps ``"InnerException": null``
            records = [{k: v for k, v in r.items() if v is not None} for r in self.logs.get(a, [])]
        query = request.query_params
        page = _int(query.get("page"), "page")
        total = len(records)
        if page is not None:
            size = _int(query.get("pageSize"), "pageSize") or 100
            records = records[page * size : page * size + size]
        return JSONResponse({"items": records, "totalCount": total})

    async def list_activities(self, request: Request) -> Response:
        return JSONResponse(copy.deepcopy(self.activities))

    # --- running ---------------------------------------------------------------------------------------

    def start(self) -> FakeElsa:
        sock = bind_socket("127.0.0.1", 0)
        host, port = sock.getsockname()[:2]
        self.url = f"http://{host}:{port}"
        config = uvicorn.Config(self, log_level="warning", access_log=False, lifespan="off")
        server = self._server = uvicorn.Server(config)

        def run() -> None:
            asyncio.run(server.serve(sockets=[sock]))

        self._thread = threading.Thread(target=run, name=f"fake-elsa-{port}", daemon=True)
        self._thread.start()
        waited = 0.0
        while not server.started and waited < 10:
            threading.Event().wait(0.01)
            waited += 0.01
        assert server.started, "the fake Elsa server did not start"
        self._sock = sock
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(10)
        self._sock.close()

    def __enter__(self) -> FakeElsa:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


_STATUSES = ("Idle", "Running", "Finished", "Suspended", "Faulted", "Cancelled")


def _int(text: str | None, name: str) -> int | None:
    if text is None or text == "":
        return None
    if not re.fullmatch(r"-?\d+", text):
        raise BadRequest(name, f"The value '{text}' is not valid for {name}.")
    return int(text)


def _trim(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _parse_bag(text: Any) -> dict[str, Any] | None:
    if text is None or (isinstance(text, str) and not text.strip()):
        return {}
    try:
        parsed = json.loads(text)
    except ValueError:
        return None
    return parsed if isinstance(parsed, dict) else None


def _expect_string(value: Any, path: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool | int | float):
        return json.dumps(value)
    raise BadRequest(path, f"Unexpected character encountered while parsing value: {{. Path '{path}'.")


def _expect_bool(value: Any, path: str) -> bool:
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise BadRequest(path, f"Could not convert to boolean: {value}. Path '{path}'.")


def _expect_int(value: Any, path: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadRequest(path, f"Input string '{value}' is not a valid integer. Path '{path}'.")
    return value


def _parse_save_request(fields: dict[str, Any]) -> dict[str, Any]:
    """Newtonsoft's binding of ``SaveWorkflowDefinitionRequest``: names case-insensitive, unknown keys
    ignored, types strict."""
    parsed: dict[str, Any] = {}
    for key in ("workflowdefinitionid", "name", "displayname", "description", "tag", "channel"):
        parsed[key] = _expect_string(fields.get(key), key)
    for key in ("variables", "customattributes"):
        parsed[key] = _expect_string(fields.get(key), key)
    for key in ("issingleton", "deletecompletedinstances", "publish"):
        parsed[key] = _expect_bool(fields.get(key), key)
    behaviour = fields.get("persistencebehavior")
    if behaviour is None:
        parsed["persistencebehavior"] = "Suspended"
    elif isinstance(behaviour, int) and not isinstance(behaviour, bool) and 0 <= behaviour < len(PERSISTENCE):
        parsed["persistencebehavior"] = PERSISTENCE[behaviour]
    elif isinstance(behaviour, str) and behaviour.strip().lower() in {p.lower() for p in PERSISTENCE}:
        parsed["persistencebehavior"] = next(p for p in PERSISTENCE if p.lower() == behaviour.strip().lower())
    else:
        raise BadRequest("persistenceBehavior", f"Error converting value {behaviour!r}.")
    options = fields.get("contextoptions")
    if options is not None and not isinstance(options, dict):
        raise BadRequest("contextOptions", "Error converting value to WorkflowContextOptions.")
    parsed["contextoptions"] = options
    activities = fields.get("activities") or []
    if not isinstance(activities, list):
        raise BadRequest("activities", "Cannot deserialize the current JSON object into a collection.")
    parsed["activities"] = [_parse_activity(a, f"activities[{i}]") for i, a in enumerate(activities)]
    connections = fields.get("connections") or []
    if not isinstance(connections, list):
        raise BadRequest("connections", "Cannot deserialize the current JSON object into a collection.")
    parsed["connections"] = []
    for index, raw in enumerate(connections):
        if not isinstance(raw, dict):
            raise BadRequest(f"connections[{index}]", "Error converting value to ConnectionDefinition.")
        lowered = {k.lower(): v for k, v in raw.items()}
        parsed["connections"].append(
            {
                "sourceActivityId": _expect_string(lowered.get("sourceactivityid"), f"connections[{index}]"),
                "targetActivityId": _expect_string(lowered.get("targetactivityid"), f"connections[{index}]"),
                "outcome": _expect_string(lowered.get("outcome"), f"connections[{index}].outcome"),
            }
        )
    return parsed


def _parse_activity(raw: Any, path: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise BadRequest(path, "Error converting value to ActivityDefinition.")
    fields = {k.lower(): v for k, v in raw.items()}
    activity: dict[str, Any] = {}
    for key in ACTIVITY_KEYS:
        value = fields.get(key.lower())
        if key in ("x", "y"):
            activity[key] = _expect_int(value, f"{path}.{key}")
        elif key in ("persistWorkflow", "loadWorkflowContext", "saveWorkflowContext"):
            activity[key] = _expect_bool(value, f"{path}.{key}")
        elif key == "properties":
            activity[key] = [_parse_property(p, f"{path}.properties[{i}]") for i, p in enumerate(value or [])]
        elif key == "propertyStorageProviders":
            if value is not None and not isinstance(value, dict):
                raise BadRequest(f"{path}.{key}", "Cannot deserialize into a dictionary.")
            activity[key] = {k: _expect_string(v, f"{path}.{key}.{k}") for k, v in (value or {}).items()}
        else:
            activity[key] = _expect_string(value, f"{path}.{key}")
    return activity


def _parse_property(raw: Any, path: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise BadRequest(path, "Error converting value to ActivityDefinitionProperty.")
    fields = {k.lower(): v for k, v in raw.items()}
    expressions = fields.get("expressions") or {}
    if not isinstance(expressions, dict):
        raise BadRequest(f"{path}.expressions", "Cannot deserialize into a dictionary.")
    return {
        "name": _expect_string(fields.get("name"), f"{path}.name"),
        "syntax": _expect_string(fields.get("syntax"), f"{path}.syntax"),
        "expressions": {k: _expect_string(v, f"{path}.expressions.{k}") for k, v in expressions.items()},
    }


def _input(
    name: str,
    ui_hint: str = "single-line",
    hint: str | None = None,
    type_name: str = STRING_TYPE,
    supported: tuple[str, ...] = ("JavaScript", "Liquid"),
    default_syntax: str | None = None,
    options: Any = None,
    outcomes: bool = False,
    order: float = 0.0,
    default: Any = None,
) -> dict[str, Any]:
    return omit_nulls(
        {
            "name": name,
            "type": type_name,
            "uiHint": ui_hint,
            "label": re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name),
            "hint": hint,
            "options": options,
            "order": order,
            "defaultValue": default,
            "defaultSyntax": default_syntax,
            "supportedSyntaxes": list(supported),
            "isReadOnly": False,
            "isBrowsable": True,
            "isDesignerCritical": False,
            "disableWorkflowProviderSelection": False,
            "considerValuesAsOutcomes": outcomes,
        }
    )


def _descriptor(
    type_name: str,
    display: str,
    category: str,
    outcomes: list[str],
    inputs: list[dict[str, Any]],
    description: str,
    traits: int = 1,
) -> dict[str, Any]:
    return {
        "type": type_name,
        "displayName": display,
        "description": description,
        "category": category,
        "traits": traits,
        "outcomes": outcomes,
        "properties": copy.deepcopy(inputs),
        "inputProperties": inputs,
        "outputProperties": [],
        "customAttributes": {},
    }


def default_descriptors() -> list[dict[str, Any]]:
    """A few of Elsa's core descriptors and the corpus' server-only types, as ``GET v1/activities`` lists
    them (``properties`` repeating ``inputProperties``, .NET type names, ``traits`` as flags)."""
    bool_type = "System.Boolean, System.Private.CoreLib, Version=8.0.0.0, Culture=neutral, PublicKeyToken=…"
    int_type = "System.Int32, System.Private.CoreLib, Version=8.0.0.0, Culture=neutral, PublicKeyToken=…"
    list_type = "System.Collections.Generic.ICollection`1[[System.String, System.Private.CoreLib]], …"
    return [
        _descriptor(
            "WriteLine",
            "Write Line",
            "Console",
            ["Done"],
            [_input("Text", hint="The text to write.")],
            "Write text to standard out.",
        ),
        _descriptor(
            "TaskCreate",
            "Task Create",
            "Tasks",
            ["Done"],
            [
                _input("Title", hint="The title of the task.", order=0),
                _input("TaskDescription", "multi-line", "What to do.", order=1),
                _input(
                    "Severity",
                    "dropdown",
                    options={
                        "isFlagsEnum": False,
                        "items": [{"text": t, "value": t} for t in ("Low", "Normal", "High")],
                    },
                    order=2,
                ),
                _input("Priority", type_name=int_type, order=3),
                _input("Due", order=4),
                _input("RelatedObjectInstanceId", order=5),
                _input("DataQuestions", "json", default_syntax="Json", order=6),
                _input("VariableName", supported=(), order=7),
                _input(
                    "Branches",
                    "multi-text",
                    "The outcomes a person can choose.",
                    type_name=list_type,
                    supported=("Json", "JavaScript"),
                    default_syntax="Json",
                    outcomes=True,
                    order=8,
                ),
            ],
            "Create a task for a person, and wait for its outcome.",
        ),
        _descriptor(
            "RemoveWorkflowInstances",
            "Remove Workflow Instances",
            "Workflows",
            ["Success", "Faulted"],
            [
                _input("WorkflowDefinitionName", hint="The workflow whose instances to remove.", order=0),
                _input(
                    "VersionSelection",
                    "dropdown",
                    options={"isFlagsEnum": False, "items": [{"text": "All", "value": "All"}]},
                    order=1,
                ),
                _input("CustomVersion", type_name=int_type, order=2),
                _input("InstanceRetention", type_name=int_type, order=3),
                _input("DateSelection", order=4),
                _input("IncludeIdle", "checkbox", type_name=bool_type, order=5),
                _input("IncludeSuspended", "checkbox", type_name=bool_type, order=6),
                _input("IncludeRunning", "checkbox", type_name=bool_type, order=7),
            ],
            "Remove the instances of a workflow.",
        ),
        _descriptor(
            "SignalReceived",
            "Signal Received",
            "Workflows",
            ["Done"],
            [_input("Signal", hint="The name of the signal to wait for."), _input("Scope", order=1)],
            "Suspend workflow execution until the specified signal is received.",
            traits=2,
        ),
    ]


def corpus_server(corpus: Path, required_headers: dict[str, str] | None = None) -> FakeElsa:
    """A fake seeded with every export of the corpus (not started)."""
    fake = FakeElsa(required_headers)
    for path in sorted(corpus.glob("*.json")):
        fake.seed_export(path)
    return fake
