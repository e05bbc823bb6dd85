"""Error pages of the demo: 404s in the site's layout, the setup page, outages, 500.

Outages are answered by the page cache's middleware (``datocms_app.caching``); these tests
check that the demo lets them through to it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, RequestFactory
from django.views.defaults import server_error

from datocms_app.emulator.embedded import get_emulator
from datocms_app.emulator.faults import Fault
from tests.demo_content import demo_datocms

RESOLVER = "project.records.record_url"


@pytest.mark.parametrize(
    ("path", "lang", "heading"),
    [
        ("/articles/no-such-article/", "en", "Page not found"),
        ("/it/articoli/no-such-article/", "it", "Pagina non trovata"),
        ("/authors/nobody/", "en", "Page not found"),
        ("/it/categorie/nessuna/", "it", "Pagina non trovata"),
        ("/no/such/page/", "en", "Page not found"),
        ("/it/nessuna-pagina/", "it", "Pagina non trovata"),
        # An English slug under the Italian prefix of another type of page is still a 404.
        ("/it/autori/crossing-the-alps-on-foot/", "it", "Pagina non trovata"),
    ],
)
def test_missing_pages_are_404_in_the_layout(
    client: Client, path: str, lang: str, heading: str
) -> None:
    response = client.get(path)
    assert response.status_code == 404
    html = response.content.decode()
    assert html.startswith(f'<!doctype html>\n<html lang="{lang}">')
    assert f"<h1>{heading}</h1>" in html
    assert '<meta name="robots" content="noindex">' in html
    assert '<link rel="canonical"' not in html
    # The layout came from DatoCMS: the categories are in the navigation.
    travel = {"en": '<a href="/categories/travel/">Travel</a>', "it": "/it/categorie/viaggi/"}
    assert travel[lang] in html
    # The language switcher offers the home pages.
    assert re.findall(r'<a href="([^"]+)" hreflang=', html) == ["/", "/it/"]


def test_404_still_renders_when_content_cannot_be_read(
    client: Client, settings: Any, tmp_path: Path
) -> None:
    settings.DATOCMS = {"RECORD_URL_RESOLVER": RESOLVER, "EMULATOR": {"CONTENT_DIR": str(tmp_path)}}
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Page not found</h1>" in html
    assert '<a class="brand" href="/">Magazine<span aria-hidden="true">.</span></a>' in html


def test_configuration_error_shows_the_setup_page(
    client: Client, settings: Any, tmp_path: Path
) -> None:
    settings.DATOCMS = {"RECORD_URL_RESOLVER": RESOLVER, "EMULATOR": {"CONTENT_DIR": str(tmp_path)}}
    response = client.get("/articles/")
    assert response.status_code == 503
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert "<title>Connect this site to DatoCMS</title>" in html
    assert (
        "<p>The demo could not read content: <strong>settings.DATOCMS[&#x27;EMULATOR&#x27;]"
        f"[&#x27;CONTENT_DIR&#x27;] is &#x27;{tmp_path}&#x27;, which holds no schema.json."
    ) in html
    assert "<pre>DATOCMS_API_TOKEN=your-read-only-token</pre>" in html


@pytest.fixture
def emulator_faults(settings: Any) -> Iterator[None]:
    """No retries, so that each page view meets the next injected fault."""
    settings.DATOCMS = demo_datocms(RECORD_URL_RESOLVER=RESOLVER, MAX_RETRIES=0)
    faults = get_emulator().faults
    faults.clear()
    yield
    faults.clear()


@pytest.mark.usefixtures("emulator_faults")
@pytest.mark.parametrize(
    ("fault", "path", "retry_after", "text"),
    [
        (
            Fault.server_error(503),
            "/categories/culture/?outage=503",
            "30",
            "<h1>Temporarily unavailable</h1>\n    <p>Please try again in 30 seconds.</p>",
        ),
        (
            Fault.rate_limit(reset=5),
            "/it/articoli/?outage=429",
            "5",
            "<h1>Temporaneamente non disponibile</h1>\n    <p>In questo momento questa pagina "
            "è molto richiesta. Riprova tra 5 secondi.</p>",
        ),
        (
            Fault.disconnect(),
            "/articles/desert-light/?outage=disconnect",
            "30",
            "<h1>Temporarily unavailable</h1>",
        ),
    ],
)
def test_passing_outages_answer_503_with_retry_after(
    client: Client, fault: Fault, path: str, retry_after: str, text: str
) -> None:
    # The query string keeps these pages out of the other tests' cached pages.
    get_emulator().faults.push(fault)
    response = client.get(path)
    assert response.status_code == 503
    assert response["Retry-After"] == retry_after
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert text in html
    # The demo's own outage page: styled like the site, standing alone (no CDA content).
    assert '<link rel="stylesheet" href="/static/magazine.css">' in html
    assert '<p class="code" aria-hidden="true">503</p>' in html
    assert len(get_emulator().faults) == 0
    # The outage is over: the same page works again.
    assert client.get(path).status_code == 200


def test_server_error_page_stands_alone(rf: RequestFactory) -> None:
    response = server_error(rf.get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "<title>Something went wrong</title>" in html
    assert '<link rel="stylesheet" href="/static/magazine.css">' in html
    assert '<a href="/">home page</a>' in html
