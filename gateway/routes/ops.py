"""Operations endpoints: liveness, readiness and Prometheus metrics."""

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response


async def healthz(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> JSONResponse:
    checks = {"rabbitmq": request.app.state.rpc.ready}
    try:
        await run_in_threadpool(request.app.state.identity.ping)
        checks["mongodb"] = True
    except Exception:
        checks["mongodb"] = False
    ready = all(checks.values())
    body = {"status": "ready" if ready else "unavailable", "checks": checks}
    if not ready:
        body |= {"error": "backend_unavailable", "message": "a backend is not reachable"}
    return JSONResponse(body, status_code=200 if ready else 503)


async def metrics(request: Request) -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
