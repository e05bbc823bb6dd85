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
from django.utils.html import escape
from django.views.defaults import server_error

from datocms_app.emulator.embedded import get_emulator
from datocms_app.emulator.faults import Fault
from tests.caching.foreign_cda import ForeignCDA
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


SETUP_PROBLEM = "<p>The demo could not read content: <strong>{}</strong></p>"
SETUP_NO_DETAIL = "<p>The demo could not read content from DatoCMS. The server's log says why.</p>"


@pytest.mark.parametrize("debug", [False, True], ids=["production", "debug"])
def test_configuration_error_shows_the_setup_page(
    client: Client, settings: Any, tmp_path: Path, debug: bool
) -> None:
    settings.DEBUG = debug
    settings.DATOCMS = {"RECORD_URL_RESOLVER": RESOLVER, "EMULATOR": {"CONTENT_DIR": str(tmp_path)}}
    response = client.get("/articles/")
    assert response.status_code == 503
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert "<title>Connect this site to DatoCMS</title>" in html
    problem = escape(
        f"settings.DATOCMS['EMULATOR']['CONTENT_DIR'] is '{tmp_path}', which holds no "
        "schema.json. Point it at a content project (see docs/emulator.md) or set "
        "DATOCMS['API_TOKEN'] to read your real DatoCMS project."
    )
    # The exception names a path on the server: only a developer (DEBUG) may see it.
    assert (problem in html) is debug
    assert (str(tmp_path) in html) is debug
    assert (SETUP_PROBLEM.format(problem) in html) is debug
    assert (SETUP_NO_DETAIL in html) is not debug
    assert "<pre>DATOCMS_API_TOKEN=your-read-only-token</pre>" in html


@pytest.fixture
def foreign_cda(settings: Any) -> Iterator[ForeignCDA]:
    """A CDA_URL where something other than DatoCMS may answer (``foreign``); one retry."""
    with ForeignCDA().running() as fake:
        settings.DATOCMS = {"RECORD_URL_RESOLVER": RESOLVER, **fake.settings(MAX_RETRIES=1)}
        yield fake


@pytest.mark.parametrize("debug", [False, True], ids=["production", "debug"])
def test_a_cda_url_that_is_not_the_cda_shows_the_setup_page(
    client: Client, settings: Any, foreign_cda: ForeignCDA, debug: bool
) -> None:
    settings.DEBUG = debug
    foreign_cda.foreign = (404, b"<h1>Not Found</h1>", "text/html")
    response = client.get("/articles/?setup=wrong-url")
    assert response.status_code == 503
    assert response["Cache-Control"] == "no-store"
    # A configuration problem: asked once, not retried.
    assert foreign_cda.foreign_answers == 1
    html = response.content.decode()
    assert "<title>Connect this site to DatoCMS</title>" in html
    problem = escape(
        f"{foreign_cda.url} answered HTTP 404 with Content-Type text/html (18 bytes, "
        "beginning '<h1>Not Found</h1>'), not DatoCMS's JSON: what answers there is not "
        "DatoCMS's Content Delivery API. Check DATOCMS['CDA_URL'] (DatoCMS's is "
        "'https://graphql.datocms.com/') and any proxy in between."
    )
    assert (SETUP_PROBLEM.format(problem) in html) is debug
    assert ("Not Found" in html) is debug
    assert (SETUP_NO_DETAIL in html) is not debug


@pytest.mark.parametrize("debug", [False, True], ids=["production", "debug"])
def test_a_cut_short_answer_is_an_outage_with_its_text_only_under_debug(
    client: Client, settings: Any, foreign_cda: ForeignCDA, debug: bool
) -> None:
    settings.DEBUG = debug
    foreign_cda.foreign = (200, b'{"data": {"site": {"glob', "application/json")
    response = client.get(f"/articles/?outage=cut-short-{debug}")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    assert foreign_cda.foreign_answers == 2  # retried once, like a 502
    html = response.content.decode()
    assert "<h1>Temporarily unavailable</h1>\n    <p>Please try again in 30 seconds.</p>" in html
    problem = escape(
        f"{foreign_cda.url} answered HTTP 200 with application/json that is not valid JSON, "
        'cut short or garbled (24 bytes, beginning \'{"data": {"site": {"glob\'), not '
        "DatoCMS's JSON: a proxy, load balancer, CDN or firewall between this site and "
        "DatoCMS, or the network, is failing. Treated as an outage: retried within "
        "DATOCMS['MAX_RETRIES'] and DATOCMS['TIMEOUT']."
    )
    assert (f"seconds.</p>\n    <pre>{problem}</pre>\n" in html) is debug
    assert ("<pre>" in html) is debug
    assert ("INVALID_RESPONSE" in html or "answered HTTP" in html) is debug


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
