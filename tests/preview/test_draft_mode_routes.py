"""The draft-mode routes: the token, the signed cookie, its attributes, and where they redirect.

The redirect tests go through the enable route, as an attacker's link would, and assert the
exact ``Location``: a path of this site, or ``/``.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings

from datocms_app.conf import get_settings
from datocms_app.preview.cookies import COOKIE_NAME
from datocms_app.preview.signing import draft_cookie_salt, secret_matches
from tests.preview.conftest import SECRET

ENABLE = "/datocms/draft-mode/enable/"
DISABLE = "/datocms/draft-mode/disable/"
PREVIEW = {"PREVIEW_SECRET": SECRET}

FRAME_ANCESTORS = "frame-ancestors 'self' https://plugins-cdn.datocms.com"

REFUSED_PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="robots" content="noindex">
  <title>{title}</title>
</head>
<body>
  <h1>{title}</h1>
  <p>{message}</p>
</body>
</html>
"""


@pytest.fixture(autouse=True)
def preview_settings() -> Any:
    with override_settings(DATOCMS=PREVIEW):
        yield


def enable(client: Client, **params: str) -> Any:
    return client.get(ENABLE, {"token": SECRET, **params})


# -- the token -------------------------------------------------------------------------------


def test_enable_sets_a_signed_httponly_lax_cookie_on_http_and_redirects() -> None:
    client = Client()
    response = enable(client, redirect="/articles/x/?page=2#top")
    assert response.status_code == 302
    assert response["Location"] == "/articles/x/?page=2#top"
    assert response["Cache-Control"] == "no-store"
    # The plugin opens this route in its iframe (Django's clickjacking middleware is on).
    assert "X-Frame-Options" not in response
    assert response["Content-Security-Policy"] == FRAME_ANCESTORS
    cookie = response.cookies[COOKIE_NAME]
    header = cookie.output(header="").strip()
    value = cookie.value
    assert header == (
        f"{COOKIE_NAME}={value}; expires={cookie['expires']}; HttpOnly; Max-Age=28800; "
        "Path=/; SameSite=Lax"
    )
    request = HttpRequest()
    request.COOKIES[COOKIE_NAME] = value
    salt = draft_cookie_salt(get_settings())
    assert request.get_signed_cookie(COOKIE_NAME, salt=salt, max_age=28800) == "on"


def test_enable_on_https_sets_a_samesite_none_secure_partitioned_cookie() -> None:
    response = Client().get(ENABLE, {"token": SECRET, "redirect": "/a/"}, secure=True)
    assert response.status_code == 302
    cookie = response.cookies[COOKIE_NAME]
    assert cookie.output(header="").strip() == (
        f"{COOKIE_NAME}={cookie.value}; expires={cookie['expires']}; HttpOnly; Max-Age=28800; "
        "Path=/; SameSite=None; Secure; Partitioned"
    )


@pytest.mark.parametrize(
    "params",
    [{}, {"token": ""}, {"token": SECRET + "x"}, {"token": SECRET[:-1]}, {"token": SECRET.upper()}],
)
def test_a_wrong_or_missing_token_is_401_and_sets_nothing(params: dict[str, str]) -> None:
    response = Client().get(ENABLE, {**params, "redirect": "/a/"})
    assert response.status_code == 401
    assert response.cookies == {}
    assert "Location" not in response
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert "X-Frame-Options" not in response  # the editor reads why, inside the plugin
    assert response["Content-Security-Policy"] == FRAME_ANCESTORS
    assert response.content.decode() == REFUSED_PAGE.format(
        title="Wrong preview token",
        message="The token is missing or wrong: use the draft-mode URL configured in "
        "DatoCMS&#x27;s Web Previews plugin, whose ?token= is this site&#x27;s preview secret.",
    )
    assert SECRET not in response.content.decode()


@pytest.mark.parametrize("route", [ENABLE, DISABLE])
def test_without_a_secret_the_routes_are_403_and_explain(route: str) -> None:
    with override_settings(DATOCMS={}):
        response = Client().get(route, {"token": "", "redirect": "/a/"})
    assert response.status_code == 403
    assert response.cookies == {}
    assert "X-Frame-Options" not in response
    assert response.content.decode() == REFUSED_PAGE.format(
        title="Draft mode is off",
        message="This site has no preview secret (DATOCMS[&#x27;PREVIEW_SECRET&#x27;]), so "
        "draft mode cannot be turned on or off here.",
    )


@pytest.mark.parametrize("route", [ENABLE, DISABLE])
def test_other_methods_are_405(route: str) -> None:
    response = Client().post(f"{route}?token={SECRET}&redirect=/a/")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert response.cookies == {}


def test_secret_matches_only_the_secret() -> None:
    conf = get_settings()
    assert secret_matches(SECRET, conf)
    assert not secret_matches("", conf)
    assert not secret_matches(SECRET + " ", conf)
    with override_settings(DATOCMS={}):
        assert not secret_matches("", get_settings())


# -- the cookie, as the middleware reads it ----------------------------------------------------


def draft_state(client: Client) -> tuple[bool, Any]:
    """Whether a page shows the draft-mode banner (the request is in draft mode), and it."""
    response = client.get("/empty/")
    assert response.status_code == 200
    return 'class="datocms-draft-mode"' in response.content.decode(), response


def test_the_cookie_turns_draft_mode_on_and_disable_turns_it_off() -> None:
    client = Client()
    assert draft_state(client)[0] is False
    enable(client, redirect="/")
    assert draft_state(client)[0] is True
    response = client.get(DISABLE, {"redirect": "/articles/"})
    assert response.status_code == 302
    assert response["Location"] == "/articles/"
    assert response.cookies[COOKIE_NAME].value == ""
    assert response.cookies[COOKIE_NAME]["max-age"] == 0
    assert draft_state(client)[0] is False


def test_disable_on_https_deletes_the_partitioned_cookie() -> None:
    response = Client().get(DISABLE, {"redirect": "/"}, secure=True)
    cookie = response.cookies[COOKIE_NAME]
    assert cookie.output(header="").strip() == (
        f'{COOKIE_NAME}=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; '
        "SameSite=None; Secure; Partitioned"
    )


@pytest.mark.parametrize(
    "tamper",
    [
        lambda value: value[:-1] + ("A" if value[-1] != "A" else "B"),  # signature
        lambda value: "off" + value[2:],  # value, signature kept
        lambda value: "on",  # unsigned
        lambda value: "",
    ],
)
def test_a_tampered_cookie_is_ignored_and_cleared(tamper: Any) -> None:
    client = Client()
    enable(client)
    client.cookies[COOKIE_NAME] = tamper(client.cookies[COOKIE_NAME].value)
    shown, response = draft_state(client)
    assert shown is False
    assert response.cookies[COOKIE_NAME].value == ""
    assert response.cookies[COOKIE_NAME]["max-age"] == 0
    assert response["Cache-Control"] == "private, no-store"
    assert "Content-Security-Policy" not in response


def test_an_expired_cookie_is_ignored_and_cleared() -> None:
    client = Client()
    enable(client)
    with override_settings(DATOCMS={**PREVIEW, "DRAFT_MODE_MAX_AGE": 1}):
        time.sleep(2.1)  # the signature's timestamp has a resolution of one second
        shown, response = draft_state(client)
    assert shown is False
    assert response.cookies[COOKIE_NAME]["max-age"] == 0


def test_changing_the_secret_ends_every_draft_session() -> None:
    client = Client()
    enable(client)
    with override_settings(DATOCMS={"PREVIEW_SECRET": "another"}):
        shown, response = draft_state(client)
    assert shown is False
    assert response.cookies[COOKIE_NAME]["max-age"] == 0


def test_without_a_secret_a_cookie_is_ignored_and_cleared() -> None:
    client = Client()
    enable(client)
    with override_settings(DATOCMS={}):
        shown, response = draft_state(client)
    assert shown is False
    assert response.cookies[COOKIE_NAME]["max-age"] == 0


def test_a_cookie_signed_for_another_purpose_is_refused() -> None:
    """A value signed with the same SECRET_KEY for another purpose is no draft-mode cookie."""
    signed_elsewhere = HttpResponse()
    signed_elsewhere.set_signed_cookie(COOKIE_NAME, "on", salt="another purpose")
    client = Client()
    client.cookies[COOKIE_NAME] = signed_elsewhere.cookies[COOKIE_NAME].value
    assert draft_state(client)[0] is False


# -- redirects: never off-site ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "location"),
    [
        ("/articles/x/", "/articles/x/"),
        ("/it/articoli/x/?page=2&q=a%2Fb#top", "/it/articoli/x/?page=2&q=a%2Fb#top"),
        ("/caf%C3%A9/", "/caf%C3%A9/"),
        ("/café/", "/caf%C3%A9/"),
        (None, "/"),
        ("", "/"),
        ("https://evil.example/", "/"),
        ("http://testserver.evil.example/", "/"),
        ("javascript:alert(1)", "/"),
        ("JaVaScRiPt:alert(1)", "/"),
        (" javascript:alert(1)", "/"),
        ("data:text/html,<script>alert(1)</script>", "/"),
        ("//evil.example/", "/"),
        ("///evil.example/", "/"),
        ("////evil.example/", "/"),
        ("/\\evil.example/", "/"),
        ("\\\\evil.example/", "/"),
        ("\\/evil.example/", "/"),
        ("/a\\b", "/"),
        ("/\t/evil.example/", "/"),
        ("/\n/evil.example/", "/"),
        ("/\r\n/evil.example/", "/"),
        ("\t//evil.example/", "/"),
        ("/\x00/evil.example/", "/"),
        ("/\x7f/evil.example/", "/"),
        ("evil.example", "/"),
        ("articles/x/", "/"),
        ("%2F%2Fevil.example/", "/"),
        ("/%2Fevil.example/", "/"),
        ("/%2F%2Fevil.example/", "/"),
        ("/%5Cevil.example/", "/"),
        ("/%5C%5Cevil.example/", "/"),
        ("/%09/evil.example/", "/"),
        ("/%0A/evil.example/", "/"),
        ("/%0D%0ALocation:%20https://evil.example/", "/"),
        ("/%252F/evil.example/", "/"),
        ("/%25252F/evil.example/", "/"),
        ("/%2525252F/evil.example/", "/"),
        ("%252F%252Fevil.example/", "/"),
        ("https:%2F%2Fevil.example/", "/"),
        ("/" + "a" * 2048, "/"),
    ],
)
def test_enable_redirects_only_to_paths_of_this_site(target: str | None, location: str) -> None:
    params = {} if target is None else {"redirect": target}
    response = enable(Client(), **params)
    assert response.status_code == 302
    assert response["Location"] == location


@pytest.mark.parametrize(
    ("query", "location"),
    [
        # The plugin appends ?redirect= to the configured URL; a raw query string as an
        # attacker would write it, decoded by Django once.
        ("redirect=%2F%2Fevil.example", "/"),
        ("redirect=%2F%5Cevil.example", "/"),
        ("redirect=%2F%09%2Fevil.example", "/"),
        ("redirect=/%252F%252Fevil.example", "/"),
        ("redirect=/blog/my-article", "/blog/my-article"),
    ],
)
def test_disable_redirects_only_to_paths_of_this_site(query: str, location: str) -> None:
    response = Client().get(f"{DISABLE}?{query}")
    assert response.status_code == 302
    assert response["Location"] == location
