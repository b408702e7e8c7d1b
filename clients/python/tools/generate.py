#!/usr/bin/env python3
"""Generates orchestrator_client/_generated.py from docs/openapi.json: the operation table (method, path, path and
query parameters of every operationId) and a dataclass per schema. Run it after the document changes:

    /usr/bin/python3 clients/python/tools/generate.py            # rewrites the file
    /usr/bin/python3 clients/python/tools/generate.py --check    # exit 1 when the committed file is stale (a test runs it)
"""
from __future__ import annotations

import json
import keyword
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
DOCUMENT = ROOT / "docs" / "openapi.json"
TARGET = HERE.parent / "orchestrator_client" / "_generated.py"

# Results whose rows make a table: `to_frame()` turns this list field into a DataFrame (hand-written ones in _base.py).
FRAMES = {
    "LeaderboardView": "trials", "RunView": "trials", "RunsView": "runs", "ApprovalsView": "approvals", "AuditView": "entries",
    "ModelsView": "versions", "ProjectListView": "projects", "CatalogSearchView": "datasets", "GrantsView": "grants",
    "WebhooksView": "webhooks", "WebhookDeliveriesView": "deliveries", "PredictionsView": "predictions",
    "LineageView": "nodes", "DriftReport": "features", "MonitoringReport": None,
}
MIXINS = {"MonitoringView": "MonitoringFrames", "MonitoringReport": "MonitoringReportFrames"}
METHODS = ("get", "put", "post", "patch", "delete")


def snake(name: str) -> str:
    out = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name)
    out = re.sub(r"(?<=[A-Z])([A-Z][a-z])", r"_\1", out).lower().replace("-", "_").replace(".", "_")
    return out + "_" if keyword.iskeyword(out) or out in ("raw",) else out


def ref_name(schema: dict) -> str | None:
    ref = schema.get("$ref")
    return ref.rsplit("/", 1)[-1] if ref else None


def spec_of(schema: dict, schemas: dict) -> tuple[str, tuple]:
    """(annotation, conversion spec) of a property schema."""
    if "oneOf" in schema or "anyOf" in schema:
        options = [s for s in schema.get("oneOf", schema.get("anyOf")) if s.get("type") != "null"]
        if len(options) == 1:
            annotation, spec = spec_of(options[0], schemas)
            return annotation, spec
        return "Any", ("any",)
    name = ref_name(schema)
    if name:
        target = schemas[name]
        if "enum" in target:
            return name, ("str",)
        if "properties" in target or "anyOf" in target:
            return name, ("model", name)
        return "Any", ("any",)
    types = schema.get("type")
    types = [types] if isinstance(types, str) else [t for t in (types or []) if t != "null"]
    if not types:
        return "Any", ("any",)
    if "array" in types:
        inner_annotation, inner = spec_of(schema.get("items", {}), schemas)
        return f"list[{inner_annotation}]", ("list", inner)
    if "object" in types:
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            inner_annotation, inner = spec_of(extra, schemas)
            return f"dict[str, {inner_annotation}]", ("dict", inner)
        return "dict[str, Any]", ("any",)
    if "integer" in types:
        return "int", ("int",)
    if "number" in types:
        return "float", ("float",)
    if "boolean" in types:
        return "bool", ("any",)
    if "string" in types:
        if schema.get("format") == "date-time":
            return "datetime", ("datetime",)
        return "str", ("str",)
    return "Any", ("any",)


def generate(document: dict) -> str:
    schemas = document["components"]["schemas"]
    lines = [
        '"""Generated from docs/openapi.json by clients/python/tools/generate.py — do not edit; run it again."""',
        "from __future__ import annotations",
        "",
        "from dataclasses import dataclass",
        "from datetime import datetime",
        "from typing import Any, ClassVar, Literal, Union",
        "",
        "from ._base import Model, MonitoringFrames, MonitoringReportFrames",
        "",
        "# operationId -> (method, path, path parameters, query parameters, request media types)",
        "OPERATIONS: dict[str, tuple[str, str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {",
    ]
    for path, item in document["paths"].items():
        for method in METHODS:
            if method not in item:
                continue
            op = item[method]
            params = op.get("parameters", [])
            path_params = tuple(p["name"] for p in params if p["in"] == "path")
            query = tuple(p["name"] for p in params if p["in"] == "query")
            media = tuple(op.get("requestBody", {}).get("content", {}).keys())
            lines.append(f"    {op['operationId']!r}: ({method.upper()!r}, {path!r}, {path_params!r}, {query!r}, {media!r}),")
    lines += ["}", ""]

    enums = {k: v for k, v in schemas.items() if "enum" in v}
    for name, schema in sorted(enums.items()):
        values = ", ".join(repr(v) for v in schema["enum"])
        lines += [f"{name} = Literal[{values}]", ""]

    lines.append("")
    unions = {}
    for name, schema in schemas.items():
        if "properties" in schema:
            mixin = MIXINS.get(name)
            bases = f"{mixin}, Model" if mixin else "Model"
            doc = (schema.get("description") or name).strip().replace('"""', "'''").replace("\\", "\\\\")
            lines += ["@dataclass(repr=False)", f"class {name}({bases}):", f'    """{doc}"""', ""]
            fields = []
            for json_name, prop in schema["properties"].items():
                annotation, spec = spec_of(prop, schemas)
                py = snake(json_name)
                fields.append((py, json_name, spec))
                lines.append(f"    {py}: {annotation} | None = None")
            lines.append("    _fields: ClassVar[dict] = {")
            for py, json_name, spec in fields:
                lines.append(f"        {py!r}: ({json_name!r}, {spec!r}),")
            lines.append("    }")
            lines.append(f"    _required: ClassVar[tuple] = {tuple(schema.get('required', []))!r}")
            if name in FRAMES and FRAMES[name]:
                lines.append(f"    _frame_of: ClassVar[str] = {snake(FRAMES[name])!r}")
            lines += ["", ""]
        elif "anyOf" in schema:
            unions[name] = [ref_name(s) for s in schema["anyOf"]]
    for name, variants in unions.items():
        lines += [f"{name} = Union[{', '.join(variants)}]", ""]
    lines.append("UNIONS: dict[str, tuple[type, ...]] = {")
    for name, variants in unions.items():
        lines.append(f"    {name!r}: ({', '.join(variants)},),")
    lines += ["}", "", "MODELS: dict[str, type] = {"]
    for name, schema in schemas.items():
        if "properties" in schema:
            lines.append(f"    {name!r}: {name},")
    lines += ["}", ""]
    return "\n".join(lines)


def main() -> int:
    text = generate(json.loads(DOCUMENT.read_text(encoding="utf-8")))
    if "--check" in sys.argv:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            print(f"{TARGET} is stale: run /usr/bin/python3 clients/python/tools/generate.py", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
