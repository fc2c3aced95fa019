"""Security headers, the Content-Security-Policy, and templates that keep it strict; languages.

The CSP forbids inline code (`script-src 'self' 'nonce-…'`, `style-src 'self'`), so a template
with an inline handler, a bare <script> or a style attribute would break in the browser: the
template scan below catches it before anyone opens a page.
"""

import re
from pathlib import Path

import pytest
from django.test import override_settings

BASE_DIR = Path(__file__).resolve().parent.parent
TEMPLATE_DIRS = [BASE_DIR / "templates", *sorted(BASE_DIR.glob("*/templates"))]
TEMPLATES = sorted(path for folder in TEMPLATE_DIRS for path in folder.rglob("*.html"))
PAGES = ["/", "/en/", "/admin/login/"]

INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)


def csp_directives(response):
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (directive.split() for directive in policy.split(";") if directive.strip())
    }


def offences(text):
    """What in an HTML text a strict CSP would block."""
    found = [f"inline event handler {m.group().strip()!r}" for m in INLINE_HANDLER.finditer(text)]
    found += [
        f"script without src or nonce {tag!r}"
        for tag in SCRIPT_TAG.findall(text)
        # A data block (JSON-LD) is never executed: the CSP does not apply to it.
        if not re.search(r"\s(src|nonce)\s*=|\stype=\"application/(ld\+)?json\"", tag, re.IGNORECASE)
    ]
    found += [f"style attribute {m.group().strip()!r}" for m in STYLE_ATTRIBUTE.finditer(text)]
    found += ["<style> element" for _ in STYLE_ELEMENT.finditer(text)]
    return found


def test_the_template_scan_finds_what_it_looks_for():
    assert offences('<button onclick="go()">') == ["inline event handler 'onclick='"]
    assert offences("<script>alert(1)</script>") == ["script without src or nonce '<script>'"]
    assert offences('<p style="color: red">') == ["style attribute 'style='"]
    assert offences("<style>p {}</style>") == ["<style> element"]
    assert offences('<script src="/static/js/map.js" defer></script>') == []
    assert offences('<script nonce="{{ request.csp_nonce }}">') == []
    assert offences('<script type="application/ld+json">{}</script>') == []
    assert offences('<a href="/" data-online="1" class="button">') == []


def test_templates_were_found():
    assert BASE_DIR / "templates" / "base.html" in TEMPLATES


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: str(path.relative_to(BASE_DIR)))
def test_templates_have_no_inline_code_the_csp_would_block(template):
    assert offences(template.read_text(encoding="utf-8")) == []


def nonces(response):
    return [value[7:-1] for value in csp_directives(response)["script-src"] if value.startswith("'nonce-")]


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
def test_rendered_pages_have_no_inline_code_but_nonced_scripts(client, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    # django-csp adds a nonce to the header only when a template asked for one.
    allowed = {f'nonce="{nonce}"' for nonce in nonces(response)}
    for tag in SCRIPT_TAG.findall(html):
        assert "src=" in tag or any(nonce in tag for nonce in allowed), tag
    assert [offence for offence in offences(html) if not offence.startswith("script")] == []


@pytest.mark.django_db
@override_settings(SECURE_HSTS_SECONDS=31536000)
def test_security_headers_on_a_page_over_https(client):
    response = client.get("/", secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_content_security_policy_is_strict(client):
    directives = csp_directives(client.get("/"))
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"][0] == "'self'"
    assert all(re.fullmatch(r"'nonce-[A-Za-z0-9+/_=-]{16,}'", value) for value in directives["script-src"][1:])
    assert directives["style-src"] == ["'self'"]
    for name in ("script-src", "style-src", "default-src"):
        assert "'unsafe-inline'" not in directives[name]
        assert "'unsafe-eval'" not in directives[name]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]


def test_a_template_that_asks_for_a_nonce_gets_a_fresh_one_in_the_header(rf):
    from csp.middleware import CSPMiddleware
    from django.http import HttpResponse
    from django.template import engines

    template = engines["django"].from_string('<script nonce="{{ request.csp_nonce }}">go()</script>')

    def view(request):
        return HttpResponse(template.render({}, request))

    middleware = CSPMiddleware(view)
    first, second = middleware(rf.get("/")), middleware(rf.get("/"))
    assert nonces(first) and nonces(second)
    assert nonces(first) != nonces(second)
    assert f'nonce="{nonces(first)[0]}"' in first.content.decode()


@pytest.mark.django_db
def test_session_and_csrf_cookies_are_secure_when_debug_is_off(settings):
    assert settings.DEBUG is False
    assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE and settings.SESSION_COOKIE_HTTPONLY


@pytest.mark.django_db
def test_french_is_served_at_the_root(client):
    response = client.get("/")
    assert response["Content-Language"] == "fr"
    assert '<html lang="fr">' in response.content.decode()


@pytest.mark.django_db
def test_english_is_served_under_en(client):
    response = client.get("/en/")
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in response.content.decode()


@pytest.mark.django_db
def test_pages_link_to_their_other_language(client):
    html = client.get("/").content.decode()
    assert 'hreflang="en" href="http://testserver/en/"' in html
    assert 'hreflang="fr" href="http://testserver/"' in html


@pytest.mark.django_db
def test_the_admin_speaks_french_at_the_root_and_english_under_en(client):
    assert "Connexion" in client.get("/admin/login/").content.decode()
    assert "Log in" in client.get("/en/admin/login/").content.decode()
