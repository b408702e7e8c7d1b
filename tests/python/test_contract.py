"""The client against its contract, docs/openapi.json: a method per operation, the query parameters as keyword
arguments, and the generated table and dataclasses current. No server needed."""
from __future__ import annotations

import inspect
import json
import keyword
import subprocess
import sys

import pytest

from conftest import CLIENT_DIR, ROOT

import orchestrator_client
from orchestrator_client import Orchestrator, client as client_module
from orchestrator_client._generated import OPERATIONS

DOCUMENT = json.loads((ROOT / "docs" / "openapi.json").read_text(encoding="utf-8"))
DOC_OPERATIONS = {op["operationId"]: (method.upper(), path, op)
                  for path, item in DOCUMENT["paths"].items() for method, op in item.items()
                  if isinstance(op, dict) and "operationId" in op}


def marked_methods() -> dict[str, list]:
    """operationId → the methods marked with it, found on the client and every resource group it has."""
    client = Orchestrator("http://127.0.0.1:1", token="x")
    owners = [client] + [v for v in vars(client).values() if isinstance(v, client_module._Resource)]
    found: dict[str, list] = {}
    for owner in owners:
        for name, member in inspect.getmembers(owner, inspect.ismethod):
            op = getattr(member, "operation_id", None)
            if op:
                found.setdefault(op, []).append(member)
    return found


def python_name(name: str) -> str:
    return name + "_" if keyword.iskeyword(name) else name


def test_every_operation_in_the_document_has_a_client_method():
    missing = sorted(set(DOC_OPERATIONS) - set(marked_methods()))
    assert not missing, f"operations of docs/openapi.json without a client method: {missing}"


def test_every_client_method_names_an_operation_of_the_document():
    unknown = sorted(set(marked_methods()) - set(DOC_OPERATIONS))
    assert not unknown, f"client methods naming operations not in docs/openapi.json: {unknown}"


def test_the_operations_helper_lists_them_all():
    assert set(orchestrator_client.operations()) == set(DOC_OPERATIONS)


@pytest.mark.parametrize("operation_id", sorted(DOC_OPERATIONS))
def test_query_parameters_are_keyword_arguments(operation_id):
    _, _, op = DOC_OPERATIONS[operation_id]
    query = [python_name(p["name"]) for p in op.get("parameters", []) if p["in"] == "query"]
    path = [p["name"] for p in op.get("parameters", []) if p["in"] == "path"]
    for method in marked_methods().get(operation_id, []):
        params = inspect.signature(method).parameters
        lacking = [q for q in query if q not in params or params[q].kind not in
                   (inspect.Parameter.KEYWORD_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
                   or params[q].default is inspect.Parameter.empty]
        assert not lacking, f"{method.__qualname__} lacks optional keyword arguments {lacking} ({operation_id})"
        positional = [p for p in params.values() if p.default is inspect.Parameter.empty
                      and p.kind == inspect.Parameter.POSITIONAL_OR_KEYWORD]
        assert len(positional) >= len(path), \
            f"{method.__qualname__} takes {len(positional)} required arguments for path parameters {path}"


def test_the_generated_operation_table_matches_the_document():
    table = {op: (method, path) for op, (method, path, *_rest) in OPERATIONS.items()}
    assert table == {op: (method, path) for op, (method, path, _) in DOC_OPERATIONS.items()}


def test_the_generated_module_is_current():
    result = subprocess.run([sys.executable, str(CLIENT_DIR / "tools" / "generate.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_marking_an_unknown_operation_fails_at_once():
    with pytest.raises(ValueError, match="NoSuchOperation"):
        client_module.operation("NoSuchOperation")
