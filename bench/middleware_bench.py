"""What the security middleware (lumbo.web.security) costs per request, in microseconds.

Runs a trivial ASGI app bare and wrapped in the same stack ``create_app`` installs
(headers, Host check, body limit, cross-site guard) and prints the best of three runs of
N requests for four kinds of request. No server, no database: only the middleware.

    .venv/bin/python bench/middleware_bench.py --requests 20000
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import MutableMapping
from typing import Any

from lumbo.web.security import BodyLimit, CrossSiteGuard, HostCheck, SecurityHeaders

BODY = (
    b'{"exercise": "glute-bridge", "variation": "glute-bridge", "completed": true, '
    b'"reps": 10, "rating": "right", "position": 1}'
)


async def inner(scope: MutableMapping[str, Any], receive: Any, send: Any) -> None:
    if scope["method"] == "POST":
        while (await receive()).get("more_body"):
            pass
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": b"ok"})


def make_scope(path: str, method: str = "GET", cookie: bool = True, body: bool = False) -> dict[str, Any]:
    headers = [(b"host", b"127.0.0.1:8765"), (b"user-agent", b"bench"), (b"accept", b"*/*")]
    if cookie:
        headers.append((b"cookie", b"lumbo_csrf=" + b"A" * 43))
    if body:
        headers += [(b"content-type", b"application/json"), (b"content-length", str(len(BODY)).encode())]
    return {"type": "http", "method": method, "path": path, "headers": headers}


async def per_request(app: Any, scope: dict[str, Any], count: int) -> float:
    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": BODY, "more_body": False}

    async def send(message: Any) -> None:
        return None

    started = time.perf_counter()
    for _ in range(count):
        await app(dict(scope), receive, send)
    return (time.perf_counter() - started) / count * 1e6


async def main(count: int) -> None:
    stack = SecurityHeaders(HostCheck(BodyLimit(CrossSiteGuard(inner, secret=b"s" * 32))))
    cases = [
        ("page, browser with cookie", make_scope("/plan")),
        ("page, client without cookie", make_scope("/plan", cookie=False)),
        ("API read", make_scope("/api/v1/plan")),
        ("API JSON post (item log)", make_scope("/api/v1/sessions/x/items", "POST", body=True)),
    ]
    for label, scope in cases:
        bare = min([await per_request(inner, scope, count) for _ in range(3)])
        full = min([await per_request(stack, scope, count) for _ in range(3)])
        print(f"{label:30s} bare {bare:6.1f} us   with the middleware {full:6.1f} us   (+{full - bare:.1f} us)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20000)
    asyncio.run(main(parser.parse_args().requests))
