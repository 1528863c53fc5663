"""Cold start of `lumbo plan --json`, as a whole process, against bare Python in the same run.

    .venv/bin/python bench/cold_start.py                 # median of 15 of each, and the ratio
    .venv/bin/python bench/cold_start.py --runs 31 --snapshot off
    .venv/bin/python bench/cold_start.py --source /tmp/old/src   # another source tree (before/after)
    .venv/bin/python bench/cold_start.py --no-bytecode-cache     # compile every module every time

Each round starts `python -c pass` and then `lumbo plan --profile examples/profile.json
--start 2026-11-23 --json` (a fixed profile and day, so every run does the same work), with
the interpreter of this venv. One untimed round first writes the catalogue snapshot and the
bytecode caches, so the figures are the everyday start, not the very first one.

Bytecode: an installed lumbo has its ``.pyc`` files, but with ``PYTHONDONTWRITEBYTECODE``
set (some shells and CI runners set it) an editable install compiles every lumbo module
on every start. So by default the children write and read bytecode under a temporary
``PYTHONPYCACHEPREFIX`` (the source tree is not touched), like an installed package;
``--no-bytecode-cache`` keeps the environment as it is.

Printed: the median wall time of each (and min-max), their ratio, the median CPU time
(user + system, from the child's resource usage: steadier than wall time on a shared
machine), and the load average before and after. A third process, ``from pydantic import
BaseModel`` and nothing else, shows the floor under any command whose models are pydantic
models, with its own ratio to bare Python. Targets (issue 14): median under 200 ms
and at most 8x bare Python.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROFILE = ROOT / "examples" / "profile.json"
START = "2026-11-23"
#: The same thing the installed `lumbo` script does, so --source can point at another tree.
ENTRY = "import sys; sys.argv[0] = 'lumbo'; from lumbo.cli.main import run; sys.exit(run())"


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one whole process; its output is thrown away."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    errors = process.stderr.read() if process.stderr else b""
    if process.stderr:
        process.stderr.close()
    if process.returncode != 0:
        raise SystemExit(f"{command[:3]} failed ({process.returncode}): {errors.decode(errors='replace')}")
    return wall, usage.ru_utime + usage.ru_stime


def summary(label: str, walls: list[float], cpus: list[float]) -> str:
    return (
        f"{label:<24} median {statistics.median(walls) * 1000:6.1f} ms "
        f"(min {min(walls) * 1000:.1f}, max {max(walls) * 1000:.1f}); "
        f"CPU median {statistics.median(cpus) * 1000:.1f} ms"
    )


def load_average() -> str:
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "n/a"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15, help="timed rounds (default 15)")
    parser.add_argument("--profile", type=Path, default=PROFILE, help="the profile JSON to plan")
    parser.add_argument("--snapshot", choices=("on", "off"), default="on", help="the catalogue snapshot")
    parser.add_argument("--source", type=Path, help="run lumbo from this src/ folder instead")
    parser.add_argument(
        "--no-bytecode-cache", action="store_true", help="keep PYTHONDONTWRITEBYTECODE as it is set"
    )
    options = parser.parse_args()

    env = dict(os.environ)
    bytecode = "as the environment says"
    if not options.no_bytecode_cache:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="lumbo-bench-pycache-")
        bytecode = "cached (a temporary PYTHONPYCACHEPREFIX)"
    elif os.environ.get("PYTHONDONTWRITEBYTECODE"):
        bytecode = "not cached (PYTHONDONTWRITEBYTECODE is set: every module is compiled each time)"
    if options.snapshot == "off":
        env["LUMBO_CATALOGUE_SNAPSHOT"] = "off"
    if options.source is not None:
        env["PYTHONPATH"] = str(options.source.resolve())
    bare = [sys.executable, "-c", "pass"]
    # The floor under any command whose models are pydantic models: importing BaseModel.
    pydantic_floor = [sys.executable, "-c", "from pydantic import BaseModel"]
    lumbo = [sys.executable, "-c", ENTRY, "plan", "--profile", str(options.profile), "--start", START, "--json"]

    print(f"python {sys.executable}; lumbo from {options.source or 'the installed package'}; "
          f"snapshot {options.snapshot}; bytecode {bytecode}; {options.runs} rounds")
    print(f"load average before: {load_average()}")
    timed(bare, env)
    timed(lumbo, env)  # untimed: writes the snapshot and the bytecode caches
    commands = {"bare": bare, "pydantic": pydantic_floor, "lumbo": lumbo}
    results: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in commands}
    for _ in range(options.runs):
        for name, command in commands.items():  # interleaved: same conditions
            wall, cpu = timed(command, env)
            results[name][0].append(wall)
            results[name][1].append(cpu)
    print(f"load average after:  {load_average()}")
    print(summary("python -c pass", *results["bare"]))
    print(summary("import pydantic.BaseModel", *results["pydantic"]))
    print(summary("lumbo plan --json", *results["lumbo"]))
    ratio = statistics.median(results["lumbo"][0]) / statistics.median(results["bare"][0])
    floor = statistics.median(results["pydantic"][0]) / statistics.median(results["bare"][0])
    print(f"pydantic's import alone: {floor:.1f}x bare Python")
    cpu_ratio = statistics.median(results["lumbo"][1]) / max(statistics.median(results["bare"][1]), 1e-6)
    print(f"ratio (median wall) {ratio:.1f}x; ratio (median CPU) {cpu_ratio:.1f}x; "
          f"targets: < 200 ms and <= 8x")
    if "PYTHONPYCACHEPREFIX" in env and not options.no_bytecode_cache:
        shutil.rmtree(env["PYTHONPYCACHEPREFIX"], ignore_errors=True)


if __name__ == "__main__":
    main()
