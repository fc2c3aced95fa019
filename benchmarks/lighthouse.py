"""Lighthouse 12 (mobile, its default) on the home, search, cluster and map pages at national scale.

Run by benchmarks/run_bench.sh after bench.py (same database and environment), or alone with
`make lighthouse` against the database in DATABASE_URL. Needs `npm i -E lighthouse@12.2.3` in
benchmarks/.lighthouse (git-ignored; installed on first run) and Chromium at /usr/bin/chromium.
Map tiles come from benchmarks/blank_tiles.py on 127.0.0.1: nothing reaches the network.
Writes benchmarks/results/lighthouse.md.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench import RESULTS, free_port, pages, start_server  # noqa: E402

LIGHTHOUSE_DIR = HERE / ".lighthouse"
LIGHTHOUSE = LIGHTHOUSE_DIR / "node_modules" / ".bin" / "lighthouse"
TARGET_SCORE = 95


def ensure_lighthouse():
    if not LIGHTHOUSE.exists():
        LIGHTHOUSE_DIR.mkdir(exist_ok=True)
        # Its own package.json, so npm never walks up to the project's node_modules (and prunes it).
        (LIGHTHOUSE_DIR / "package.json").write_text('{"name": "bench-lighthouse", "private": true}\n')
        subprocess.run(
            ["npm", "i", "-E", "lighthouse@12.2.3", "--no-audit", "--no-fund", "--prefix", str(LIGHTHOUSE_DIR)],
            cwd=LIGHTHOUSE_DIR,
            check=True,
        )


# Lighthouse now and then loses its trace (« NO_NAVSTART ») and exits 1: the same URL is audited again.
ATTEMPTS = 3


def audit(url, output):
    for attempt in range(1, ATTEMPTS + 1):
        completed = subprocess.run(
            [
                str(LIGHTHOUSE),
                url,
                "--only-categories=performance",
                "--output=json",
                f"--output-path={output}",
                "--quiet",
                "--chrome-flags=--headless --no-sandbox --disable-gpu",
            ],
            env={**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")},
            timeout=240,
        )
        if completed.returncode == 0:
            break
        print(f"lighthouse: {url} failed (attempt {attempt} of {ATTEMPTS})", file=sys.stderr, flush=True)
    else:
        raise RuntimeError(f"Lighthouse failed {ATTEMPTS} times on {url}")
    report = json.loads(Path(output).read_text())
    audits = report["audits"]
    return {
        "score": round(report["categories"]["performance"]["score"] * 100),
        "fcp": audits["first-contentful-paint"]["displayValue"],
        "lcp": audits["largest-contentful-paint"]["displayValue"],
        "tbt": audits["total-blocking-time"]["displayValue"],
        "cls": audits["cumulative-layout-shift"]["displayValue"],
        "weight": audits["total-byte-weight"]["displayValue"],
    }


def main():
    ensure_lighthouse()
    _urls, largest, _member = pages()
    tile_port = free_port()
    tiles = subprocess.Popen([sys.executable, str(HERE / "blank_tiles.py"), str(tile_port)])
    port = free_port()
    server = start_server(port, {"MAP_TILES_URL": f"http://127.0.0.1:{tile_port}/{{z}}/{{x}}/{{y}}.png"})
    rows = []
    work = Path(os.environ.get("BENCH_WORK", "/tmp"))
    try:
        for name, path in [
            ("home", "/"),
            ("search", "/clusters/"),
            (f"cluster (largest, {largest['n']} members)", f"/clusters/{largest['slug']}/"),
            ("map", "/carte/"),
        ]:
            figures = audit(f"http://127.0.0.1:{port}{path}", work / f"lighthouse-{len(rows)}.json")
            figures.update(name=name, path=path)
            rows.append(figures)
            print(f"lighthouse {name}: {figures['score']}", flush=True)
    finally:
        server.terminate()
        tiles.terminate()
        server.wait(timeout=30)
    lines = [
        "# Lighthouse 12.2.3, mobile (default throttling), performance only",
        "",
        f"Generated {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} by benchmarks/lighthouse.py against "
        "gunicorn (2 workers, DEBUG off, page cache on) with the national demo data; Debian Chromium headless; "
        "map tiles from a local blank tile server. Target: performance ≥ 95.",
        "",
        "| page | URL | score | FCP | LCP | TBT | CLS | weight | verdict |",
        "|---|---|---:|---|---|---|---|---|---|",
    ]
    for row in rows:
        verdict = "ok" if row["score"] >= TARGET_SCORE else "**under 95**"
        lines.append(
            f"| {row['name']} | `{row['path']}` | {row['score']} | {row['fcp']} | {row['lcp']} | {row['tbt']} | "
            f"{row['cls']} | {row['weight']} | {verdict} |"
        )
    (RESULTS / "lighthouse.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
