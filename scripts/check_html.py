#!/usr/bin/env python
"""Validates every public page type, in French and in English, with the Nu HTML checker.

Renders the pages with Django's test client against a throwaway test database filled with
tests/showcase.py (a rich cluster, an archived one, a draft seen by staff, the search list with
and without results, the map), saves the HTML to files and runs `vnu.jar --errors-only` on them:
vnu refuses loopback URLs (and still exits 0), but validates files.

Needs Java 17+ and the npm package vnu-jar, installed once at the project root (node_modules/
is git-ignored):

    npm install --no-save --no-package-lock vnu-jar@26.9.27
    .venv/bin/python scripts/check_html.py            # SQLite in memory
    DATABASE_URL=postgres://… .venv/bin/python scripts/check_html.py

Exit status: 0 when every page is valid, 1 on any validation error or page that does not
answer 200, 2 when java or vnu.jar is missing. `--keep DIR` keeps the HTML files in DIR.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def pages():
    """(file name, path, as staff) for each page type; search and map only where they exist."""
    from django.urls import Resolver404, resolve
    from django.utils import translation

    from tests import showcase

    candidates = [
        ("accueil", "/", False),
        ("cluster", f"/clusters/{showcase.RICH}/", False),
        ("cluster-membres-page-2", f"/clusters/{showcase.RICH}/?membres=2", False),
        ("cluster-archive", f"/clusters/{showcase.ARCHIVED}/", False),
        ("cluster-brouillon-apercu", f"/clusters/{showcase.DRAFT}/", True),
        ("recherche", "/clusters/", False),
        ("recherche-filtree", "/clusters/?secteur=cosmetique&tri=nom", False),
        ("recherche-sans-resultat", "/clusters/?q=zzzxqwv", False),
        ("carte", "/carte/", False),
        ("regions", "/regions/", False),
        ("region", "/regions/centre-val-de-loire/", False),
        ("secteurs", "/secteurs/", False),
        ("secteur", "/secteurs/cosmetique/", False),
        ("programmes", "/programmes/", False),
        ("programme", "/programmes/beauty/", False),
        ("membres", "/membres/", False),
        ("membres-recherche", "/membres/?q=parfums", False),
        ("membres-sans-resultat", "/membres/?q=zzzxqwv", False),
        ("membre", "/membres/laboratoire-des-aromes/", False),
        ("a-propos", "/a-propos/", False),
        ("mentions-legales", "/mentions-legales/", False),
        ("donnees-personnelles", "/donnees-personnelles/", False),
        ("accessibilite", "/accessibilite/", False),
    ]
    for name, path, as_staff in candidates:
        try:
            with translation.override("fr"):
                resolve(path.split("?")[0])
        except Resolver404:
            print(f"(pas de page {path} : ignorée)")
            continue
        yield name, path, as_staff


def render_pages(out_dir):
    from django.contrib.auth import get_user_model
    from django.test import Client

    from tests import showcase

    showcase.build()
    visitor = Client()
    staff = Client()
    staff.force_login(get_user_model().objects.create_user(username="verif-html", is_staff=True))
    files, failures = [], []
    for name, path, as_staff in list(pages()):
        for prefix, language in (("", "fr"), ("/en", "en")):
            url = prefix + path
            response = (staff if as_staff else visitor).get(url)
            if response.status_code != 200:
                failures.append(f"{url} a répondu {response.status_code}")
                continue
            target = out_dir / f"{name}-{language}.html"
            target.write_bytes(response.content)
            files.append(target)
    return files, failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vnu", default=os.environ.get("VNU_JAR", str(DEFAULT_VNU)), help="chemin de vnu.jar")
    parser.add_argument("--keep", metavar="DIR", help="garder les pages rendues dans DIR")
    args = parser.parse_args()

    java = shutil.which("java")
    if not java or not Path(args.vnu).is_file():
        print(
            f"java ({java or 'introuvable'}) et vnu.jar ({args.vnu}) sont nécessaires : "
            "npm install --no-save --no-package-lock vnu-jar@26.9.27",
            file=sys.stderr,
        )
        return 2

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusters_site.settings_test")
    import django

    django.setup()
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    setup_test_environment()
    databases = setup_databases(verbosity=0, interactive=False)
    out_dir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="check-html-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    try:
        files, failures = render_pages(out_dir)
    finally:
        teardown_databases(databases, verbosity=0)

    for failure in failures:
        print(f"ERREUR : {failure}", file=sys.stderr)
    result = subprocess.run([java, "-jar", args.vnu, "--errors-only", *map(str, files)])
    print(f"{len(files)} pages vérifiées par le Nu HTML checker ({out_dir}).")
    if not args.keep:
        shutil.rmtree(out_dir, ignore_errors=True)
    if result.returncode != 0 or failures:
        print("Des pages ne sont pas valides.", file=sys.stderr)
        return 1
    print("Aucune erreur.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
