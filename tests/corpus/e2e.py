"""`make corpus-e2e`: every operation of every corpus document called against Prism.

```
python tests/corpus/e2e.py [SPEC...] [-j N] [--corpus DIR] [--only NAME...] [--report FILE]
```
For each document (the corpus of ``make corpus``, or the SPEC files given): generate its client
as a user would, start Prism (``prism mock --errors``) on the document on a free loopback port,
and call every operation through the generated client (GET first, then the others), with the
path, query, header and body values the spec's examples, defaults and enums give where they
validate against their schema, and values made from the schema otherwise; the client has a
dummy key, so Prism's security check passes. Each call ends as one of:

- ``clean``: a 2xx whose result matches the spec and dumps back to the body received
  (``typed`` counts those whose result is not plain JSON);
- ``mismatch``: the result was flagged or does not round-trip; explained when Prism served an
  example of the spec's that its own schema refuses;
- ``rejected``: Prism refused the request (it broke the spec): its reason is shown;
- ``exception``: the call raised anything else;
- ``skipped``: a limit of Prism's, with the reason (a body generated from a schema that its
  schema refuses is asked again with ``Prefer: dynamic=true`` first).

Prints one row per document and a total, writes every call to ``--report`` (JSON), and exits 1
on any rejected call, exception, or mismatch that no example of the spec explains (a client
reading a body otherwise than its schema says).
"""

from __future__ import annotations

import argparse
import functools
import importlib
import inspect
import json
import os
import re
import subprocess
import sys
import time
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from generator.jobs import default_workers
from generator.load.document import Document, load
from generator.load.repair import repair
from generator.load.spec import operations
from tests.calls import _TYPED, _one_of_required, _presence_rule
from tests.corpus.run import _name, corpus_dir, documents, each_document, generate, package_name
from tests.e2e import prism
from tests.generator.util import ROOT

OUTCOMES = ("clean", "mismatch", "rejected", "exception", "skipped")
DEFAULT_REPORT = ROOT / "build" / "corpus-e2e.json"
CALL_TIMEOUT = 10.0  # seconds per call; Prism is restarted after a call it leaves unanswered
DUMMY_KEY = "dummy-key-for-prism"
# The client's constructor arguments that are not credentials.
_CLIENT_OPTIONS = frozenset(
    (
        "base_url",
        "timeout",
        "http_client",
        "max_retries",
        "follow_redirects",
        "clock",
        "strict_responses",
    )
)
# Prism's problems that are its own limits, in words.
_LIMITS = {
    "NO_COMPLEX_OBJECT_TEXT": "Prism writes a response declared with a media type that is not"
    " JSON (*/*) as text, and cannot write an object so",
}
# The reason of a call Prism did not answer in time: it is restarted for the next call.
_STUCK = "Prism did not answer in time"
# Why a value is left out: Prism reads a query parameter of a form style and a form body's
# parts as text, so an object there (JSON, as the client sends it) cannot pass its schema.
_UNREADABLE = "an object in a query list or a form part, which Prism reads as text"
# Why a refusal of a form body for a property it requires without declaring it is Prism's:
# it reads only the declared properties of a form body (the client sends the others too).
_UNDECLARED = "Prism reads only the declared properties of a form body"
# Why a refusal about an object query parameter (form, exploded) is Prism's: it lowercases
# every query key before reading the parameter's properties, so capitals never match.
_LOWERED = "Prism lowercases query keys, so it cannot read the properties with capitals"
# Why a refusal of an operation whose path key holds a fragment is Prism's: it matches the URL
# to the operation declared without the fragment.
_FRAGMENT = "Prism checks this URL against the operation of the same path without the fragment"
# A call Prism answered with a 500 because the body it would serve breaks its own schema.
_UNSERVABLE = "unservable"
# Prism's problem types that say the request broke the spec; its other problems are its limits.
_REFUSALS = frozenset(
    {
        "UNPROCESSABLE_ENTITY",
        "UNAUTHORIZED",
        "NOT_ACCEPTABLE",
        "INVALID_CONTENT_TYPE",
        "NO_PATH_MATCHED_ERROR",
        "NO_METHOD_MATCHED_ERROR",
    }
)


@dataclass
class Call:
    """One operation called: how it ended, and why."""

    document: str
    operation_id: str
    method: str
    path: str
    outcome: str
    reason: str = ""
    typed: bool = False
    explained: bool = False


@dataclass
class Report:
    """One document: its calls, and what went wrong before any call could be made."""

    name: str
    calls: list[Call] = field(default_factory=list)
    problem: str = ""
    seconds: float = 0.0

    def count(self, outcome: str) -> int:
        """How many calls ended as ``outcome``."""
        return sum(1 for c in self.calls if c.outcome == outcome)


# --- the caller: one document's operations, in a process of their own ---------------------


def call_document(
    spec: Path, package: str, base_url: str, timeout: float, skip: int
) -> Iterator[Call]:
    """Every operation of ``spec`` (after the first ``skip``) called through the generated
    ``package`` at ``base_url``; stops after a call Prism left unanswered (it is stuck)."""
    import httpx

    served = load(spec)  # what Prism serves: examples and all
    doc, _ = repair(load(spec), strict=False)  # what the client was made from
    values = Values(doc)
    pkg = importlib.import_module(package)
    name = next(n for n in pkg.__all__ if n.endswith("Client") and not n.startswith("Async"))
    # Every credential the client takes (one per scheme when the spec declares several), so
    # that Prism's check of the security requirements passes whichever an operation names.
    credentials = {
        n: DUMMY_KEY
        for n in inspect.signature(getattr(pkg, name)).parameters
        if n not in _CLIENT_OPTIONS
    }
    clients = [
        getattr(pkg, name)(
            **credentials,
            base_url=base_url,
            max_retries=0,
            timeout=timeout,
            http_client=httpx.Client(headers=headers),
        )
        for headers in ({}, {"Prefer": "dynamic=true"})
    ]
    found = _methods(pkg, clients)
    ops = sorted(operations(doc), key=lambda o: o[1] != "get")  # GET first, else spec order
    for path, method, op, item in ops[skip:]:
        call = Call(_name(spec), str(op.get("operationId", "")), method.upper(), path, "")
        target = found.get((method.upper(), path))
        if target is None:
            call.outcome, call.reason = "exception", "no method of the client calls it"
        else:
            kwargs, unsent = values.arguments(op, item, target[0][2])
            answering = _answering(served, path, method)
            as_served = served.deref(served.data["paths"][answering])[method]
            _call(call, target, kwargs, (pkg, doc, op, served, as_served))
            if call.explained and answering != path:
                call.reason = f"{_FRAGMENT}, whose example it served; {call.reason}"
            form = target[0][2].body_encoding in ("form", "multipart")
            if call.outcome == "rejected" and form and "must be object" in call.reason:
                call.outcome = "skipped"
                call.reason = f"{_UNREADABLE}: {call.reason}"
            undeclared = values.undeclared(op, target[0][2]) if form else set()
            if call.outcome == "rejected" and any(
                f"must have required property '{n}'" in call.reason for n in undeclared
            ):
                call.outcome = "skipped"
                call.reason = f"{_UNDECLARED}: {call.reason}"
            capitals = values.capitals(op, item)
            if call.outcome == "rejected" and any(
                f"parameter {n} " in call.reason for n in capitals
            ):
                call.outcome = "skipped"
                call.reason = f"{_LOWERED}: {call.reason}"
            if call.outcome == "rejected" and "#" in path:
                call.outcome = "skipped"
                call.reason = f"{_FRAGMENT}: {call.reason}"
            if unsent:
                call.reason = f"not sent ({_UNREADABLE}): {', '.join(unsent)}; {call.reason}"
        yield call
        if call.reason.startswith(_STUCK):
            return


def _answering(served: Document, path: str, method: str) -> str:
    """The path of the operation Prism answers a call of ``path`` with: the one of the same
    path without its ``#fragment`` when there is one (see ``_FRAGMENT``), else ``path``."""
    plain = path.split("#", 1)[0]
    item = served.deref(served.data["paths"].get(plain) or {})
    return plain if plain != path and isinstance(item, dict) and method in item else path


Target = tuple[tuple[Any, str, Any], ...]  # (resource, method name, endpoint) per client


def _methods(pkg: Any, clients: list[Any]) -> dict[tuple[str, str], Target]:
    """(HTTP method, path) -> each client's resource, method name and endpoint."""
    endpoint_type = importlib.import_module(f"{pkg.__name__}._request").Endpoint
    found: dict[tuple[str, str], list[tuple[Any, str, Any]]] = {}
    for client in clients:
        for attr in sorted(a for a in dir(type(client)) if not a.startswith("_")):
            resource = getattr(client, attr, None)
            raw = getattr(resource, "with_raw_response", None)
            if raw is None or not hasattr(resource, "_client"):
                continue
            for method in sorted(m for m in vars(raw) if not m.startswith("_")):
                function = getattr(type(resource), method)
                names = function.__code__.co_names
                ends = [function.__globals__.get(n) for n in names]
                ends = [e for e in ends if isinstance(e, endpoint_type)]
                if len(ends) == 1:
                    key = (ends[0].method, ends[0].path)
                    found.setdefault(key, []).append((resource, method, ends[0]))
    return {key: tuple(targets) for key, targets in found.items()}


def _call(call: Call, target: Target, kwargs: dict[str, Any], where: tuple[Any, ...]) -> None:
    """Call ``target``: as Prism serves by default (static), then with ``Prefer:
    dynamic=true`` when the body it served (or refused to serve) breaks its schema; record how
    it ended. ``where``: the package, the document it was made from and the operation there
    (checked against: its patterns are those Python reads), the document Prism serves and the
    operation there (whose examples Prism serves)."""
    pkg, doc, op, served, as_served = where
    static = ""
    for resource, method, _ in target:
        found = _attempt(call, getattr(resource.with_raw_response, method), kwargs, pkg)
        if found is None and call.outcome != _UNSERVABLE:
            if static and call.outcome == "clean":
                call.reason = f"clean with Prefer: dynamic=true; static: {static}"
            return
        if found is not None:
            response, paths = found
            errors = _body_errors(doc, op, response)
            call.outcome = "mismatch"
            if not any(_related(path, at) for path in paths for at, _ in errors):
                # The body fits its schema where the client differs: the client's own doing.
                if errors:
                    call.reason += f" (the body breaks its schema elsewhere: {_shown(errors)})"
                return
            if _has_example(served, as_served, response):
                call.explained = True
                call.reason = (
                    f"the spec's example breaks its schema: {_shown(errors)}; {call.reason}"
                )
                return
            call.reason = f"Prism served a body its schema refuses: {_shown(errors)}"
        static = static or call.reason
    call.outcome = "skipped"
    call.reason = f"{call.reason} (static: {static})" if static != call.reason else call.reason


def _related(path: str, at: str) -> bool:
    """Whether two places of a body are one inside the other (or the same)."""
    short, long = sorted((path, at), key=len)
    return not short or long == short or long.startswith((short + ".", short + "["))


def _shown(errors: list[tuple[str, str]]) -> str:
    return "; ".join(f"{at or '(body)'}: {message}" for at, message in errors[:2])


def _attempt(
    call: Call, method: Callable[..., Any], kwargs: dict[str, Any], package: Any
) -> tuple[Any, list[str]] | None:
    """One call: None once settled in ``call``; else the response of a mismatch to explain,
    and where in the body the result differs."""
    import pydantic

    try:
        answer = method(**kwargs)
    except package.APITimeoutError:
        call.outcome, call.reason = "skipped", _STUCK
        return None
    except package.APIStatusError as exc:
        call.outcome, call.reason = _refused(exc.response)
        return None
    except Exception as exc:  # noqa: BLE001 - each is an outcome
        call.outcome, call.reason = "exception", f"{type(exc).__name__}: {str(exc)[:400]}"
        return None
    result, response = answer.parse(), answer.http_response
    returns = str(inspect.signature(method).return_annotation)
    call.typed = re.search(r"\bAny\b|\bobject\b", returns) is None
    stream = getattr(package, "Stream", None)
    if stream is not None and isinstance(result, stream):
        # An event stream or JSON lines: read every item (each is parsed then), and close it.
        with result:
            try:
                for _ in result:
                    pass
            except Exception as exc:  # noqa: BLE001 - each is an outcome
                call.outcome, call.reason = "exception", f"{type(exc).__name__}: {str(exc)[:400]}"
                return None
    if not isinstance(result, pydantic.BaseModel):
        call.outcome = "clean"
        return None
    lenient = importlib.import_module(f"{package.__name__}._lenient")
    flagged = lenient.mismatches(result)
    if flagged:
        shown = "; ".join(f"{m.path or '(body)'}: {m.message}" for m in flagged)
        call.reason = f"flagged: {shown}"[:400]
        return response, [m.path for m in flagged]
    dumped = result.model_dump(mode="json", by_alias=True, exclude_unset=True, warnings=False)
    difference = _difference(response.json(), dumped)
    if difference:
        call.reason = f"does not round-trip: {difference[0] or '(body)'}: {difference[1]}"
        return response, [difference[0]]
    call.outcome = "clean"
    return None


def _refused(response: Any) -> tuple[str, str]:
    """A non-2xx answer: Prism's refusal (its reason), its limit, or the spec's own error."""
    try:
        problem = response.json()
    except ValueError:
        problem = None
    is_problem = "application/problem+json" in response.headers.get("content-type", "")
    violations = response.headers.get("sl-violations")
    if violations and not is_problem:  # a request refused with the spec's own 400 or 422
        try:
            found = [
                f"{'.'.join(map(str, v.get('path', [])))}: {v.get('message')}"
                for v in json.loads(violations)
            ]
        except (ValueError, AttributeError):
            found = [violations]
        shown = "; ".join(found[:4])
        return "rejected", f"{response.status_code} (the spec's error): {shown}"[:600]
    if not is_problem or not isinstance(problem, dict):
        return "skipped", f"the spec documents no success Prism can serve: {response.status_code}"
    kind = str(problem.get("type", "")).rsplit("#", 1)[-1]
    details = [
        f"{'.'.join(map(str, v.get('location', [])))}: {v.get('message', '')}"
        for v in problem.get("validation") or []
    ]
    reason = f"{response.status_code} {kind}: {problem.get('detail') or problem.get('title')}"
    reason += (" [" + "; ".join(details[:4]) + "]") if details else ""
    places = [v.get("location") or [""] for v in problem.get("validation") or []]
    if kind == "VIOLATIONS" and places and all(p[0] == "response" for p in places):
        reason = "Prism refuses to serve the body it made (its schema refuses it): " + "; ".join(
            details[:2]
        )
        return _UNSERVABLE, reason[:600]
    if kind in _REFUSALS:
        return "rejected", reason[:600]
    return "skipped", f"{_LIMITS.get(kind, 'a limit of Prism')}: {reason}"[:600]


def _difference(received: Any, dumped: Any, at: str = "") -> tuple[str, str] | None:
    """Where ``dumped`` first differs from ``received``, and how (None when equal)."""
    if isinstance(received, dict) and isinstance(dumped, dict):
        for key in [*received, *(k for k in dumped if k not in received)]:
            inner = f"{at}.{key}" if at else str(key)
            if key not in dumped or key not in received:
                got, back = received.get(key, "(absent)"), dumped.get(key, "(absent)")
                return inner, f"received {got!r:.80}, dumped {back!r:.80}"
            found = _difference(received[key], dumped[key], inner)
            if found:
                return found
        return None
    if isinstance(received, list) and isinstance(dumped, list) and len(received) == len(dumped):
        for i, (a, b) in enumerate(zip(received, dumped, strict=True)):
            found = _difference(a, b, f"{at}[{i}]")
            if found:
                return found
        return None
    same_kind = isinstance(received, bool) == isinstance(dumped, bool)
    if received == dumped and same_kind:  # 1 and 1.0 are the same JSON number
        return None
    return at, f"received {received!r:.80}, dumped {dumped!r:.80}"


def _response_media(doc: Document, op: dict[str, Any], response: Any) -> dict[str, Any]:
    responses = op.get("responses") or {}
    status = str(response.status_code)
    declared = responses.get(status) or responses.get(status[0] + "XX")
    if declared is None and status.startswith("2"):  # the client reads any 2xx as its success
        declared = next((r for code, r in responses.items() if str(code).startswith("2")), None)
    declared = declared or responses.get("default")
    content = doc.deref(declared or {}).get("content") or {}
    ctype = response.headers.get("content-type", "").split(";")[0].strip()
    media = content.get(ctype) or next((m for c, m in content.items() if "json" in c), None)
    return media or {}


def _body_errors(doc: Document, op: dict[str, Any], response: Any) -> list[tuple[str, str]]:
    """Where and how the body Prism served breaks its schema (empty when it fits)."""
    schema = _response_media(doc, op, response).get("schema")
    if schema is None:
        return []
    found = _errors(doc, schema, response.json(), read=True)
    return [(at, message) for at, message in found if not message.startswith(_UNCHECKED)]


def _has_example(doc: Document, op: dict[str, Any], response: Any) -> bool:
    """Whether the response declares an example of its own (Prism serves it as written)."""
    media = _response_media(doc, op, response)
    return "example" in media or bool(media.get("examples")) or _schema_examples(doc, media)


def _schema_examples(doc: Document, media: dict[str, Any]) -> bool:
    """Whether an ``example`` is written anywhere in the response schema (Prism's static
    sampler puts those in what it serves)."""
    seen: set[int] = set()

    def walk(node: Any) -> bool:
        node = doc.deref(node)
        if id(node) in seen:
            return False
        seen.add(id(node))
        if isinstance(node, dict):
            return "example" in node or "examples" in node or any(map(walk, node.values()))
        return isinstance(node, list) and any(map(walk, node))

    return walk(media.get("schema"))


_VALIDATORS: dict[tuple[int, bool], Any] = {}
_UNCHECKED = "cannot be checked"  # a schema the validator cannot read explains nothing


def _errors(doc: Document, schema: Any, value: Any, read: bool) -> list[tuple[str, str]]:
    """Where (``data[0].id``) and how ``value`` breaks ``schema`` (in a response when
    ``read``, else in a request)."""
    import openapi_schema_validator as osv

    key = (id(doc), read)
    if key not in _VALIDATORS:
        if str(doc.data.get("openapi", "")).startswith("3.1"):
            _VALIDATORS[key] = osv.OAS31Validator(doc.data, format_checker=osv.oas31_format_checker)
        else:
            kind = osv.OAS30ReadValidator if read else osv.OAS30WriteValidator
            _VALIDATORS[key] = kind(doc.data, format_checker=osv.oas30_format_checker)
    try:
        found = list(_VALIDATORS[key].evolve(schema=schema).iter_errors(value))[:5]
    except Exception as exc:  # noqa: BLE001 - a schema the validator cannot read
        return [("", f"{_UNCHECKED}: {exc}"[:200])]
    return [(_place(e.absolute_path), e.message[:160]) for e in found]


def _place(steps: Any) -> str:
    """A JSON Schema error's path as the client's mismatches write it: ``data[0].id``."""
    text = ""
    for step in steps:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text


class Values:
    """The values a call sends: the spec's examples, defaults and enums where they fit their
    schema, values made from the schema otherwise."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc

    def arguments(
        self, op: dict[str, Any], item: dict[str, Any], endpoint: Any
    ) -> tuple[dict[str, Any], list[str]]:
        """The keyword arguments (by Python name) of the method calling ``op``, and the
        optional ones left out because Prism cannot read them (see ``_UNREADABLE``)."""
        declared = self._declared(op, item)
        kwargs: dict[str, Any] = {}
        unsent: list[str] = []
        places: tuple[tuple[str, Any], ...] = (
            ("path", endpoint.path_params),
            ("query", endpoint.query),
        )
        places += ("header", endpoint.headers), ("cookie", endpoint.cookies)
        for location, names in places:
            for python, wire in names:
                param = declared.get((location, wire))
                if param is None:
                    continue
                schema = self.doc.deref(param.get("schema") or {})
                if location == "query" and not param.get("required") and self._objects(schema):
                    unsent.append(wire)
                else:
                    kwargs[python] = self.parameter(param)
        if endpoint.body_model is not None or endpoint.body_argument is not None:
            body = self.body(op, endpoint)
            if endpoint.body_argument is not None:
                kwargs[endpoint.body_argument] = body
            elif isinstance(body, dict):
                if endpoint.body_encoding in ("form", "multipart"):
                    needed = self.doc.deref(self._media(op, endpoint).get("schema") or {})
                    unsent += [
                        k
                        for k, v in body.items()
                        if _is_objects(v) and k not in (needed.get("required") or ())
                    ]
                    body = {k: v for k, v in body.items() if k not in unsent}
                kwargs.update({py: body[wire] for py, wire in endpoint.body_fields if wire in body})
        return kwargs, unsent

    def _declared(self, op: dict[str, Any], item: dict[str, Any]) -> dict[tuple[str, str], Any]:
        """The operation's parameters by (location, name), its own over its path's."""
        declared = {}
        for param in [*(item.get("parameters") or []), *(op.get("parameters") or [])]:
            param = self.doc.deref(param)
            declared[(str(param.get("in")), str(param.get("name")))] = param
        return declared

    def undeclared(self, op: dict[str, Any], endpoint: Any) -> set[str]:
        """The properties the request body requires without declaring them."""
        schema = self.doc.deref(self._media(op, endpoint).get("schema") or {})
        return set(schema.get("required") or ()) - set(self._property_names(schema))

    def capitals(self, op: dict[str, Any], item: dict[str, Any]) -> set[str]:
        """The object query parameters sent as their properties (form, exploded) that have a
        property with capitals, lowercased as Prism names them."""
        found = set()
        for param in self._declared(op, item).values():
            schema = self.doc.deref(param.get("schema") or {})
            exploded = param.get("style", "form") == "form" and param.get("explode", True)
            names = self._property_names(schema)
            if param.get("in") == "query" and exploded and any(n != n.lower() for n in names):
                found.add(str(param.get("name")).lower())
        return found

    def _property_names(self, schema: dict[str, Any]) -> list[str]:
        names = list(schema.get("properties") or {})
        for part in schema.get("allOf") or []:
            names += self._property_names(self.doc.deref(part))
        return names

    def _objects(self, schema: dict[str, Any]) -> bool:
        """Whether a parameter is a list of objects."""
        items = self.doc.deref(schema.get("items") or {}) if schema.get("type") == "array" else {}
        return items.get("type") == "object" or "properties" in items

    def parameter(self, param: dict[str, Any]) -> Any:
        """A parameter's value: its examples first, then its schema's."""
        given = [param["example"]] if "example" in param else []
        given += [self.doc.deref(e).get("value") for e in (param.get("examples") or {}).values()]
        return self.value(param.get("schema") or {}, given)

    def body(self, op: dict[str, Any], endpoint: Any) -> Any:
        """The request body the method sends, in the media type it sends."""
        media = self._media(op, endpoint)
        given = [media["example"]] if "example" in media else []
        given += [self.doc.deref(e).get("value") for e in (media.get("examples") or {}).values()]
        value = self.value(media.get("schema") or {}, given)
        if endpoint.body_encoding == "content" and not isinstance(value, str | bytes):
            value = json.dumps(value)
        if endpoint.body_encoding == "content" and _wants_bytes(endpoint):
            value = value.encode() if isinstance(value, str) else value
        return value

    def _media(self, op: dict[str, Any], endpoint: Any) -> dict[str, Any]:
        """The media type object of the request body the method sends."""
        content = self.doc.deref(op.get("requestBody") or {}).get("content") or {}
        ctype = endpoint.content_type or next((c for c in content if "json" in c), None)
        media: dict[str, Any] = self.doc.deref(
            content.get(ctype) or next(iter(content.values()), {}) or {}
        )
        return media

    def value(self, schema: Any, given: list[Any]) -> Any:
        """The first of ``given`` that fits ``schema``, else one made from it."""
        for value in given:
            if not _errors(self.doc, schema, value, read=False):
                return value
        return self.made(schema, 0)

    def made(self, schema: Any, depth: int) -> Any:
        """A value for ``schema``: its own example, default or enum when it fits, else built."""
        s = self.doc.deref(schema)
        if not isinstance(s, dict):
            return "sample"
        for value in _own_values(s):
            if not _errors(self.doc, s, value, read=False):
                return value
        branches = s.get("oneOf") or s.get("anyOf")
        if branches and not all(_presence_rule(b) for b in branches):
            for branch in branches:
                value = self.made(branch, depth + 1)
                if not _errors(self.doc, s, value, read=False):
                    return value
            return self.made(branches[0], depth + 1)
        if s.get("allOf"):
            # Parts that only annotate (a description beside a $ref) or state presence rules
            # add nothing; the parts are one object, not a level of nesting.
            own = {k: v for k, v in s.items() if k != "allOf"}
            parts = [self.doc.deref(p) for p in [*s["allOf"], own]]
            wanted = [p for p in parts if _TYPED.intersection(p) and not _presence_rule(p)]
            values = [self.made(p, depth) for p in wanted]
            if all(isinstance(v, dict) for v in values):
                merged: dict[str, Any] = {}
                for value in values:  # a part's placeholder never hides another part's value
                    merged.update((k, v) for k, v in value.items() if merged.get(k, _ANY) == _ANY)
                return _one_of_required(s, merged)
            return next(v for v in values if not isinstance(v, dict))
        return self._of_type(s, depth)

    def _of_type(self, s: dict[str, Any], depth: int) -> Any:
        kind = s.get("type")
        if isinstance(kind, list):
            kind = next((k for k in kind if k != "null"), "null")
        if kind == "object" or "properties" in s or "additionalProperties" in s:
            return self._object(s, depth)
        if kind == "array" or "items" in s:
            least = int(s.get("minItems") or 0)
            count = least if depth > 4 else max(1, least)
            return [self.made(s.get("items") or {}, depth + 1) for _ in range(count)]
        if kind in ("integer", "number"):
            return _number(s, kind)
        if kind == "boolean":
            return True
        if kind == "null":
            return None
        return _string(s)

    def _object(self, s: dict[str, Any], depth: int) -> dict[str, Any]:
        required = set(s.get("required") or ())
        # Read-only properties are the server's, unless the schema requires them anyway.
        props = {
            name: sub
            for name, sub in (s.get("properties") or {}).items()
            if name in required or (depth <= 4 and not self.doc.deref(sub).get("readOnly"))
        }
        if not props and isinstance(s.get("additionalProperties"), dict) and depth <= 4:
            return {"key": self.made(s["additionalProperties"], depth + 1)}
        made = {name: self.made(sub, depth + 1) for name, sub in props.items()}
        # Required without being declared (a spec's slip, or declared by another allOf part):
        # any value will do.
        made.update((name, _ANY) for name in sorted(required - set(made)))
        return _one_of_required(s, made)


def _is_objects(value: Any) -> bool:
    """An object, or a list holding one."""
    return isinstance(value, dict) or (
        isinstance(value, list) and any(isinstance(v, dict) for v in value)
    )


def _own_values(s: dict[str, Any]) -> Iterator[Any]:
    if "example" in s:
        yield s["example"]
    yield from s.get("examples") or [] if isinstance(s.get("examples"), list) else []
    if "default" in s:
        yield s["default"]
    yield from (v for v in s.get("enum") or [] if v is not None)
    if "const" in s:
        yield s["const"]


# The value of a property required but not declared: anything.
_ANY = "sample"

_FORMATS = {
    "date-time": "2025-01-15T10:30:00Z",
    "date": "2025-01-15",
    "time": "10:30:00Z",
    "uuid": "660e8400-e29b-41d4-a716-446655440001",
    "uri": "https://example.com/a",
    "url": "https://example.com/a",
    "uri-reference": "https://example.com/a",
    "email": "someone@example.com",
    "hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "byte": "c2FtcGxl",
    "binary": "sample",
}


def _string(s: dict[str, Any]) -> str:
    text = _FORMATS.get(str(s.get("format")), "sample")
    least, most = int(s.get("minLength") or 0), s.get("maxLength")
    if isinstance(s.get("pattern"), str):
        made = _from_pattern(s["pattern"], least, most)
        if made is not None:
            return made
    text = text.ljust(least, "x")
    return text[:most] if isinstance(most, int) else text


@functools.cache
def _from_pattern(pattern: str, least: int, most: int | None) -> str | None:
    """A string that matches ``pattern`` within the lengths, the same on every run (None when
    none is found soon)."""
    from hypothesis import HealthCheck, Phase, find, settings
    from hypothesis import strategies as st

    fits = settings(
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.generate],  # the first that fits: shrinking to the simplest takes seconds
        max_examples=100,
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return find(
                st.from_regex(pattern, fullmatch=True),
                lambda t: len(t) >= least and (most is None or len(t) <= most),
                settings=fits,
            )
    except Exception:  # noqa: BLE001 - a pattern Python reads otherwise, or none found
        return None


def _number(s: dict[str, Any], kind: str) -> int | float:
    low, high = s.get("minimum"), s.get("maximum")
    if isinstance(s.get("exclusiveMinimum"), int | float):
        low = s["exclusiveMinimum"] + 1
    elif s.get("exclusiveMinimum") is True and low is not None:
        low += 1
    if isinstance(s.get("exclusiveMaximum"), int | float):
        high = s["exclusiveMaximum"] - 1
    elif s.get("exclusiveMaximum") is True and high is not None:
        high -= 1
    value = 7 if kind == "integer" else 1.5
    value = max(value, low) if low is not None else value
    value = min(value, high) if high is not None else value
    step = s.get("multipleOf")
    if isinstance(step, int | float) and step:
        value = (int(value // step) + (1 if value % step else 0)) * step
    return int(value) if kind == "integer" else value


def _wants_bytes(endpoint: Any) -> bool:
    return endpoint.content_type is None or not str(endpoint.content_type).startswith("text/")


# --- the driver: generate, start Prism, call, tally -------------------------------------


def check_document(spec: Path, scratch: Path, timeout: float) -> Report:
    """Generate ``spec``'s client, serve ``spec`` with Prism, and call every operation."""
    report = Report(_name(spec))
    start = time.perf_counter()
    package = package_name(spec)
    out = scratch / "calls.jsonl"
    out.touch()
    with ThreadPoolExecutor(1) as side:  # Prism starts while the client is generated
        starting = side.submit(prism.start, package, scratch, spec=spec)
        made = generate(spec, scratch, package)
        try:
            server: prism.Prism | None = starting.result()
        except prism.PrismError as exc:
            server, report.problem = None, str(exc).splitlines()[0]
    if made.returncode != 0 or "Traceback" in made.stderr:
        report.problem = "generation failed: " + " / ".join(made.stderr.strip().splitlines()[-2:])
    ran = None
    try:
        for _ in range(_RESTARTS if server and not report.problem else 0):
            done = len(out.read_text("utf-8").splitlines())
            server = server or prism.start(package, scratch, spec=spec)
            try:
                ran = _caller(spec, scratch, server.base_url, out, (timeout, done))
            finally:
                prism.stop(server)
                server = None  # Prism is restarted after a call it left unanswered
            if ran.returncode != _STOPPED:
                break
        if ran is not None and ran.returncode != 0:
            report.problem = "the caller failed: " + " / ".join(
                ran.stderr.strip().splitlines()[-3:]
            )
    except prism.PrismError as exc:
        report.problem = str(exc).splitlines()[0]
    except subprocess.TimeoutExpired as exc:
        report.problem = f"the caller took longer than {exc.timeout:.0f} s"
    finally:
        if server is not None:
            prism.stop(server)
    report.calls = [Call(**json.loads(line)) for line in out.read_text("utf-8").splitlines()]
    report.seconds = time.perf_counter() - start
    return report


_RESTARTS = 20
_STOPPED = 3  # the caller's exit status after a call Prism left unanswered


def _caller(
    spec: Path, scratch: Path, base_url: str, out: Path, times: tuple[float, int]
) -> subprocess.CompletedProcess[str]:
    """The calls of one document (from the ``times[1]``-th on) in a process of their own,
    its package generated in ``scratch``."""
    timeout, skip = times
    command = [sys.executable, __file__, "--call", str(spec), "--package", package_name(spec)]
    command += ["--base-url", base_url, "--out", str(out), "--timeout", str(timeout)]
    command += ["--skip", str(skip)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(scratch), str(ROOT)])}
    budget = 300 + 20 * timeout  # loading the document, then calls a few seconds each at most
    return subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=budget, check=False
    )


HEADER = (
    "| document | operations | clean | typed | mismatch (explained) | rejected | exception "
    "| skipped | seconds |\n|---|---|---|---|---|---|---|---|---|"
)


def row(report: Report) -> str:
    """One document as a table row."""
    if report.problem:
        return f"| {report.name} | - | - | - | - | - | **{report.problem[:300]}** | - | - |"
    explained = sum(1 for c in report.calls if c.outcome == "mismatch" and c.explained)
    cells = [report.name, str(len(report.calls)), str(report.count("clean"))]
    cells += [str(sum(1 for c in report.calls if c.typed and c.outcome == "clean"))]
    cells += [f"{report.count('mismatch')} ({explained})"]
    cells += [str(report.count(o)) for o in ("rejected", "exception", "skipped")]
    return "| " + " | ".join([*cells, f"{report.seconds:.0f}"]) + " |"


def total(reports: list[Report]) -> Report:
    """Every document's calls as one report (a failed document counts as one exception)."""
    calls = [c for r in reports for c in r.calls]
    calls += [Call(r.name, "", "", "", "exception", r.problem) for r in reports if r.problem]
    return Report("**total**", calls, seconds=sum(r.seconds for r in reports))


def main(argv: list[str] | None = None) -> int:
    """Call every operation of every document; print the table; 1 on a rejected call, an
    exception or a mismatch no example of the spec explains."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("specs", nargs="*", type=Path, help="documents (default: the corpus)")
    parser.add_argument("-j", "--jobs", type=int, default=default_workers())
    parser.add_argument("--corpus", type=Path, default=corpus_dir())
    parser.add_argument("--only", nargs="*", default=[], help="corpus documents (vendor/file)")
    parser.add_argument("--report", type=Path, default=DEFAULT_REPORT, help="the JSON report")
    parser.add_argument("--timeout", type=float, default=CALL_TIMEOUT, help="seconds per call")
    parser.add_argument("--call", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--package", help=argparse.SUPPRESS)
    parser.add_argument("--base-url", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--skip", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.call:  # the caller process of one document: one line per call, as it ends
        with args.out.open("a", encoding="utf-8") as out:
            for call in call_document(
                args.call, args.package, args.base_url, args.timeout, args.skip
            ):
                out.write(json.dumps(asdict(call)) + "\n")
                out.flush()
                if call.reason.startswith(_STUCK):
                    return _STOPPED
        return 0
    specs = [p.resolve() for p in args.specs]
    if not specs:
        if not args.corpus.is_dir():
            print(f"corpus-e2e: skipped, no corpus at {args.corpus} (set REALWORLD_DIR)")
            return 0
        specs = [s for s in documents(args.corpus) if not args.only or _name(s) in args.only]
    # The largest first: the last documents to finish are then the short ones.
    specs.sort(key=lambda s: -s.stat().st_size)
    started = time.perf_counter()
    check = functools.partial(check_document, timeout=args.timeout)
    reports = each_document(specs, check, args.jobs, "corpus-e2e-")
    reports.sort(key=lambda r: r.name)
    summed = total(reports)
    print(HEADER)
    for report in [*reports, summed]:
        print(row(report))
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(json.dumps([asdict(c) for c in summed.calls], indent=1), "utf-8")
    unexplained = sum(1 for c in summed.calls if c.outcome == "mismatch" and not c.explained)
    failed = summed.count("rejected") + summed.count("exception") + unexplained
    elapsed = time.perf_counter() - started
    counts = ", ".join(f"{summed.count(o)} {o}" for o in OUTCOMES)
    print(f"\n{len(summed.calls)} calls: {counts} ({unexplained} mismatches unexplained)")
    print(f"report: {args.report} ({elapsed:.0f} s, -j {args.jobs})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
