"""Benchmark of the pages as a browser gets them: the daily pages and the report page against
the login page, one request at a time and under 50 users.

    .venv/bin/python benchmarks/bench_pages.py
    .venv/bin/python benchmarks/bench_pages.py --users 50 --seconds 60 --postgres URL

It creates a fresh PostgreSQL database (default `traject_bench_pages`), migrates it and
loads the demo (`seed_demo`), then serves it with gunicorn as production would (DEBUG off,
persistent connections, `--workers`/`--threads`, see README "Production server") on
127.0.0.1 and measures, in one run:

1. **One request alone**: each page `--repeat` times in a row after a warm-up; the median
   and its ratio to the login page (the cheapest page Django serves: a form, no query),
   and the worst ratio of the daily pages (client list, client file, work queue, home).
   Beside it the server's CPU time per request (gunicorn's workers and their PostgreSQL
   backends, from /proc), which other work on the machine hardly changes.
2. **Under load**: `--users` simulated users, each logged in, requesting a mix of the
   daily pages with a think time of 0.5-1.5 s, for `--seconds` seconds (bounded: it stops
   by itself); p50 and p95 per page, and requests per second.

Only 127.0.0.1 is ever contacted. Figures: docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime
import http.cookiejar
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/traject_bench_pages"
TODAY = "2025-06-30"
ASSISTANT = ("assistent", "Leefloon-Traject-2025")
MANAGER = ("manager", "Raadsvraag-Cijfers-25")
REPORT_QUERY = (
    "organisation=mechelen&from=2024-01&to=2024-12&reference_month=2024-12&as_of=2025-06-30"
)
REPORT_QUERY_10Y = (
    "organisation=mechelen&from=2015-01&to=2024-12&reference_month=2024-12&as_of=2025-06-30"
)
# Drawn up today (the real date): never cached (reporting/cache.py), so these measure the
# computation; the queries above are served from the report cache after the first request.
REPORT_QUERY_TODAY = (
    "organisation=mechelen&from=2024-01&to=2024-12&reference_month=2024-12"
    f"&as_of={datetime.datetime.now(ZoneInfo('Europe/Brussels')).date().isoformat()}"
)


# The pages a social assistant opens all day (issue 15: each within 5x the login page).
DAILY_PAGES = ("client list", "client file", "work queue", "home")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        DEBUG="0",
        SECRET_KEY="benchmark-only-secret-key-not-for-production-use-0123456789",
        ALLOWED_HOSTS="127.0.0.1",
        CONN_MAX_AGE="60",
        # Plain HTTP on the loopback: no TLS redirect, cookies without the Secure flag.
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        SECURE_HSTS_SECONDS="0",
        TRAJECT_OTP_REQUIRED="off",
        TRAJECT_ADMIN_OTP_REQUIRED="0",
    )
    return env


def prepare_database(url: str) -> None:
    """A fresh database with the demo organisation."""
    name = urllib.parse.urlparse(url).path.lstrip("/")
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    env = server_env(url) | {"DEBUG": "1"}  # seed_demo is for a demo (DEBUG) database only
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run(
        [*manage, "seed_demo", "--today", TODAY],
        env=env,
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    # Planner statistics, as a production database has them (autovacuum would gather
    # them some minutes later): without them PostgreSQL guesses a handful of clients.
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("ANALYZE")


class Browser:
    """A user's cookie jar on the loopback server."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> tuple[int, bytes, float]:
        started = time.perf_counter()
        try:
            with self.opener.open(self.base + path, timeout=60) as response:
                body = response.read()
                status = response.status
                if "/accounts/login/" in response.geturl() and "/accounts/login/" not in path:
                    status = 302  # sent to the login page: not the page asked for
        except urllib.error.HTTPError as error:
            body, status = error.read(), error.code
        return status, body, time.perf_counter() - started

    def login(self, username: str, password: str) -> None:
        status, body, _ = self.get("/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        assert status == 200 and token, "no login form"
        data = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token.group(1).decode(),
                "username": username,
                "password": password,
            }
        ).encode()
        request = urllib.request.Request(
            self.base + "/accounts/login/",
            data=data,
            headers={"Referer": self.base + "/accounts/login/"},
        )
        with self.opener.open(request, timeout=60) as response:
            response.read()
        status, _, _ = self.get("/clients/" if username == ASSISTANT[0] else "/")
        assert status == 200, f"login of {username} failed ({status})"


def pages(base: str) -> dict[str, tuple[Browser | None, str]]:
    """Page name -> (browser logged in as who may see it, None: anonymous; path)."""
    assistant = Browser(base)
    assistant.login(*ASSISTANT)
    manager = Browser(base)
    manager.login(*MANAGER)
    _, body, _ = assistant.get("/clients/")
    client = re.search(rb'href="/clients/(\d+)/"', body)
    assert client, "no client in the assistant's caseload"
    return {
        "login": (None, "/accounts/login/"),
        "client list": (assistant, "/clients/"),
        "client file": (assistant, f"/clients/{client.group(1).decode()}/"),
        "work queue": (assistant, "/queue/"),
        "home": (assistant, "/"),
        "report page (1 year)": (manager, "/reports/council/?" + REPORT_QUERY),
        "report API (1 year)": (manager, "/api/reports/council/?" + REPORT_QUERY),
        "report page (10 years)": (manager, "/reports/council/?" + REPORT_QUERY_10Y),
        "report API (10 years)": (manager, "/api/reports/council/?" + REPORT_QUERY_10Y),
        "report page (1 y, today)": (manager, "/reports/council/?" + REPORT_QUERY_TODAY),
        "report API (1 y, today)": (manager, "/api/reports/council/?" + REPORT_QUERY_TODAY),
    }


def process_cpu(pids: list[int]) -> dict[int, float]:
    """CPU seconds (user + system) used so far by each of `pids` that is still running
    (Linux /proc; none elsewhere)."""
    used = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        used[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return used


def cpu_between(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds used between two `process_cpu` readings by the processes in both (a
    connection closed in between would otherwise count as negative time)."""
    return sum(after[pid] - before[pid] for pid in after if pid in before)


class ServerCpu:
    """CPU time of the server: gunicorn's workers, and the PostgreSQL backends serving
    them. Unlike the time a request takes, it hardly depends on what else the machine
    runs, so it compares pages (and branches) on a busy machine too."""

    def __init__(self, server_pid: int, url: str) -> None:
        self.server_pid, self.database = server_pid, urllib.parse.urlparse(url).path.lstrip("/")
        self.url = url

    def pids(self) -> tuple[list[int], list[int]]:
        """gunicorn's workers, and the PostgreSQL backends of the benchmark's database (its
        clients' only: not autovacuum, not this query's)."""
        try:
            children = Path(f"/proc/{self.server_pid}/task/{self.server_pid}/children")
            workers = [int(pid) for pid in children.read_text().split()]
        except OSError:
            workers = []
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            rows = conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s"
                " AND backend_type = 'client backend' AND pid <> pg_backend_pid()",
                [self.database],
            ).fetchall()
        return workers, [pid for (pid,) in rows]


def alone(
    base: str, repeat: int, daily_only: bool = False, cpu: ServerCpu | None = None
) -> tuple[dict[str, float], dict[str, tuple[float, float]]]:
    """Per page: the median time of one request, and the server's CPU per request
    (gunicorn's, PostgreSQL's)."""
    results: dict[str, float] = {}
    cpu_per_request: dict[str, tuple[float, float]] = {}
    for name, (browser, path) in pages(base).items():
        if daily_only and name not in ("login", *DAILY_PAGES):
            continue
        browser = browser or Browser(base)
        for _ in range(3):
            browser.get(path)
        workers, backends = cpu.pids() if cpu else ([], [])
        used = process_cpu(workers), process_cpu(backends)
        times = []
        for _ in range(repeat):
            status, _, seconds = browser.get(path)
            assert status == 200, f"{name}: {status}"
            times.append(seconds)
        results[name] = statistics.median(times)
        cpu_per_request[name] = (
            cpu_between(used[0], process_cpu(workers)) / repeat,
            cpu_between(used[1], process_cpu(backends)) / repeat,
        )
    return results, cpu_per_request


def under_load(base: str, users: int, seconds: float) -> tuple[dict[str, list[float]], int]:
    mix = ["client list", "client file", "work queue", "home", "client file", "client list"]
    template = pages(base)
    latencies: dict[str, list[float]] = {name: [] for name in mix}
    errors = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def user(seed: int) -> None:
        rng = random.Random(seed)
        # The assistant's session, shared: 50 logins would measure password hashing.
        browser = template["client list"][0]
        assert browser is not None
        time.sleep(rng.random())
        while time.monotonic() < deadline:
            name = rng.choice(mix)
            status, _, took = browser.get(template[name][1])
            with lock:
                if status == 200:
                    latencies[name].append(took)
                else:
                    errors[0] += 1
            time.sleep(rng.uniform(0.5, 1.5))

    threads = [threading.Thread(target=user, args=(n,)) for n in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 120)
    return latencies, errors[0]


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p * (len(values) - 1))))] if values else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", default=DEFAULT_PG)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--daily-only",
        action="store_true",
        help="only the login and the daily pages (no report pages, which take long)",
    )
    args = parser.parse_args()

    print(f"Preparing {args.postgres} (migrate, seed_demo --today {TODAY})...", flush=True)
    prepare_database(args.postgres)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
            "-k",
            "gthread",
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        env=server_env(args.postgres),
        cwd=ROOT,
    )
    try:
        for _ in range(100):
            try:
                Browser(base).get("/accounts/login/")
                break
            except OSError:
                time.sleep(0.2)
        load = os.getloadavg()[0]
        print(
            f"\ngunicorn: {args.workers} workers x {args.threads} threads; load average {load:.2f}"
        )
        print(
            "\nOne request alone (median of", args.repeat, "; server CPU: gunicorn + PostgreSQL):"
        )
        single, cpu = alone(
            base, args.repeat, args.daily_only, ServerCpu(server.pid, args.postgres)
        )
        login, login_cpu = single["login"], max(cpu["login"][0], 1e-9)
        for name, seconds in single.items():
            app, db = cpu[name]
            print(
                f"  {name:24} {seconds * 1000:8.1f} ms  {seconds / login:6.1f}x login"
                f"   CPU gunicorn {app * 1000:6.1f} ms ({app / login_cpu:4.1f}x)"
                f" PostgreSQL {db * 1000:5.1f} ms"
            )
        worst = max(single[name] / login for name in DAILY_PAGES)
        print(f"  daily pages: at most {worst:.1f}x the login page (target 5x)")
        worst_cpu = max(cpu[name][0] / login_cpu for name in DAILY_PAGES)
        print(f"  daily pages' gunicorn CPU: at most {worst_cpu:.1f}x the login page's")
        for years in () if args.daily_only else ("1 year", "10 years", "1 y, today"):
            page, api = single[f"report page ({years})"], single[f"report API ({years})"]
            print(f"  report page / API ({years}): {page / api:.2f}x")
        print(f"\nUnder {args.users} users for {args.seconds:.0f} s (think time 0.5-1.5 s):")
        latencies, errors = under_load(base, args.users, args.seconds)
        total = sum(len(v) for v in latencies.values())
        for name, values in latencies.items():
            if values:
                print(
                    f"  {name:24} n={len(values):5}  p50 {percentile(values, 0.5) * 1000:7.1f} ms"
                    f"  p95 {percentile(values, 0.95) * 1000:7.1f} ms"
                )
        print(
            f"  {total / args.seconds:.1f} requests/s, {errors} errors; "
            f"load average {os.getloadavg()[0]:.2f}"
        )
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
