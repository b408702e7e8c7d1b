"""Typed errors: every problem+json answer of the API raises a subclass of `ApiError` carrying its fields."""
from __future__ import annotations

from typing import Any


class OrchestratorError(Exception):
    """Base of everything this client raises."""
    exit_code = 1


class TransportError(OrchestratorError):
    """The server could not be reached or did not answer in time (after the retries)."""


class WaitTimeout(OrchestratorError):
    """`wait()` gave up before the condition held; `last` is the last state seen."""
    exit_code = 7

    def __init__(self, message: str, last: Any = None):
        super().__init__(message)
        self.last = last


class RunEnded(OrchestratorError):
    """A run ended in a status other than the one waited for (Failed, Rejected, TimedOut, Cancelled, NotBetter)."""
    exit_code = 8

    def __init__(self, message: str, run: Any = None):
        super().__init__(message)
        self.run = run


class ApiError(OrchestratorError):
    """An error answer of the API. `status`, `title`, `detail`, `type`, `instance` come from the problem+json body;
    `errors` maps a field (a JSON path such as `kpis[0].min`, a column, `rows[1].temp_max`) to its messages;
    `problem` is the whole body (extensions such as `correlationId` included)."""

    def __init__(self, status: int, title: str | None = None, detail: str | None = None, *, type: str | None = None,
                 instance: str | None = None, errors: dict[str, list[str]] | None = None,
                 problem: dict | None = None, method: str | None = None, url: str | None = None,
                 headers: dict | None = None, body: str | None = None):
        self.status = status
        self.title = title
        self.detail = detail
        self.type = type
        self.instance = instance
        self.errors = errors or {}
        self.problem = problem or {}
        self.method = method
        self.url = url
        self.headers = headers or {}
        self.body = body
        super().__init__(self._message())

    @property
    def correlation_id(self) -> str | None:
        return self.problem.get("correlationId") or self.headers.get("x-correlation-id")

    def _message(self) -> str:
        head = f"{self.status} {self.title or ''}".strip()
        if self.detail:
            head += f": {self.detail}"
        if self.errors:
            head += " (" + "; ".join(f"{k}: {' '.join(v)}" for k, v in self.errors.items()) + ")"
        if self.method and self.url:
            head += f" [{self.method} {self.url}]"
        return head


class BadRequest(ApiError):
    """400: the request is malformed or a field is invalid (`errors` names it)."""
    exit_code = 6


class Unauthorized(ApiError):
    """401: no token, or a forged, expired or foreign one."""
    exit_code = 4


class Forbidden(ApiError):
    """403: the caller lacks the permission (or the approval link's token is not valid for this)."""
    exit_code = 4


class NotFound(ApiError):
    """404: no such project, dataset, run, model version, route …"""
    exit_code = 3


class MethodNotAllowed(ApiError):
    """405."""


class Conflict(ApiError):
    """409: the state does not allow it (already decided, nothing to roll back to, no production model …)."""
    exit_code = 5


class PayloadTooLarge(ApiError):
    """413: the body is over the route's limit."""
    exit_code = 6


class UnsupportedMediaType(ApiError):
    """415: no usable content type."""
    exit_code = 6


class UnprocessableEntity(ApiError):
    """422: the data breaks the checks (`errors` by column) or a smoke test failed."""
    exit_code = 6


class TooManyRequests(ApiError):
    """429, still after the retries."""


class ServerError(ApiError):
    """5xx (500 carries a `correlation_id`)."""


class BadGateway(ServerError):
    """502: a dependency (e.g. the mail server) failed."""


class ServiceUnavailable(ServerError):
    """503, still after the retries."""


BY_STATUS: dict[int, type[ApiError]] = {
    400: BadRequest, 401: Unauthorized, 403: Forbidden, 404: NotFound, 405: MethodNotAllowed, 409: Conflict,
    413: PayloadTooLarge, 415: UnsupportedMediaType, 422: UnprocessableEntity, 429: TooManyRequests,
    502: BadGateway, 503: ServiceUnavailable,
}


def error_for(status: int, problem: dict | None, *, method: str, url: str, headers: dict, body: str) -> ApiError:
    cls = BY_STATUS.get(status) or (ServerError if status >= 500 else ApiError)
    problem = problem if isinstance(problem, dict) else {}
    errors = problem.get("errors")
    if not isinstance(errors, dict):
        errors = {}
    errors = {k: (v if isinstance(v, list) else [str(v)]) for k, v in errors.items()}
    status_in_body = problem.get("status")
    return cls(int(status_in_body) if isinstance(status_in_body, int) else status, problem.get("title"),
               problem.get("detail"), type=problem.get("type"), instance=problem.get("instance"), errors=errors,
               problem=problem, method=method, url=url, headers=headers, body=None if problem else body)
