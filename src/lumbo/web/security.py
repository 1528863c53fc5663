"""The protections every route gets without asking: ASGI middleware built by ``create_app``.

From the outside in::

    FastAnswers       a GET that a fast path answers whole (the cached plan page) from a
                      browser that has its token cookie, on an allowed Host, without a
                      body: answered at once with the same headers the layers below would
                      give; anything else goes on to them. It stands in front of the
                      framework itself (``front_door``), not among its middleware
    SecurityHeaders   CSP, nosniff, frame-ancestors, Referrer-Policy, Permissions-Policy,
                      Cache-Control: no-store on everything but static files and figures
    HostCheck         only 127.0.0.1, localhost, [::1] and LUMBO_ALLOWED_HOSTS are answered
                      (400 before routing): a DNS-rebinding page cannot read the API
    BodyLimit         bodies over the limit get 413 before they are read whole
    CrossSiteGuard    unsafe methods (POST, PUT, PATCH, DELETE) from another site get 403
                      (Origin, Sec-Fetch-Site); HTML routes also need the per-browser token
                      (hidden field ``csrf_token`` or header ``X-CSRF-Token``); API routes
                      need a JSON body (415 otherwise), which a plain cross-site form cannot send

The token: each browser gets a random cookie (``lumbo_csrf``, HttpOnly, SameSite=Strict);
pages put HMAC(secret, cookie) in their forms. Another local program can plant a cookie
(cookies are shared across ports) but cannot compute the HMAC without the app's secret,
so a planted cookie only makes the forms fail, never succeed. The threat model is in
docs/security.md.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from collections.abc import Awaitable, Callable, Iterable, Mapping, MutableMapping
from html import escape
from typing import Any
from urllib.parse import parse_qs, urlsplit

from lumbo.config import LOCAL_HOSTS

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

API_PREFIX = "/api/"
CSRF_COOKIE = "lumbo_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: Request bodies: 1 MB for forms and the API, 20 MB for an import document.
DEFAULT_BODY_LIMIT = 1024 * 1024
IMPORT_BODY_LIMIT = 20 * 1024 * 1024
IMPORT_PATH = "/api/v1/import"
#: Paths whose answers hold no personal data and may be cached by the browser.
CACHEABLE_PREFIXES = ("/static/", "/figures/")
_COOKIE_VALUE = re.compile(r"[A-Za-z0-9_-]{43}")

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        # The camera coach's pose model is WebAssembly; compiling it needs 'wasm-unsafe-eval',
        # which allows wasm only, never string eval of scripts.
        "script-src 'self' 'wasm-unsafe-eval'",
        # Figures animate with a <style> inside the SVG and charts carry a style attribute;
        # styles cannot run code, scripts stay strict.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# The player uses the screen wake lock, (on request) full screen and, for the camera coach
# (opt-in), the camera of this origin only; nothing else.
PERMISSIONS_POLICY = (
    "camera=(self), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), "
    "accelerometer=(), gyroscope=(), magnetometer=(), "
    "screen-wake-lock=(self), fullscreen=(self)"
)
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"permissions-policy", PERMISSIONS_POLICY.encode()),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
)


# ---- small helpers ----------------------------------------------------------------------


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return str(value.decode("latin-1"))
    return None


def _content_type(scope: Scope) -> str:
    """The media type of the body, without parameters: ``application/json``."""
    return (_header(scope, b"content-type") or "").split(";")[0].strip().lower()


def host_name(host_header: str) -> str:
    """The name part of a Host header: ``127.0.0.1:8765`` -> ``127.0.0.1``, ``[::1]:80`` -> ``::1``."""
    host = host_header.strip().lower()
    if host.startswith("["):
        end = host.find("]")
        return host[1:end] if end > 0 else ""
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _is_html_request(scope: Scope) -> bool:
    return not str(scope.get("path", "")).startswith(API_PREFIX)


async def _send_simple(send: Send, status: int, scope: Scope, title: str, text: str) -> None:
    """A plain answer: JSON ``{"detail": text}`` for the API, a small HTML page otherwise."""
    if _is_html_request(scope):
        body = (
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{escape(title)} · lumbo</title><link rel=\"stylesheet\" href=\"/static/lumbo.css\">"
            f"</head><body><main class=\"wrap\"><h1>{escape(title)}</h1><p>{escape(text)}</p>"
            "<p><a href=\"/\">Back to lumbo</a></p></main></body></html>"
        ).encode()
        content_type = b"text/html; charset=utf-8"
    else:
        body = json.dumps({"detail": text}).encode()
        content_type = b"application/json"
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", content_type), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


# ---- headers ----------------------------------------------------------------------------


class SecurityHeaders:
    """Adds the security headers to every response, and ``no-store`` where data may be personal."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cacheable = str(scope.get("path", "")).startswith(CACHEABLE_PREFIXES)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (key, value)
                    for key, value in message.get("headers", [])
                    if key.lower() not in _REPLACED_HEADERS or (cacheable and key.lower() == b"cache-control")
                ]
                headers.extend(SECURITY_HEADERS)
                if not cacheable:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


_REPLACED_HEADERS = frozenset({name for name, _ in SECURITY_HEADERS} | {b"cache-control"})


# ---- Host check -------------------------------------------------------------------------


class HostCheck:
    """Answers only requests whose Host names this machine (or a configured name): 400 otherwise."""

    def __init__(self, app: ASGIApp, allowed_hosts: Iterable[str] = ()) -> None:
        self.app = app
        self.allowed = frozenset(LOCAL_HOSTS) | {host_name(name) for name in allowed_hosts}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        host = _header(scope, b"host")
        if host is None or host_name(host) not in self.allowed:
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1008})
                return
            await _send_simple(
                send,
                400,
                scope,
                "Unknown address",
                "lumbo answers only on this computer's own address (127.0.0.1 or localhost). "
                "To use another name, add it to LUMBO_ALLOWED_HOSTS.",
            )
            return
        await self.app(scope, receive, send)


# ---- body limit -------------------------------------------------------------------------


class _TooLarge(Exception):
    pass


def body_limit_for(path: str) -> int:
    return IMPORT_BODY_LIMIT if path == IMPORT_PATH else DEFAULT_BODY_LIMIT


class BodyLimit:
    """413 for a body over the limit: at once by Content-Length, else as soon as it streams past it."""

    def __init__(self, app: ASGIApp, limit_for: Callable[[str], int] = body_limit_for) -> None:
        self.app = app
        self.limit_for = limit_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(str(scope.get("path", "")))
        text = (
            f"The request is larger than lumbo accepts here ({limit // (1024 * 1024)} MB at most); "
            "nothing was saved."
        )
        length = _header(scope, b"content-length")
        if length is not None:
            if not length.strip().isdigit():
                await _send_simple(send, 400, scope, "Bad request", "The Content-Length header is not a number.")
                return
            if int(length) > limit:
                await _send_simple(send, 413, scope, "Too large", text)
                return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _TooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _TooLarge:
            if not started:
                await _send_simple(send, 413, scope, "Too large", text)


# ---- cross-site requests ----------------------------------------------------------------


def csrf_token_for(secret: bytes, cookie_value: str) -> str:
    """The form token that goes with a browser's cookie."""
    return hmac.new(secret, cookie_value.encode(), hashlib.sha256).hexdigest()


async def _read_body(receive: Receive) -> tuple[bytes, list[Message]]:
    chunks: list[bytes] = []
    messages: list[Message] = []
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks), messages


def _replay(messages: list[Message], receive: Receive) -> Receive:
    pending = list(messages)

    async def replay() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replay


async def _form_token(scope: Scope, body: bytes) -> str | None:
    content_type = _content_type(scope)
    if content_type == "application/x-www-form-urlencoded":
        values = parse_qs(body.decode("latin-1"), keep_blank_values=True).get(CSRF_FIELD, [])
        return values[0] if values else None
    if content_type == "multipart/form-data":
        from starlette.requests import Request

        async def once() -> Message:
            return {"type": "http.request", "body": body, "more_body": False}

        try:
            form = await Request(scope, once).form()
        except Exception:  # a malformed multipart body carries no token
            return None
        value = form.get(CSRF_FIELD)
        return value if isinstance(value, str) else None
    return None


def _json_problem(body: bytes) -> str | None:
    """Why a JSON body is refused at the edge (duplicate keys, NUL, huge numbers, deep nesting)."""
    from lumbo.domain.bounds import StrictJsonError, loads_strict

    if not body.strip():
        return None  # FastAPI answers a missing body itself
    try:
        loads_strict(body)
    except StrictJsonError as error:
        return f"the JSON body is refused: {error}"
    except ValueError:
        return None  # not JSON at all: FastAPI's own 422 names the position
    return None


def _cookie_value(raw: str) -> str | None:
    """The browser's token cookie in a Cookie header, or None when it has no valid one."""
    for part in raw.split(";"):
        name, _, value = part.strip().partition("=")
        if name == CSRF_COOKIE and _COOKIE_VALUE.fullmatch(value):
            return value
    return None


class CrossSiteGuard:
    """Refuses state changes that another website (or a stale page) could have sent."""

    REFUSED_TITLE = "Not sent from lumbo"
    REFUSED_TEXT = (
        "Nothing was changed: this request did not come from one of lumbo's own pages, "
        "so another website may have tried to send it. If it was you, go back, reload the "
        "page and send it again."
    )

    def __init__(self, app: ASGIApp, secret: bytes) -> None:
        self.app = app
        self.secret = secret

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cookie = self._cookie(scope)
        fresh_cookie = cookie is None
        if cookie is None:
            cookie = secrets.token_urlsafe(32)
        token = csrf_token_for(self.secret, cookie)
        scope.setdefault("state", {})["csrf_token"] = token

        if scope.get("method") in UNSAFE_METHODS:
            if not self._same_origin(scope):
                await self._refuse(send, scope)
                return
            if not _is_html_request(scope):
                if not self._json_or_no_body(scope):
                    await _send_simple(
                        send, 415, scope, "Unsupported", "send the body as JSON (Content-Type: application/json)"
                    )
                    return
            else:
                body, messages = await _read_body(receive)
                sent = _header(scope, CSRF_HEADER.encode()) or await _form_token(scope, body)
                if fresh_cookie or not sent or not hmac.compare_digest(sent, token):
                    await self._refuse(send, scope)
                    return
                if b"\x00" in body or b"%00" in body:
                    await _send_simple(
                        send, 400, scope, "Not sent",
                        "The form held a NUL character, which lumbo does not accept; nothing was saved. "
                        "Go back and send it again.",
                    )
                    return
                receive = _replay(messages, receive)
            if not _is_html_request(scope) and _content_type(scope) == "application/json":
                body, messages = await _read_body(receive)
                problem = _json_problem(body)
                if problem is not None:
                    await _send_simple(send, 422, scope, "Not valid", problem)
                    return
                receive = _replay(messages, receive)

        if not fresh_cookie or not _is_html_request(scope):
            await self.app(scope, receive, send)
            return

        set_cookie = (
            f"{CSRF_COOKIE}={cookie}; Path=/; HttpOnly; SameSite=Strict".encode()
        )

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (b"set-cookie", set_cookie)]
            await send(message)

        await self.app(scope, receive, send_with_cookie)

    @staticmethod
    def _cookie(scope: Scope) -> str | None:
        raw = _header(scope, b"cookie")
        return _cookie_value(raw) if raw else None

    @staticmethod
    def _same_origin(scope: Scope) -> bool:
        fetch_site = _header(scope, b"sec-fetch-site")
        if fetch_site is not None and fetch_site.strip().lower() not in ("same-origin", "none"):
            return False
        origin = _header(scope, b"origin")
        if origin is None:
            return True  # not a browser, or an old one: the token still guards the forms
        if origin.strip() == "null":
            # Browsers send "null" for lumbo's own form posts, because its pages ask for
            # Referrer-Policy: no-referrer; then only the browser's own word counts.
            return fetch_site is not None and fetch_site.strip().lower() == "same-origin"
        parts = urlsplit(origin.strip())
        host = _header(scope, b"host") or ""
        return parts.scheme in ("http", "https") and parts.netloc.lower() == host.strip().lower()

    @staticmethod
    def _json_or_no_body(scope: Scope) -> bool:
        """What the API accepts: a JSON body, or no body at all."""
        content_type = _content_type(scope)
        if content_type == "application/json":
            return True
        length = _header(scope, b"content-length")
        has_body = _header(scope, b"transfer-encoding") is not None or (length not in (None, "0"))
        return content_type == "" and not has_body

    async def _refuse(self, send: Send, scope: Scope) -> None:
        text = (
            "the request came from another site or without lumbo's own headers; nothing was changed"
            if not _is_html_request(scope)
            else self.REFUSED_TEXT
        )
        await _send_simple(send, 403, scope, self.REFUSED_TITLE, text)


def secret_for(database_url: str, configured: str | None) -> bytes:
    """The key behind the form tokens.

    ``LUMBO_SECRET_KEY`` when set (a clinic running several processes sets it); otherwise,
    for a SQLite file, a random key kept beside the database (``lumbo-secret.key``, owner
    only), so forms open in a tab stay valid when lumbo restarts; otherwise a random key
    for this process.
    """
    import os
    from pathlib import Path

    if configured:
        return configured.encode()
    prefix = "sqlite:///"
    path_text = database_url.split("?", 1)[0].removeprefix(prefix) if database_url.startswith(prefix) else ""
    if not path_text or path_text == ":memory:":
        return secrets.token_bytes(32)
    key_file = Path(path_text).parent / "lumbo-secret.key"
    try:
        return bytes.fromhex(key_file.read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        pass
    key = secrets.token_bytes(32)
    try:
        key_file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # Written whole under a temporary name, then linked into place: a second process
        # starting at the same moment either wins or reads the winner's key.
        temporary = key_file.with_name(f".{key_file.name}.{secrets.token_hex(4)}")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(key.hex())
        try:
            os.link(temporary, key_file)
        except FileExistsError:
            key = bytes.fromhex(key_file.read_text(encoding="ascii").strip())
        finally:
            temporary.unlink(missing_ok=True)
    except (OSError, ValueError):
        pass  # a read-only folder: the key lives as long as this process
    return key


#: A fast path: (the Cookie header, this browser's form token) -> the whole 200 HTML body,
#: or None to let the request take the usual way.
FastAnswer = Callable[[bytes, bytes], "bytes | None"]
#: What the layers below FastAnswers add to an HTML answer of a GET that is not a static
#: file (SecurityHeaders); the Content-Length comes first, as PlanPageHits sends it.
_FAST_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-type", b"text/html; charset=utf-8"),
    *SECURITY_HEADERS,
    (b"cache-control", b"no-store"),
)
#: Bounds of FastAnswers' memo tables (cleared when full): one client cannot fill memory.
_MEMO_SIZE = 256
_MEMO_KEY_BYTES = 4096


class FastAnswers:
    """Answers a GET whose path has a fast path (``answers``) before the other protections,
    when they would all let it through unchanged: an allowed Host, no body (no
    Content-Length or Transfer-Encoding) and a valid token cookie (a browser without one
    takes the usual way, which sets it). The answer carries exactly the headers the usual
    way adds. The Host verdict and the form token for a Cookie header are memoised (both
    depend on nothing else), so a hit parses no cookie and computes no HMAC."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        secret: bytes,
        allowed_hosts: Iterable[str] = (),
        answers: Mapping[str, FastAnswer],
    ) -> None:
        self.app = app
        self.secret = secret
        self.allowed = frozenset(LOCAL_HOSTS) | {host_name(name) for name in allowed_hosts}
        self.answers = dict(answers)
        self._hosts: dict[bytes, bool] = {}
        self._tokens: dict[bytes, bytes | None] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET":
            answer = self.answers.get(scope["path"])
            body = None
            if answer is not None:
                try:
                    body = self._answer(scope, answer)
                except Exception:  # e.g. the database busy: the usual way answers (or explains)
                    body = None
            if body is not None:
                await send(
                    {
                        "type": "http.response.start",
                        "status": 200,
                        "headers": [(b"content-length", str(len(body)).encode()), *_FAST_HEADERS],
                    }
                )
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)

    def _answer(self, scope: Scope, answer: FastAnswer) -> bytes | None:
        host: bytes | None = None
        cookie: bytes | None = None
        for name, value in scope["headers"]:
            if name == b"host":
                if host is None:
                    host = value
            elif name == b"cookie":
                if cookie is None:
                    cookie = value
            elif name == b"content-length" or name == b"transfer-encoding":
                return None  # BodyLimit's to judge
        if host is None or not cookie:
            return None
        allowed = self._hosts.get(host)
        if allowed is None:
            allowed = host_name(host.decode("latin-1")) in self.allowed
            self._remember(self._hosts, host, allowed)
        if not allowed:
            return None
        if cookie in self._tokens:
            token = self._tokens[cookie]
        else:
            value = _cookie_value(cookie.decode("latin-1"))
            token = None if value is None else csrf_token_for(self.secret, value).encode()
            self._remember(self._tokens, cookie, token)
        if token is None:
            return None  # no token cookie yet: CrossSiteGuard sets one
        return answer(cookie, token)

    @staticmethod
    def _remember(memo: dict[bytes, Any], key: bytes, value: Any) -> None:
        if len(key) > _MEMO_KEY_BYTES:
            return
        if len(memo) >= _MEMO_SIZE:
            memo.clear()
        memo[key] = value


def install(app: Any, *, secret: bytes, allowed_hosts: Iterable[str] = ()) -> None:
    """Wrap ``app`` (a Starlette/FastAPI app) in every protection, outermost last."""
    app.add_middleware(CrossSiteGuard, secret=secret)
    app.add_middleware(BodyLimit)
    app.add_middleware(HostCheck, allowed_hosts=tuple(allowed_hosts))
    app.add_middleware(SecurityHeaders)


def front_door(
    framework: ASGIApp,
    *,
    secret: bytes,
    allowed_hosts: Iterable[str] = (),
    fast_answers: Mapping[str, FastAnswer],
) -> FastAnswers:
    """FastAnswers in front of the whole framework (``framework``: the app with the
    protections ``install`` added): a hit skips even the framework's own outer layers
    (its error page, body limit and telemetry wrappers), which would pass it unchanged;
    everything else, and any error in a fast path, goes to ``framework``."""
    return FastAnswers(
        framework, secret=secret, allowed_hosts=tuple(allowed_hosts), answers=fast_answers
    )
