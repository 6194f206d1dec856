"""HTTP activities (Elsa 2 ``Elsa.Activities.Http``): HttpEndpoint, WriteHttpResponse, SendHttpRequest.

Their handlers are in :mod:`runtime.activities.http`.
"""

from __future__ import annotations

from runtime.catalog.descriptors import ActivityDescriptor, PropertyDescriptor

HTTP_METHODS: tuple[str, ...] = ("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD")
"""The order Elsa lists them in its check-list and dropdown."""

_LITERAL_JS_LIQUID = ("Literal", "JavaScript", "Liquid")

HTTP_ENDPOINT = ActivityDescriptor(
    type="HttpEndpoint",
    category="HTTP",
    display_name="HTTP Endpoint",
    description="Handle an incoming HTTP request.",
    is_trigger=True,
    summary_property="Path",
    icon="http-endpoint",
    outcomes=("Done",),
    outputs=("Output",),
    properties=(
        PropertyDescriptor("Path", hint="The relative path that triggers this activity.", required=True),
        PropertyDescriptor(
            "Methods",
            value_type="array",
            ui_hint="check-list",
            hint="The HTTP methods that trigger this activity.",
            default_syntax="Json",
            supported_syntaxes=("Json", "JavaScript", "Liquid"),
            default_value=("GET",),
            options=HTTP_METHODS,
        ),
        PropertyDescriptor(
            "ReadContent",
            value_type="bool",
            ui_hint="checkbox",
            hint="Read the request body and store it in the request model (its format depends on the "
            "content-type header).",
            supported_syntaxes=_LITERAL_JS_LIQUID,
        ),
        PropertyDescriptor("TargetType", supported_syntaxes=(), category="Advanced"),
        PropertyDescriptor(
            "Schema",
            ui_hint="code-editor",
            hint="JSON schema of the request body, used for autocomplete.",
            supported_syntaxes=(),
            category="Advanced",
        ),
        PropertyDescriptor(
            "Authorize",
            value_type="bool",
            ui_hint="checkbox",
            hint="Check to only allow requests which satisfy a specified policy.",
            supported_syntaxes=_LITERAL_JS_LIQUID,
            category="Security",
        ),
        PropertyDescriptor(
            "Policy",
            hint="A policy to evaluate. If the policy fails, the request is forbidden.",
            supported_syntaxes=_LITERAL_JS_LIQUID,
            category="Security",
        ),
        PropertyDescriptor(
            "AuthorizeWithCustomHeader",
            value_type="bool",
            ui_hint="checkbox",
            hint="Check to only allow requests which have a specified header with a specified value.",
            supported_syntaxes=_LITERAL_JS_LIQUID,
            category="Security",
        ),
        PropertyDescriptor("CustomHeaderName", supported_syntaxes=_LITERAL_JS_LIQUID, category="Security"),
        PropertyDescriptor(
            "CustomHeaderValue", supported_syntaxes=_LITERAL_JS_LIQUID, category="Security", is_secret=True
        ),
    ),
)

WRITE_HTTP_RESPONSE = ActivityDescriptor(
    type="WriteHttpResponse",
    category="HTTP",
    display_name="HTTP Response",
    description="Write an HTTP response.",
    summary_property="Content",
    icon="http-response",
    outcomes=("Done",),
    properties=(
        PropertyDescriptor(
            "StatusCode",
            value_type="enum",
            ui_hint="dropdown",
            hint="The HTTP status code to write.",
            supported_syntaxes=_LITERAL_JS_LIQUID,
            default_value="OK",
            options=(
                "OK",
                "Created",
                "Accepted",
                "NoContent",
                "Redirect",
                "BadRequest",
                "NotFound",
                "Conflict",
            ),
            category="Advanced",
        ),
        PropertyDescriptor(
            "Content", value_type="any", ui_hint="multi-line", hint="The HTTP content to write."
        ),
        PropertyDescriptor(
            "ContentType",
            ui_hint="dropdown",
            hint="The HTTP content type header to write.",
            supported_syntaxes=_LITERAL_JS_LIQUID,
            default_value="text/plain",
            options=("text/plain", "text/html", "application/json", "application/xml"),
        ),
        PropertyDescriptor(
            "CharSet",
            ui_hint="dropdown",
            hint="The character set to use when writing the response.",
            supported_syntaxes=_LITERAL_JS_LIQUID,
            default_value="utf-8",
            options=("", "utf-8", "ASCII", "ANSI", "ISO-8859-1"),
            category="Advanced",
        ),
        PropertyDescriptor(
            "ResponseHeaders",
            value_type="object",
            ui_hint="multi-line",
            hint="Additional headers to write.",
            default_syntax="Json",
            supported_syntaxes=("JavaScript", "Liquid", "Json"),
            category="Advanced",
        ),
    ),
)

SEND_HTTP_REQUEST = ActivityDescriptor(
    type="SendHttpRequest",
    category="HTTP",
    display_name="Send HTTP Request",
    description="Send an HTTP request.",
    summary_property="Url",
    icon="http-request",
    outcomes=("Done", "Unsupported Status Code"),
    outputs=("Response", "ResponseContent"),
    properties=(
        PropertyDescriptor("Url", hint="The URL to send the HTTP request to.", required=True),
        PropertyDescriptor(
            "Method",
            ui_hint="dropdown",
            hint="The HTTP method to use when making the request (GET when empty).",
            options=HTTP_METHODS,
        ),
        PropertyDescriptor(
            "Content",
            value_type="any",
            ui_hint="multi-line",
            hint="The HTTP content to send along with the request (sent for POST, PUT, PATCH and DELETE).",
        ),
        PropertyDescriptor(
            "ContentType",
            ui_hint="dropdown",
            hint="The content type to send with the request.",
            options=(
                "",
                "text/plain",
                "text/html",
                "application/json",
                "application/xml",
                "application/x-www-form-urlencoded",
            ),
        ),
        PropertyDescriptor(
            "Authorization",
            hint="The Authorization header value to send.",
            supported_syntaxes=_LITERAL_JS_LIQUID,
            category="Advanced",
            is_secret=True,
        ),
        PropertyDescriptor(
            "RequestHeaders",
            value_type="object",
            ui_hint="multi-line",
            hint="Additional headers to send along with the request.",
            default_syntax="Json",
            supported_syntaxes=("Json", "JavaScript", "Liquid"),
            category="Advanced",
        ),
        PropertyDescriptor(
            "ReadContent",
            value_type="bool",
            ui_hint="checkbox",
            hint="Read the content of the response.",
            supported_syntaxes=_LITERAL_JS_LIQUID,
        ),
        PropertyDescriptor(
            "ResponseContentParserName",
            label="Response Content Parser",
            ui_hint="dropdown",
            hint="The parser to use to parse the response content (empty: chosen from the content type).",
            supported_syntaxes=_LITERAL_JS_LIQUID,
            options=("", "Plain Text", ".NET Type", "JToken", "File"),
        ),
        PropertyDescriptor(
            "ResponseContentTargetType",
            label="Response Content .NET Type",
            hint="The assembly-qualified .NET type name to deserialize the received content into.",
            supported_syntaxes=_LITERAL_JS_LIQUID,
        ),
        PropertyDescriptor(
            "SupportedStatusCodes",
            value_type="array",
            ui_hint="multi-text",
            hint="A list of possible HTTP status codes to handle.",
            default_syntax="Json",
            supported_syntaxes=("Json", "JavaScript", "Liquid"),
            default_value=(200,),
            considers_values_as_outcomes=True,
        ),
    ),
)

DESCRIPTORS: tuple[ActivityDescriptor, ...] = (HTTP_ENDPOINT, WRITE_HTTP_RESPONSE, SEND_HTTP_REQUEST)
