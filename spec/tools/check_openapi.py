#!/usr/bin/env python3
"""Check recorded HTTP responses against spec/openapi.yaml, offline.

Usage:
  python3 spec/tools/check_openapi.py RESPONSES.json [--openapi spec/openapi.yaml]

RESPONSES.json is a JSON array of {"method", "path", "status", "contentType", "body"} (body as text), as the
VerifierServer tests record them. Each response must be documented: the operation for its path and method (or,
for a method the path does not list, the components' methodNotAllowed response), its status code under that
operation, its media type (parameters ignored) under that response; a JSON body must validate against the
documented schema (JSON Schema 2020-12, $refs resolved from spec/ only; nothing is fetched).

Needs PyYAML and jsonschema (>= 4.18, with referencing). Exit status: 0 all conform, 1 some do not (one line
each), 2 usage error or unreadable file.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import sys

try:
    import jsonschema
    import referencing
    import yaml
except ImportError as error:  # pragma: no cover
    print(f"check_openapi: needs PyYAML and jsonschema: {error}", file=sys.stderr)
    sys.exit(2)

SPEC = pathlib.Path(__file__).resolve().parent.parent


def registry_for(openapi_path: pathlib.Path, document: dict) -> referencing.Registry:
    """The OpenAPI document and every spec/schemas/*.json, by file URI and by $id."""
    registry = referencing.Registry()
    spec_dialect = referencing.jsonschema.DRAFT202012
    registry = registry.with_resource(openapi_path.as_uri(), spec_dialect.create_resource(document))
    for schema_path in sorted((openapi_path.parent / "schemas").glob("*.json")):
        schema = json.loads(schema_path.read_text(encoding="utf-8"))
        resource = referencing.jsonschema.specification_with(
            schema.get("$schema", "https://json-schema.org/draft/2020-12/schema")).create_resource(schema)
        registry = registry.with_resource(schema_path.as_uri(), resource)
        if "$id" in schema:
            registry = registry.with_resource(schema["$id"], resource)
    return registry


def pointer(*parts: str) -> str:
    return "/".join(part.replace("~", "~0").replace("/", "~1") for part in parts)


def check(response: dict, document: dict, base: str, registry: referencing.Registry) -> list[str]:
    method, path, status = response["method"].lower(), response["path"], str(response["status"])
    where = f"{response['method']} {path} -> {status}"
    operations = document["paths"].get(path)
    if operations is None:
        responses_at = ("components", "responses")
        documented = {"404": {"$ref": "#/components/responses/notFound"}}
    elif method in operations:
        responses_at = ("paths", path, method, "responses")
        documented = operations[method]["responses"]
    else:
        responses_at = ("components", "responses")
        documented = {"405": {"$ref": "#/components/responses/methodNotAllowed"}}
    if status not in documented:
        return [f"{where}: status not documented"]
    entry = documented[status]
    location = responses_at + (status,)
    if "$ref" in entry:
        name = entry["$ref"].split("/")[-1]
        entry = document["components"]["responses"][name]
        location = ("components", "responses", name)
    media = response["contentType"].split(";")[0].strip().lower()
    content = entry.get("content", {})
    if media not in content:
        return [f"{where}: content type {media!r} not documented (documented: {sorted(content)})"]
    if media == "text/html":
        return [] if response["body"].lstrip().lower().startswith("<!doctype html>") else [f"{where}: not HTML"]
    try:
        body = json.loads(response["body"])
    except ValueError as error:
        return [f"{where}: body is not JSON: {error}"]
    reference = base + "#/" + pointer(*location, "content", media, "schema")
    validator = jsonschema.Draft202012Validator({"$ref": reference}, registry=registry)
    return [f"{where}: {error.json_path}: {error.message}" for error in validator.iter_errors(body)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("responses")
    parser.add_argument("--openapi", default=str(SPEC / "openapi.yaml"))
    arguments = parser.parse_args()
    try:
        openapi_path = pathlib.Path(arguments.openapi).resolve()
        document = yaml.safe_load(openapi_path.read_text(encoding="utf-8"))
        responses = json.loads(pathlib.Path(arguments.responses).read_text(encoding="utf-8"))
    except (OSError, ValueError, yaml.YAMLError) as error:
        print(f"check_openapi: {error}", file=sys.stderr)
        return 2
    registry = registry_for(openapi_path, document)
    problems = []
    for response in responses:
        problems += check(response, document, openapi_path.as_uri(), registry)
    for problem in problems:
        print(problem)
    print(f"check_openapi: {len(responses)} responses, {len(problems)} problems", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
