"""The classroom's web application (Starlette): the pages, their JSON API and the guards around it.

Students: ``/`` (join and play), ``/api/join``, ``/api/me``, ``/api/move`` (and ``/api/plan`` in a
strategy-method round). The teacher: ``/teacher``
(its token travels in the URL's fragment, never to the server's logs, and then in the
``X-Teacher-Token`` header), ``/api/teacher/...``. Every asset is served from the package.
"""

from __future__ import annotations

import json
from importlib import resources

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .guard import COOKIE, RateLimit, same_token, sign, unsign
from .session import Classroom, Refusal
from .views import export_csv, export_json, student_view, teacher_view

MAX_BODY = 4096  # bytes: a move or a nickname is tiny; parameters for a large scenario fit too
TEACHER_ACTIONS = ("start", "pause", "reveal", "next-round", "next-scenario", "params", "options")
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                               "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
STATIC_TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
                ".js": "text/javascript; charset=utf-8", ".svg": "image/svg+xml"}


def _asset(name: str) -> bytes:
    return resources.files("negosim.classroom").joinpath("static", name).read_bytes()


def _refuse(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": code, "message": message}, status, headers=SECURITY_HEADERS)


def _ok(data: object) -> JSONResponse:
    return JSONResponse(data, headers=SECURITY_HEADERS)


async def _body(request: Request) -> object:
    """The request's JSON body, refused when too large, not JSON, or not sent as JSON (which also keeps
    other sites' plain forms out: a cross-site JSON request needs a CORS preflight we never grant)."""
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        raise Refusal(415, "bad_request", "send the request as application/json")
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY):
        raise Refusal(413, "too_large", f"the request is larger than {MAX_BODY} bytes")
    data = b""
    async for chunk in request.stream():
        data += chunk
        if len(data) > MAX_BODY:
            raise Refusal(413, "too_large", f"the request is larger than {MAX_BODY} bytes")
    try:
        return json.loads(data or b"null")
    except (ValueError, UnicodeDecodeError):
        raise Refusal(400, "bad_request", "the request is not valid JSON") from None


async def static(request: Request) -> Response:
    """A file of the package's static folder (only its own names: no paths, no hidden files).

    Parameters
    ----------
    request : starlette.requests.Request
        The request; its path parameter ``name`` names the file.

    Returns
    -------
    starlette.responses.Response
        The file with its media type, or a 404 JSON refusal.

    Examples
    --------
    >>> import asyncio
    >>> from starlette.requests import Request
    >>> response = asyncio.run(static(Request({"type": "http", "path_params": {"name": "style.css"}})))
    >>> response.status_code, response.media_type
    (200, 'text/css; charset=utf-8')
    >>> asyncio.run(static(Request({"type": "http", "path_params": {"name": "../secret.css"}}))).status_code
    404
    """
    name = request.path_params["name"]
    suffix = name[name.rfind("."):] if "." in name else ""
    if "/" in name or name.startswith(".") or suffix not in STATIC_TYPES:
        return _refuse(404, "not_found", "no such file")
    try:
        data = _asset(name)
    except (FileNotFoundError, IsADirectoryError):
        return _refuse(404, "not_found", "no such file")
    return Response(data, media_type=STATIC_TYPES[suffix], headers=SECURITY_HEADERS)


def create_app(room: Classroom, join_url: str = "", *, student_rate: float = 10.0, student_burst: float = 40.0,
               join_rate: float = 5.0, join_burst: float = 300.0) -> Starlette:
    """The Starlette application of a classroom session (rates are requests per second per client).

    Parameters
    ----------
    room : Classroom
        The session the application serves.
    join_url : str
        The students' join URL (encoded in the QR code the teacher's page shows).
    student_rate, student_burst : float
        The rate limit of a student's requests (per second, and at once).
    join_rate, join_burst : float
        The rate limit of joining (per second, and at once).

    Returns
    -------
    starlette.applications.Starlette
        The application: the students' and the teacher's pages, their APIs, the explorer (behind the
        teacher's token) and the static files.

    Examples
    --------
    >>> import tempfile
    >>> from negosim.classroom.session import Classroom
    >>> tmp = tempfile.TemporaryDirectory()
    >>> room = Classroom(["scenarios/prisoners_dilemma.yaml"], tmp.name, seed=1)
    >>> app = create_app(room, "http://192.168.1.5:8000/")
    >>> paths = [route.path for route in app.routes]
    >>> "/api/join" in paths, "/api/move" in paths, "/teacher" in paths, "/explore" in paths
    (True, True, True, True)
    >>> room.store.close(); tmp.cleanup()
    """
    students = RateLimit(student_rate, student_burst)
    joins = RateLimit(join_rate, join_burst)
    teacher = RateLimit(20.0, 60.0)
    secret, token = room.meta["secret"], room.meta["teacher_token"]

    def student_id(request: Request) -> str | None:
        sid = unsign(secret, request.cookies.get(COOKIE))
        return sid if sid in room.students else None

    def guarded(kind: str):
        def wrap(handler):
            async def endpoint(request: Request) -> Response:
                client = request.client.host if request.client else "?"
                try:
                    if kind == "teacher":
                        if not same_token(request.headers.get("x-teacher-token"), token):
                            return _refuse(403, "not_teacher", "only the teacher's page can do this (wrong or "
                                                               "missing teacher token)")
                        if not teacher.allow("teacher"):
                            return _refuse(429, "too_fast", "too many requests; slow down")
                        return await handler(request)
                    if kind == "join":
                        if not joins.allow(client):
                            return _refuse(429, "too_fast", "too many joins from this device; wait a moment")
                        return await handler(request)
                    sid = student_id(request)
                    if sid is None:
                        return _refuse(401, "not_joined", "join with a nickname first")
                    if not students.allow(sid):
                        return _refuse(429, "too_fast", "too many requests; wait a moment")
                    return await handler(request, sid)
                except Refusal as r:
                    return _refuse(r.status, r.code, r.message)
            return endpoint
        return wrap

    @guarded("join")
    async def join(request: Request) -> Response:
        body = await _body(request)
        with room.lock:
            sid = room.join(body.get("nickname") if isinstance(body, dict) else None)
            view = student_view(room, sid)
        response = _ok(view)
        response.set_cookie(COOKIE, sign(secret, sid), max_age=7 * 24 * 3600, httponly=True, samesite="strict")
        return response

    @guarded("student")
    async def me(request: Request, sid: str) -> Response:
        since = request.query_params.get("since")
        with room.lock:
            if since is not None and since == str(room.version):
                return _ok({"unchanged": True, "version": room.version})
            return _ok(student_view(room, sid))

    @guarded("student")
    async def move(request: Request, sid: str) -> Response:
        body = await _body(request)
        with room.lock:
            result = room.move(sid, body)
            return _ok({**result, "view": student_view(room, sid)})

    @guarded("student")
    async def plan(request: Request, sid: str) -> Response:
        body = await _body(request)
        with room.lock:
            result = room.submit_plan(sid, body)
            return _ok({**result, "view": student_view(room, sid)})

    @guarded("teacher")
    async def teacher_state(request: Request) -> Response:
        with room.lock:
            return _ok({**teacher_view(room), "join_url": join_url})

    @guarded("teacher")
    async def teacher_action(request: Request) -> Response:
        action = request.path_params["action"]
        body = await _body(request) if action in ("params", "options") else None
        with room.lock:
            if action == "start":
                room.start()
            elif action == "pause":
                room.pause()
            elif action == "reveal":
                room.reveal()
            elif action == "next-round":
                room.next_round()
            elif action == "next-scenario":
                room.next_scenario()
            elif action == "params":
                room.set_params(body)
            elif action == "options":
                room.set_options(body)
            else:
                raise Refusal(404, "unknown", f"no such action {action!r}")
            return _ok({**teacher_view(room), "join_url": join_url})

    @guarded("teacher")
    async def export(request: Request) -> Response:
        if request.path_params["fmt"] not in ("csv", "json"):
            return _refuse(404, "not_found", "export as export.csv or export.json")
        with room.lock:
            if request.path_params["fmt"] == "csv":
                return Response(export_csv(room), media_type="text/csv; charset=utf-8",
                                headers={**SECURITY_HEADERS,
                                         "Content-Disposition": 'attachment; filename="classroom.csv"'})
            return JSONResponse(export_json(room), headers={
                **SECURITY_HEADERS, "Content-Disposition": 'attachment; filename="classroom.json"'})

    async def page(request: Request) -> Response:
        name = {"/": "student.html", "/teacher": "teacher.html"}[request.url.path]
        return Response(_asset(name), media_type=STATIC_TYPES[".html"], headers=SECURITY_HEADERS)

    async def qr(request: Request) -> Response:
        from .qr import qr_svg

        return Response(qr_svg(join_url or str(request.base_url)), media_type="image/svg+xml",
                        headers=SECURITY_HEADERS)

    from .explore import explore_routes

    routes = [
        *explore_routes(room.sources, token),
        Route("/", page), Route("/teacher", page), Route("/static/{name}", static), Route("/qr.svg", qr),
        Route("/api/join", join, methods=["POST"]), Route("/api/me", me), Route("/api/move", move, methods=["POST"]),
        Route("/api/plan", plan, methods=["POST"]),
        Route("/api/teacher/state", teacher_state),
        Route("/api/teacher/export.{fmt:str}", export),
        Route("/api/teacher/{action:str}", teacher_action, methods=["POST"]),
    ]
    return Starlette(routes=routes)


def create_explorer_app(sources: list) -> Starlette:
    """The explorer alone (`negosim explore`): open to anyone who can reach it, nothing to protect.

    Parameters
    ----------
    sources : list of negosim.api.Source
        The scenarios the explorer offers.

    Returns
    -------
    starlette.applications.Starlette
        The explorer's page and API, ``/`` (a redirect to the page) and the static files.

    Examples
    --------
    >>> from negosim.api import open_source
    >>> app = create_explorer_app([open_source("scenarios/entry_deterrence.yaml")])
    >>> [route.path for route in app.routes]
    ['/explore', '/api/explore/info', '/api/explore/solve', '/api/explore/map', '/', '/static/{name}']
    """
    from .explore import explore_routes

    async def home(request: Request) -> Response:
        from starlette.responses import RedirectResponse

        return RedirectResponse("/explore")

    return Starlette(routes=[*explore_routes(sources), Route("/", home), Route("/static/{name}", static)])


__all__ = ["create_app", "create_explorer_app", "MAX_BODY", "static"]
