"""The OpenAPI 3 document, generated from the registered operations and their schemas."""

from __future__ import annotations

from flask import jsonify
from pydantic.json_schema import models_json_schema

from webapp.core.api import bp
from webapp.core.api.spec import OPERATIONS

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "field": {"type": ["string", "null"]},
                "fields": {"type": "object", "additionalProperties": {"type": "string"}},
            },
        }
    },
}


def build_document() -> dict:
    models = set()
    for op in OPERATIONS:
        for model, mode in (
            (op.body, "validation"),
            (op.query, "validation"),
            (op.response, "serialization"),
        ):
            if model is not None:
                models.add((model, mode))
    refs, defs = models_json_schema(
        sorted(models, key=lambda m: (m[0].__name__, m[1])),
        ref_template="#/components/schemas/{model}",
    )
    schemas = dict(defs.get("$defs", {}))

    def ref(model, mode: str) -> dict:
        # Two models may share a class name (catalog's and page's ServiceList): pydantic
        # names their schemas apart, so take the reference it made, not __name__.
        return refs[(model, mode)]

    schemas["Error"] = ERROR_SCHEMA
    paths: dict = {}
    for op in OPERATIONS:
        operation: dict = {
            "summary": op.summary,
            "tags": [op.tag],
            "operationId": f"{op.method}_{op.path}".replace("/", "_")
            .replace("{", "")
            .replace("}", ""),
            "responses": {},
        }
        parameters = [
            {"name": name, "in": "path", "required": True, "schema": {"type": typ}}
            for name, typ in op.path_params.items()
        ]
        if op.query is not None:
            qschema = op.query.model_json_schema()
            required = set(qschema.get("required", []))
            for name, prop in qschema.get("properties", {}).items():
                prop = dict(prop)
                prop.pop("title", None)
                parameters.append(
                    {"name": name, "in": "query", "required": name in required, "schema": prop}
                )
        if op.act_as is not None:
            parameters.append(
                {
                    "name": "Act-As",
                    "in": "header",
                    "required": False,
                    "description": (
                        "Act for this account under a family mandate with the "
                        + " or ".join(repr(s) for s in op.act_as.split("|"))
                        + " scope; 404 without a valid mandate."
                    ),
                    "schema": {"type": "integer"},
                }
            )
        if parameters:
            operation["parameters"] = parameters
        if op.body is not None:
            operation["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": ref(op.body, "validation")}},
            }
        if op.response is not None:
            operation["responses"][str(op.status)] = {
                "description": "OK",
                "content": {"application/json": {"schema": ref(op.response, "serialization")}},
            }
        else:
            operation["responses"][str(op.status)] = {"description": "OK"}
        if op.alt_status is not None:
            operation["responses"][str(op.alt_status)] = dict(
                operation["responses"][str(op.status)],
                description="OK (an existing resource was changed)",
            )
        for code in op.errors:
            operation["responses"][str(code)] = {
                "description": "Error",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
            }
        if op.auth:
            operation["security"] = [{"bearer": []}]
        paths.setdefault(op.path, {})[op.method] = operation
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Lifepage API",
            "version": "1.0.0",
            "description": "The personal government-service page as data: profile, household, duties, recommendations, catalog.",
        },
        "servers": [{"url": "/api/v1"}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }


@bp.route("/openapi.json")
def openapi_document():
    return jsonify(build_document())
