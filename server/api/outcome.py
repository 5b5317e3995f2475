"""OperationOutcome responses for every error the API returns."""
from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from server.errors import CarnetError

FHIR_JSON = "application/fhir+json"


def operation_outcome(message: str, code: str = "invalid", severity: str = "error",
                      expression: list[str] | None = None) -> dict:
    issue = {"severity": severity, "code": code, "diagnostics": message}
    if expression:
        issue["expression"] = expression
    return {"resourceType": "OperationOutcome", "issue": [issue]}


def outcome_with_issues(message: str, code: str, issues: list[tuple[str, str]]) -> dict:
    """The summary first (what most clients show), then one issue per (path, problem)."""
    outcome = operation_outcome(message, code)
    outcome["issue"] += [
        {"severity": "error", "code": code, "diagnostics": problem, **({"expression": [path]} if path else {})}
        for path, problem in issues
    ]
    return outcome


def outcome_response(status: int, message: str, code: str = "invalid",
                     headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(operation_outcome(message, code), status_code=status,
                        media_type=FHIR_JSON, headers=headers)


_HTTP_CODES = {401: "login", 403: "forbidden", 404: "not-found", 405: "not-supported",
               406: "not-supported", 409: "conflict", 413: "too-costly", 415: "not-supported",
               429: "throttled"}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(CarnetError)
    async def _carnet_error(_request: Request, exc: CarnetError):
        issues = getattr(exc, "issues", None)
        if issues:
            # One issue per problem, each with its FHIRPath, so clients can point at the field.
            return JSONResponse(outcome_with_issues(exc.message, exc.code, issues), status_code=exc.status,
                                media_type=FHIR_JSON, headers=exc.headers)
        return outcome_response(exc.status, exc.message, exc.code, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_request: Request, exc: RequestValidationError):
        messages = []
        for error in exc.errors()[:10]:
            where = ".".join(str(part) for part in error.get("loc", ()) if part != "body")
            messages.append(f"{where}: {error.get('msg')}" if where else str(error.get("msg")))
        return outcome_response(400, "Invalid request: " + "; ".join(messages))

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_request: Request, exc: StarletteHTTPException):
        message = exc.detail if isinstance(exc.detail, str) else "Request refused."
        return outcome_response(exc.status_code, message, _HTTP_CODES.get(exc.status_code, "processing"),
                                getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, _exc: Exception):
        # Never echo internals (they may hold health data); the log has the traceback.
        return outcome_response(500, "The server could not complete this request.", "exception")
