"""Load test against a running `lumbo serve`: p50/p99 latency and requests/second.

Three scenarios, each with N concurrent clients (default 50) for a fixed number of requests:

- plan:  GET today's plan page (``--plan-path``, default the HTML page ``/plan`` when the
  server has it, else the API route ``/api/v1/plan``);
- log:   POST an item log (``/api/v1/sessions/{id}/items``), each client on its own session,
  replacing positions 0-99 in turn (so the table stays small and every request writes);
- mixed: every tenth request a log, the others plan reads (90 % / 10 %), interleaved, so
  the reads meet the writes (p50/p99 printed for all requests and for each kind).

The logged items are rated ``--log-rating`` (default ``right``: a plain item in an open
session, which changes no planning decision; ``pain`` makes every log change the plan).

Without ``--rate`` every client sends its next request as soon as the last one is answered
(closed loop): this finds the most requests per second, and latency is then about
clients / throughput by necessity. With ``--rate R`` the clients together send R requests
per second on a fixed schedule (open loop) and latency is counted from the scheduled
moment, so a slow server cannot hide its queue.

Example (use a throwaway database; the script writes a profile and sessions)::

    LUMBO_DATABASE_URL=sqlite:////tmp/lumbo-bench.sqlite3 .venv/bin/lumbo serve --port 8766 &
    .venv/bin/python bench/load.py --base http://127.0.0.1:8766 --clients 50 --requests 5000
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import statistics
import time
from collections.abc import Awaitable, Callable

import httpx

PROFILE = {"pain_now": 3, "pain_worst_week": 5, "duration_weeks": 6, "minutes_per_day": 15}


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))
    return ordered[index]


class Connection:
    """One keep-alive HTTP/1.1 connection with a minimal client: far less CPU per request
    than a full client library, so the load generator leaves the cores to the server."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, body: bytes | None = None, extra: str = "") -> int:
        """Send one request (``extra``: more header lines, each ending in CRLF) and read the answer."""
        if self.writer is None or self.reader is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        head = f"{method} {path} HTTP/1.1\r\nHost: {self.host}\r\n{extra}"
        if body is not None:
            head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        self.writer.write(head.encode() + b"\r\n" + (body or b""))
        headers = await self.reader.readuntil(b"\r\n\r\n")
        status = int(headers.split(b" ", 2)[1])
        length = 0
        for line in headers.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":", 1)[1])
        await self.reader.readexactly(length)
        return status


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def summary(latencies: list[float]) -> str:
    return f"p50={statistics.median(latencies):.1f} ms p99={percentile(latencies, 0.99):.1f} ms"


async def run_scenario(
    name: str,
    connections: list[Connection],
    requests: int,
    make_request: Callable[[Connection, int, int], Awaitable[int]],
    rate: float | None = None,
    kind_of: Callable[[int], str] | None = None,
) -> None:
    latencies: list[float] = []
    by_kind: dict[str, list[float]] = {}
    errors = 0
    load_before = load_average()
    counter = iter(range(requests))
    origin = time.perf_counter()

    async def worker(worker_id: int) -> None:
        nonlocal errors
        for number in counter:
            started = time.perf_counter()
            if rate:
                scheduled = origin + number / rate
                if scheduled > started:
                    await asyncio.sleep(scheduled - started)
                started = scheduled
            status = await make_request(connections[worker_id], worker_id, number)
            latency = (time.perf_counter() - started) * 1000
            latencies.append(latency)
            if kind_of is not None:
                by_kind.setdefault(kind_of(number), []).append(latency)
            if status >= 400:
                errors += 1

    began = time.perf_counter()
    await asyncio.gather(*(worker(n) for n in range(len(connections))))
    elapsed = time.perf_counter() - began
    mode = f"rate={rate:.0f}/s" if rate else "closed-loop"
    print(
        f"{name:5s} {mode} clients={len(connections)} requests={len(latencies)} errors={errors} "
        f"{summary(latencies)} served={len(latencies) / elapsed:.0f} req/s "
        f"(load average {load_before} -> {load_average()})"
    )
    for kind, values in sorted(by_kind.items()):
        print(f"      {kind}: requests={len(values)} {summary(values)}")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8765")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=5000, help="per scenario")
    parser.add_argument("--plan-path", default=None)
    parser.add_argument("--only", choices=["plan", "log", "mixed"], default=None)
    parser.add_argument(
        "--log-rating", choices=["easy", "right", "hard", "pain"], default="right",
        help="rating of the logged items (right: a plain item; pain: every log changes the plan)",
    )
    parser.add_argument("--rate", type=float, default=None, help="requests/second (open loop)")
    args = parser.parse_args()

    limits = httpx.Limits(max_connections=args.clients, max_keepalive_connections=args.clients)
    async with httpx.AsyncClient(base_url=args.base, limits=limits, timeout=30) as client:
        (await client.put("/api/v1/profile", json=PROFILE)).raise_for_status()
        plan = (await client.get("/api/v1/plan")).json()
        item = plan["days"][0]["sessions"][0]["items"][0]
        plan_path = args.plan_path
        if plan_path is None:
            page = await client.get("/plan")
            html = page.status_code == 200 and "text/html" in page.headers.get("content-type", "")
            plan_path = "/plan" if html else "/api/v1/plan"

        sessions: list[str] = []
        first_day = dt.date(2026, 1, 1)
        for number in range(args.clients):
            day = first_day + dt.timedelta(days=number)
            started = await client.post("/api/v1/sessions", json={"date": day.isoformat()})
            started.raise_for_status()
            sessions.append(started.json()["session"]["id"])

        async def get_plan(connection: Connection, worker: int, number: int) -> int:
            return await connection.request("GET", plan_path)

        async def post_item(connection: Connection, worker: int, number: int) -> int:
            body = {
                "exercise": item["exercise"],
                "variation": item["variation"],
                "sets": 1,
                "reps": 8,
                "hold_seconds": 20,
                "rating": args.log_rating,
                "position": number % 100,
            }
            path = f"/api/v1/sessions/{sessions[worker]}/items"
            return await connection.request("POST", path, json.dumps(body).encode())

        address = httpx.URL(args.base)
        connections = [Connection(address.host, address.port or 80) for _ in range(args.clients)]
        print(f"server {args.base}; plan route {plan_path}")
        if args.only in (None, "plan"):
            await run_scenario("plan", connections, args.requests, get_plan, args.rate)
        if args.only in (None, "log"):
            await run_scenario("log", connections, args.requests, post_item, args.rate)

        def mixed_kind(number: int) -> str:
            return "log" if number % 10 == 9 else "plan"

        async def mixed(connection: Connection, worker: int, number: int) -> int:
            if mixed_kind(number) == "log":
                return await post_item(connection, worker, number // 10)
            return await get_plan(connection, worker, number)

        if args.only in (None, "mixed"):
            await run_scenario("mixed", connections, args.requests, mixed, args.rate, mixed_kind)


if __name__ == "__main__":
    asyncio.run(main())
