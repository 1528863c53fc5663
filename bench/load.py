"""Load test against a running `lumbo serve`: p50/p99 latency and requests/second.

Two scenarios, each with N concurrent clients (default 50) for a fixed number of requests:

- plan: GET today's plan page (``--plan-path``, default the HTML page ``/plan`` when the
  server has it, else the API route ``/api/v1/plan``);
- log:  POST an item log (``/api/v1/sessions/{id}/items``), each client on its own session,
  replacing positions 0-99 in turn (so the table stays small and every request writes).

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
import statistics
import time
from collections.abc import Awaitable, Callable

import httpx

PROFILE = {"pain_now": 3, "pain_worst_week": 5, "duration_weeks": 6, "minutes_per_day": 15}


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))
    return ordered[index]


async def run_scenario(
    name: str,
    clients: int,
    requests: int,
    make_request: Callable[[httpx.AsyncClient, int, int], Awaitable[httpx.Response]],
    client: httpx.AsyncClient,
    rate: float | None = None,
) -> None:
    latencies: list[float] = []
    errors = 0
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
            response = await make_request(client, worker_id, number)
            latencies.append((time.perf_counter() - started) * 1000)
            if response.status_code >= 400:
                errors += 1

    began = time.perf_counter()
    await asyncio.gather(*(worker(n) for n in range(clients)))
    elapsed = time.perf_counter() - began
    mode = f"rate={rate:.0f}/s" if rate else "closed-loop"
    print(
        f"{name:5s} {mode} clients={clients} requests={len(latencies)} errors={errors} "
        f"p50={statistics.median(latencies):.1f} ms p99={percentile(latencies, 0.99):.1f} ms "
        f"served={len(latencies) / elapsed:.0f} req/s"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8765")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=5000, help="per scenario")
    parser.add_argument("--plan-path", default=None)
    parser.add_argument("--only", choices=["plan", "log"], default=None)
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

        async def get_plan(http: httpx.AsyncClient, worker: int, number: int) -> httpx.Response:
            return await http.get(plan_path)

        async def post_item(http: httpx.AsyncClient, worker: int, number: int) -> httpx.Response:
            body = {
                "exercise": item["exercise"],
                "variation": item["variation"],
                "sets": 1,
                "reps": 8,
                "hold_seconds": 20,
                "rating": "right",
                "position": number % 100,
            }
            return await http.post(f"/api/v1/sessions/{sessions[worker]}/items", json=body)

        print(f"server {args.base}; plan route {plan_path}")
        if args.only in (None, "plan"):
            await run_scenario("plan", args.clients, args.requests, get_plan, client, args.rate)
        if args.only in (None, "log"):
            await run_scenario("log", args.clients, args.requests, post_item, client, args.rate)


if __name__ == "__main__":
    asyncio.run(main())
