"""Driver of `make bench` (run by benchmarks/run_bench.sh, which prepares the database and the environment).

Starts gunicorn twice on 127.0.0.1 (page cache off at 1 connection, then as deployed at 8
connections), runs wrk for a bounded time against each page, and writes the Markdown report
in benchmarks/results/bench.md, with page weights, static file headers, admin timings, the
machine, and the query plans in benchmarks/results/plans.txt.
"""

import gzip
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusters_site.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402

from directory.models import Cluster, Organisation, Region, Sector  # noqa: E402
from directory.search import pertinence_ordering  # noqa: E402
from directory.views.members import search_organisations  # noqa: E402

DURATION = int(os.environ.get("BENCH_DURATION", "5"))
BUDGET_P50_MS, BUDGET_P95_MS = 25, 50
WARM_UP_REQUESTS = 10
WEIGHT_BUDGET_KB = {"home": 150, "search": 150, "cluster": 150, "map": 300}


def free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pages():
    """The benchmarked URLs, chosen from the data (largest cluster, a region with a sector, members)."""
    largest = (
        Cluster.objects.published().annotate(n=Count("memberships")).order_by("-n", "pk").values("slug", "n").first()
    )
    region = Region.objects.annotate(n=Count("clusters_headquartered")).order_by("-n", "pk").first()
    sector = (
        Sector.objects.filter(clusters__region=region, clusters__status="published")
        .annotate(n=Count("clusters"))
        .order_by("-n", "pk")
        .first()
    )
    member = Organisation.objects.public().filter(is_demo=True).exclude(siren="").order_by("pk").first()
    urls = [
        ("/healthz", "/healthz"),
        ("home", "/"),
        ("search: no filter", "/clusters/"),
        ("search: q=cosmetique", "/clusters/?q=cosmetique"),
        ("search: region + sector", f"/clusters/?region={region.slug}&secteur={sector.slug}"),
        ("search: page 15", "/clusters/?page=15"),
        (f"cluster: largest ({largest['n']} members)", f"/clusters/{largest['slug']}/"),
        ("region page", f"/regions/{region.slug}/"),
        ("members: by name", "/membres/?q=" + urllib.parse.quote(member.name)),
        ("members: by SIREN", f"/membres/?q={member.siren}"),
        ("map data: every cluster", "/carte/clusters.geojson"),
    ]
    return urls, largest, member


def start_server(port, extra_env):
    env = {**os.environ, **extra_env}
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "clusters_site.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--no-control-socket",
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(Path(os.environ.get("BENCH_WORK", "/tmp")) / f"gunicorn-{port}.log", "w"),
    )
    for _ in range(150):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("gunicorn did not answer /healthz")


def fetch(url, headers=None):
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip", **(headers or {})})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, dict(response.headers), response.read()


def wrk(url, connections):
    output = subprocess.run(
        [
            "wrk",
            "-t",
            str(min(connections, 2)),
            "-c",
            str(connections),
            "-d",
            f"{DURATION}s",
            "--timeout",
            "10s",
            "-H",
            "Accept-Encoding: gzip",
            "-s",
            str(ROOT / "benchmarks/report.lua"),
            url,
        ],
        capture_output=True,
        text=True,
        timeout=DURATION + 60,
        check=True,
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH "))
    figures = json.loads(line[len("BENCH ") :])
    figures["rps"] = figures["requests"] / (figures["duration_us"] / 1e6)
    return figures


def run(label, connections, extra_env, urls):
    port = free_port()
    server = start_server(port, extra_env)
    rows = []
    try:
        for name, path in urls:
            url = f"http://127.0.0.1:{port}{path}"
            status, _headers, _body = fetch(url)  # checks the page answers
            # Warms both workers (compiled templates, the page's code paths): the figures are the
            # steady state, not a worker's first requests, which would land in a 5-second p95.
            for _ in range(WARM_UP_REQUESTS):
                fetch(url)
            figures = wrk(url, connections)
            figures.update(name=name, path=path, status=status)
            rows.append(figures)
            print(f"bench [{label}] {name}: {figures['rps']:.0f} req/s, p50 {figures['p50'] / 1000:.1f} ms", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return rows


def weights_and_headers(port_env, largest_slug):
    """Bytes transferred (gzip) for each page and the CSS/JS it links, and static headers."""
    port = free_port()
    server = start_server(port, port_env)
    base = f"http://127.0.0.1:{port}"
    weights, static_headers = {}, {}
    try:
        for key, path in [
            ("home", "/"),
            ("search", "/clusters/"),
            ("cluster", f"/clusters/{largest_slug}/"),
            ("map", "/carte/"),
        ]:
            _status, headers, body = fetch(base + path)
            html = gzip.decompress(body).decode() if headers.get("Content-Encoding") == "gzip" else body.decode()
            total = len(body)
            assets = re.findall(r'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src)="([^"]+)"', html)
            for asset in sorted(set(assets)):
                if asset.startswith("/"):
                    _s, asset_headers, asset_body = fetch(base + asset)
                    total += len(asset_body)
                    static_headers.setdefault(
                        asset,
                        {k: asset_headers.get(k, "") for k in ("Content-Encoding", "Cache-Control")},
                    )
            if key == "map":
                _s, _h, geojson = fetch(base + "/carte/clusters.geojson")
                total += len(geojson)
            weights[key] = {
                "html": len(body),
                "html_encoding": headers.get("Content-Encoding", "none"),
                "total": total,
                "assets": len(set(assets)),
            }
        admin = admin_timings(base, largest_slug)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return weights, static_headers, admin


def admin_timings(base, largest_slug):
    """A staff session against gunicorn: the organisation list and the largest cluster's form."""
    user, _created = get_user_model().objects.get_or_create(
        username="bench-staff", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    cluster = Cluster.objects.get(slug=largest_slug)
    timings = {}
    for name, path in [
        ("organisation list (80,000+ rows)", "/admin/directory/organisation/"),
        ("organisation search by name", "/admin/directory/organisation/?q=Lumi%C3%A8re"),
        ("largest cluster's change form", f"/admin/directory/cluster/{cluster.pk}/change/"),
        ("cluster list", "/admin/directory/cluster/"),
        ("membership list", "/admin/directory/membership/"),
    ]:
        durations = []
        for _ in range(6):
            started = time.perf_counter()
            status, _headers, _body = fetch(base + path, {"Cookie": cookie})
            durations.append(time.perf_counter() - started)
        timings[name] = {"status": status, "median_ms": statistics.median(durations[1:]) * 1000}
    return timings


def explain_plans(member):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    by_name = search_organisations(member.name).select_related("department").order_by("name", "pk")[:20]
    by_siren = search_organisations(member.siren).select_related("department").order_by("name", "pk")[:20]
    clusters = Cluster.objects.published().search("cosmetique").order_by(*pertinence_ordering())[:20]
    sections = [
        (f"Member search by name ({member.name!r}), first page", by_name),
        (f"Member search by SIREN ({member.siren}), first page", by_siren),
        ("Cluster full-text search q=cosmetique, first page", clusters),
    ]
    text = []
    for title, queryset in sections:
        text += [f"== {title}", str(queryset.query), "", queryset.explain(analyze=True, buffers=True), ""]
    (RESULTS / "plans.txt").write_text("\n".join(text))


def machine():
    def sh(command):
        return subprocess.run(command, shell=True, capture_output=True, text=True).stdout.strip()

    cpu = sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2")
    memory = sh("free -h").splitlines()[1].split()
    load = sh("cut -d' ' -f1-3 /proc/loadavg")
    versions = [
        f"{platform.platform()}",
        f"Python {platform.python_version()}",
        f"Django {django.get_version()}",
        sh("/usr/lib/postgresql/15/bin/postgres --version"),
        sh("wrk --version 2>&1 | head -1").split(" [")[0],
        sh(f"{ROOT / '.venv/bin/gunicorn'} --version"),
    ]
    return [
        f"- CPU: {cpu} — `nproc` = {sh('nproc')}",
        f"- Memory (`free -h`): total {memory[1]}, used {memory[2]}",
        f"- Load average at the end (other engineers' test suites share this machine): {load}",
        "- " + ", ".join(versions),
    ]


def table(rows, floor_rps=None, budget=False):
    lines = [
        "| page | URL | req/s | p50 ms | p95 ms | p99 ms | errors | verdict |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        p50, p95, p99 = row["p50"] / 1000, row["p95"] / 1000, row["p99"] / 1000
        errors = row["errors"] + row["non2xx"]
        if budget:
            verdict = "ok" if p50 < BUDGET_P50_MS and p95 < BUDGET_P95_MS else "**over budget**"
        else:
            verdict = "ok" if not errors else "**errors**"
            if floor_rps and row["path"] != "/healthz" and row["rps"] < floor_rps / 2:
                verdict += " — under half of /healthz"
        path = row["path"] if len(row["path"]) < 60 else row["path"][:57] + "…"
        lines.append(
            f"| {row['name']} | `{path}` | {row['rps']:.0f} | {p50:.1f} | {p95:.1f} | {p99:.1f} | {errors} | {verdict} |"
        )
    return lines


def main():
    RESULTS.mkdir(parents=True, exist_ok=True)
    urls, largest, member = pages()
    explain_plans(member)
    counts = {
        "published clusters": Cluster.objects.published().count(),
        "organisations": Organisation.objects.count(),
        "memberships": Cluster.memberships.rel.related_model.objects.count(),
    }
    cold = run("cache off, 1 connection", 1, {"DJANGO_PAGE_CACHE": "false"}, urls)
    deployed = run("as deployed, 8 connections", 8, {}, urls)
    weights, static_headers, admin = weights_and_headers({}, largest["slug"])
    floor = next(row["rps"] for row in deployed if row["path"] == "/healthz")

    report = [
        "# `make bench`: the public site at national scale",
        "",
        f"Generated {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} by `make bench` "
        f"(benchmarks/run_bench.sh). Data: the seed plus `generate_demo_data --clusters 400 --members 80000 "
        f"--seed {os.environ.get('BENCH_SEED', '2026')}` — "
        + ", ".join(f"{value:,} {name}" for name, value in counts.items())
        + f". gunicorn, 2 workers, DEBUG off, PostgreSQL 15 on loopback; wrk for {DURATION} s a URL.",
        "",
        "## Machine",
        "",
        *machine(),
        "",
        f"## Page cache off, 1 connection (budget: p50 < {BUDGET_P50_MS} ms, p95 < {BUDGET_P95_MS} ms)",
        "",
        *table(cold, budget=True),
        "",
        "## As deployed, 8 connections (budget: no errors; search and cluster pages ≥ half of /healthz)",
        "",
        *table(deployed, floor_rps=floor),
        "",
        "## Page weights (bytes transferred, gzip: HTML + linked CSS/JS; the map page with its GeoJSON)",
        "",
        "| page | HTML | encoding | CSS/JS files | total KB | budget KB |",
        "|---|---:|---|---:|---:|---:|",
    ]
    for key, weight in weights.items():
        report.append(
            f"| {key} | {weight['html']:,} | {weight['html_encoding']} | {weight['assets']} | "
            f"{weight['total'] / 1024:.1f} | {WEIGHT_BUDGET_KB[key]} |"
        )
    report += ["", "## Static files headers", "", "| file | Content-Encoding | Cache-Control |", "|---|---|---|"]
    for path, headers in static_headers.items():
        report.append(f"| `{path}` | {headers['Content-Encoding'] or 'none'} | {headers['Cache-Control']} |")
    report += ["", "## Admin with a staff session (median of 5, budget < 1,000 ms)", "", "| page | status | ms |"]
    report.append("|---|---:|---:|")
    for name, timing in admin.items():
        report.append(f"| {name} | {timing['status']} | {timing['median_ms']:.0f} |")
    report += ["", "Query plans: benchmarks/results/plans.txt.", ""]
    (RESULTS / "bench.md").write_text("\n".join(report))
    print("\n".join(report))


if __name__ == "__main__":
    main()
