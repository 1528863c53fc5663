"""The stack's limit: a bare ASGI app that answers every request with the plan page's bytes.

``serve`` runs that app on the same uvicorn, with the same settings, as ``lumbo serve``;
``compare`` starts both (lumbo on a throwaway SQLite file, one worker each unless told
otherwise), fetches the plan page from lumbo, hands its bytes to the bare app, and loads
each in turn (``wrk`` when installed, else the minimal client of ``bench/load.py``),
printing requests/second, the ratio lumbo / bare for each run, the median ratio and the
load averages. The requests carry a form-token cookie, as a browser's do.

Example::

    .venv/bin/python bench/bare_asgi.py compare --runs 3 --seconds 10
    .venv/bin/python bench/bare_asgi.py serve --body /tmp/plan.html --port 8767
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

# The profile of bench/lighthouse.py (a full week): both benches load the same page.
# bench/ is this script's folder, so it is on sys.path.
from lighthouse import PROFILE

BENCH = Path(__file__).resolve().parent
LUMBO = str(Path(sys.executable).with_name("lumbo"))
#: A browser's form-token cookie (any 43 URL-safe characters).
COOKIE = "lumbo_csrf=" + "b" * 43

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]


def bare_app(body: bytes) -> Callable[[Scope, Any, Any], Awaitable[None]]:
    """An ASGI app that answers anything with ``body`` as an HTML page."""
    start = {
        "type": "http.response.start",
        "status": 200,
        "headers": [
            (b"content-type", b"text/html; charset=utf-8"),
            (b"content-length", str(len(body)).encode()),
        ],
    }
    message = {"type": "http.response.body", "body": body}

    async def app(scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while True:
                event = await receive()
                if event["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif event["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        await send(start)
        await send(message)

    return app


def serve(body_file: Path, port: int) -> None:
    import uvicorn

    # The same settings as `lumbo serve` (src/lumbo/cli/serve.py).
    uvicorn.run(
        bare_app(body_file.read_bytes()),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        access_log=False,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_for(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"nothing answered on port {port}")


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and its children so far (Linux; else 0)."""
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(child) for child in children.read_text().split()]
    for each in pids:
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / ticks


def requests_per_second(port: int, seconds: float, connections: int) -> tuple[float, int]:
    """Closed-loop throughput of GET /plan with ``connections`` keep-alive connections,
    and the number of requests answered."""
    url = f"http://127.0.0.1:{port}/plan"
    if shutil.which("wrk"):
        result = subprocess.run(
            ["wrk", "-t1", f"-c{connections}", f"-d{seconds:.0f}s", "-H", f"Cookie: {COOKIE}", url],
            capture_output=True,
            text=True,
            check=True,
        )
        if "Non-2xx" in result.stdout:
            raise SystemExit(f"errors from {url}:\n{result.stdout}")
        found = re.search(r"Requests/sec:\s+([\d.]+)", result.stdout)
        count = re.search(r"(\d+) requests in", result.stdout)
        assert found and count, result.stdout
        return float(found.group(1)), int(count.group(1))
    return asyncio.run(_python_client(port, seconds, connections))


async def _python_client(port: int, seconds: float, connections: int) -> tuple[float, int]:
    sys.path.insert(0, str(BENCH))
    from load import Connection  # the minimal keep-alive client

    done = 0
    deadline = time.perf_counter() + seconds

    async def worker() -> None:
        nonlocal done
        connection = Connection("127.0.0.1", port)
        while time.perf_counter() < deadline:
            status = await connection.request("GET", "/plan", extra=f"Cookie: {COOKIE}\r\n")
            if status != 200:
                raise SystemExit(f"status {status}")
            done += 1

    began = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(connections)))
    return done / (time.perf_counter() - began), done


def compare(runs: int, seconds: float, connections: int, workers: int) -> None:
    import httpx

    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "LUMBO_DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3"}
        lumbo_port, bare_port = free_port(), free_port()
        command = [LUMBO, "serve", "--port", str(lumbo_port), "--workers", str(workers)]
        lumbo = subprocess.Popen(command, env=env)
        bare: subprocess.Popen[bytes] | None = None
        try:
            wait_for(lumbo_port)
            base = f"http://127.0.0.1:{lumbo_port}"
            httpx.put(f"{base}/api/v1/profile", json=PROFILE).raise_for_status()
            page = httpx.get(f"{base}/plan", headers={"Cookie": COOKIE})
            page.raise_for_status()
            body_file = Path(folder) / "plan.html"
            body_file.write_bytes(page.content)
            print(f"plan page: {len(page.content)} bytes; {connections} connections, {seconds:.0f} s a run")
            bare = subprocess.Popen(
                [sys.executable, __file__, "serve", "--body", str(body_file), "--port", str(bare_port)]
            )
            wait_for(bare_port)
            assert bare is not None
            for port in (lumbo_port, bare_port):  # warm up
                requests_per_second(port, 2, connections)
            ratios, cpu_ratios = [], []
            pids = {"lumbo": lumbo.pid, "bare": bare.pid}
            for run in range(runs):
                # Alternate the order, so a drift in the machine's load favours neither.
                order = [("lumbo", lumbo_port), ("bare", bare_port)]
                if run % 2:
                    order.reverse()
                figures, cpu = {}, {}
                for name, port in order:
                    before = load_average()
                    used = cpu_seconds(pids[name])
                    figures[name], answered = requests_per_second(port, seconds, connections)
                    cpu[name] = (cpu_seconds(pids[name]) - used) / max(answered, 1)
                    print(
                        f"run {run + 1} {name:5s} {figures[name]:7.0f} req/s, "
                        f"{cpu[name] * 1e6:5.0f} us server CPU per request (load average {before})"
                    )
                ratio = figures["lumbo"] / figures["bare"]
                ratios.append(ratio)
                # On a shared machine the CPU per request is the steadier figure: the
                # requests/second each would serve on a core of its own is 1 / CPU.
                cpu_ratio = cpu["bare"] / cpu["lumbo"] if cpu["lumbo"] else 0.0
                cpu_ratios.append(cpu_ratio)
                print(f"run {run + 1} lumbo / bare = {ratio:.0%} (by CPU per request {cpu_ratio:.0%})")
            print(
                f"median lumbo / bare = {statistics.median(ratios):.0%} ({', '.join(f'{r:.0%}' for r in ratios)}); "
                f"by CPU per request {statistics.median(cpu_ratios):.0%} ({', '.join(f'{r:.0%}' for r in cpu_ratios)})"
            )
        finally:
            for process in (lumbo, bare):
                if process is not None:
                    process.send_signal(signal.SIGINT)
                    try:
                        process.wait(timeout=15)
                    except subprocess.TimeoutExpired:
                        process.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    serve_parser = commands.add_parser("serve", help="serve the bytes of a file to every request")
    serve_parser.add_argument("--body", type=Path, required=True)
    serve_parser.add_argument("--port", type=int, default=8767)
    compare_parser = commands.add_parser("compare", help="lumbo's cached /plan against the bare app")
    compare_parser.add_argument("--runs", type=int, default=3)
    compare_parser.add_argument("--seconds", type=float, default=10)
    compare_parser.add_argument("--connections", type=int, default=50)
    compare_parser.add_argument("--workers", type=int, default=1, help="lumbo serve --workers")
    args = parser.parse_args()
    if args.command == "serve":
        serve(args.body, args.port)
    else:
        compare(args.runs, args.seconds, args.connections, args.workers)


if __name__ == "__main__":
    main()
