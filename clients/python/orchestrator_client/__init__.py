"""Python client of the Orchestrator HTTP API v1 (standard library only; pandas and tqdm used when installed).

    from orchestrator_client import Orchestrator
    client = Orchestrator("http://127.0.0.1:7071", token="…")      # or ORCHESTRATOR_URL / ORCHESTRATOR_TOKEN
    run = client.runs.start("seattle-weather", "weather", wait=True)
    client.trials.leaderboard(run.run_id).to_frame()
"""
__version__ = "0.1.0"

from .client import Orchestrator, Table, operations, parse_approval_link  # noqa: E402
from .errors import (  # noqa: E402
    ApiError, BadGateway, BadRequest, Conflict, Forbidden, MethodNotAllowed, NotFound, OrchestratorError,
    PayloadTooLarge, RunEnded, ServerError, ServiceUnavailable, TooManyRequests, TransportError, Unauthorized,
    UnprocessableEntity, UnsupportedMediaType, WaitTimeout)
from . import _generated as models  # noqa: E402

__all__ = [
    "Orchestrator", "Table", "operations", "parse_approval_link", "models", "ApiError", "BadGateway", "BadRequest",
    "Conflict", "Forbidden", "MethodNotAllowed", "NotFound", "OrchestratorError", "PayloadTooLarge", "RunEnded",
    "ServerError", "ServiceUnavailable", "TooManyRequests", "TransportError", "Unauthorized", "UnprocessableEntity",
    "UnsupportedMediaType", "WaitTimeout",
]
