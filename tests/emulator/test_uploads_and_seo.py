"""``FileField`` (URLs, imgix parameters, responsive images, metadata), ``_seoMetaTags`` and
``faviconMetaTags``."""

from __future__ import annotations

from pathlib import Path

from datocms_app.emulator import images
from datocms_app.emulator.server import Emulator

from .conftest import Query

P1 = '(filter: {id: {eq: "p1"}})'


def test_file_metadata_and_overrides(query: Query, project_path: Path) -> None:
    data = query(
        f"""{{ post{P1} {{
            cover {{ id url alt title filename basename format mimeType size width height
                     author copyright notes tags customData focalPoint {{ x y }} }}
            photos {{ id alt title focalPoint {{ x y }} }} }} }}"""
    )
    size = (project_path / "uploads" / "one.png").stat().st_size
    assert data["post"]["cover"] == {
        "id": "up1", "url": "https://assets.test/up1/one.png", "alt": "Cover alt",
        "title": "One", "filename": "one.png", "basename": "one", "format": "png",
        "mimeType": "image/png", "size": size, "width": 40, "height": 30, "author": "Ann",
        "copyright": None, "notes": None, "tags": ["a"], "customData": {"k": "v"},
        "focalPoint": {"x": 0.25, "y": 0.75},
    }  # fmt: skip
    assert data["post"]["photos"] == [
        {"id": "up1", "alt": "Up one", "title": "One", "focalPoint": {"x": 0.25, "y": 0.75}},
        {"id": "up2", "alt": None, "title": "Two", "focalPoint": None},
    ]


def test_upload_defaults_follow_the_locale(query: Query) -> None:
    data = query('{ post(locale: it, filter: {id: {eq: "p1"}}) { photos { alt } } }')
    assert data == {"post": {"photos": [{"alt": "Uno"}, {"alt": None}]}}
    data = query(f"{{ post{P1} {{ photos {{ alt(locale: it) }} }} }}")
    assert data == {"post": {"photos": [{"alt": "Uno"}, {"alt": None}]}}


def test_strict_mode_gives_images_a_focal_point(query: Query) -> None:
    data = query(f"{{ post{P1} {{ photos {{ focalPoint {{ x y }} }} }} }}", exclude_invalid=True)
    assert data["post"]["photos"][1] == {"focalPoint": {"x": 0.5, "y": 0.5}}


def test_url_with_imgix_params_applies_the_focal_point(query: Query) -> None:
    data = query(
        f"""{{ post{P1} {{ cover {{ crop: url(imgixParams: {{w: 100, h: 50, fit: crop}})
                                    plain: url(imgixParams: {{w: 100, auto: [format]}}) }} }} }}"""
    )
    assert data["post"]["cover"] == {
        "crop": "https://assets.test/up1/one.png?crop=focalpoint&fit=crop&fp-x=0.25&fp-y=0.75"
        "&h=50&w=100",
        "plain": "https://assets.test/up1/one.png?auto=format&w=100",
    }


def test_responsive_image_matches_the_images_module(query: Query, project_path: Path) -> None:
    data = query(
        f"""{{ post{P1} {{ cover {{ responsiveImage(imgixParams: {{w: 20, fit: crop, ar: "1:1"}},
            sizes: "20px") {{ src srcSet webpSrcSet width height aspectRatio alt title base64
            bgColor sizes }} }} }} }}"""
    )
    expected = images.responsive_image(
        base_url="https://assets.test/up1/one.png",
        analysis=images.analyze(project_path / "uploads" / "one.png"),
        imgix_params={"w": 20, "fit": "crop", "ar": "1:1"},
        sizes="20px",
        alt="Cover alt",
        title="One",
        focal_point={"x": 0.25, "y": 0.75},
    )
    assert data["post"]["cover"]["responsiveImage"] == expected
    assert expected["width"] == 20
    assert expected["height"] == 20


def test_placeholders_and_colors(query: Query, project_path: Path) -> None:
    analysis = images.analyze(project_path / "uploads" / "one.png")
    data = query(f"{{ post{P1} {{ cover {{ blurhash blurUpThumb colors {{ hex }} }} }} }}")
    assert data["post"]["cover"] == {
        "blurhash": analysis.blurhash,
        "blurUpThumb": analysis.base64,
        "colors": [{"hex": color} for color in analysis.colors],
    }


def test_bad_imgix_params_are_graphql_errors(errors: Query) -> None:
    messages = errors(f'{{ post{P1} {{ cover {{ url(imgixParams: {{txt: "hi"}}) }} }} }}')
    assert len(messages) == 1
    assert messages[0].startswith("Invalid imgixParams: ")
    assert "txt" in messages[0]


def test_imgix_params_input_lists_datocms_fields(query: Query) -> None:
    data = query('{ __type(name: "ImgixParams") { inputFields { name } } }')
    names = {field["name"] for field in data["__type"]["inputFields"]}
    assert {"w", "h", "fit", "ar", "dpr", "fm", "q", "auto", "crop", "fpX", "fpY", "maxW",
            "blur", "sat", "txt", "mark"} <= names  # fmt: skip


def test_assets_are_served(emulator: Emulator) -> None:
    status, headers, body = emulator.asset("up2", "two.png", "w=10")
    assert status == 200
    assert dict(headers)["Content-Type"] == "image/png"
    assert body.startswith(b"\x89PNG")
    assert emulator.asset("up2", "other.png")[0] == 404
    assert emulator.asset("nope", "two.png")[0] == 404
    assert emulator.asset("up2", "two.png", "w=banana")[0] == 400


# -- SEO ---------------------------------------------------------------------------------------


def meta(kind: str, name: str, content: str) -> dict[str, object]:
    return {"tag": "meta", "attributes": {kind: name, "content": content}, "content": None}


def test_seo_meta_tags_from_the_seo_field(query: Query) -> None:
    data = query(f"{{ post{P1} {{ _seoMetaTags {{ tag attributes content }} }} }}")
    assert data["post"]["_seoMetaTags"] == [
        {"tag": "title", "attributes": None, "content": "Alpha SEO | Fixture"},
        meta("property", "og:title", "Alpha SEO"),
        meta("name", "twitter:title", "Alpha SEO"),
        meta("name", "description", "About alpha"),
        meta("property", "og:description", "About alpha"),
        meta("name", "twitter:description", "About alpha"),
        meta("property", "og:image", "https://assets.test/up1/one.png"),
        meta("property", "og:image:width", "40"),
        meta("property", "og:image:height", "30"),
        meta("property", "og:image:alt", "Up one"),
        meta("name", "twitter:image", "https://assets.test/up1/one.png"),
        meta("name", "twitter:image:alt", "Up one"),
        meta("property", "og:locale", "en"),
        meta("property", "og:type", "article"),
        meta("property", "og:site_name", "Fixture Site"),
        meta("property", "article:modified_time", "2024-02-02T10:00:00+00:00"),
        meta("name", "twitter:card", "summary_large_image"),
        meta("name", "twitter:site", "@fixture"),
    ]


def test_seo_meta_tags_fall_back_on_title_and_global_seo(query: Query) -> None:
    data = query('{ post(filter: {id: {eq: "p2"}}) { _seoMetaTags { tag attributes content } } }')
    tags = data["post"]["_seoMetaTags"]
    assert tags[0] == {"tag": "title", "attributes": None, "content": "Beta | Fixture"}
    assert meta("name", "description", "Fallback description") in tags
    assert meta("property", "og:image", "https://assets.test/up2/two.png") in tags
    assert meta("name", "twitter:card", "summary") in tags


def test_seo_meta_tags_of_a_singleton_say_website(query: Query) -> None:
    tags = query("{ page { _seoMetaTags(locale: it) { attributes } } }")["page"]["_seoMetaTags"]
    assert {"property": "og:type", "content": "website"} in [t["attributes"] for t in tags]
    assert {"property": "og:locale", "content": "it"} in [t["attributes"] for t in tags]


def test_title_suffix_is_dropped_past_sixty_characters(query: Query, emulator: Emulator) -> None:
    record = emulator.store.state.records["p2"]
    fields = {**record.current.fields, "title": {"en": "B" * 55}}
    version = record.current.__class__(fields=fields, updated_at=record.current.updated_at,
                                       locales=record.current.locales)  # fmt: skip
    emulator.store.put_record(record.replace(current=version, published=version))
    tags = query('{ post(filter: {id: {eq: "p2"}}) { _seoMetaTags { content } } }')
    assert tags["post"]["_seoMetaTags"][0] == {"content": "B" * 55}


def test_favicon_meta_tags(query: Query) -> None:
    data = query("{ _site { faviconMetaTags { tag attributes content } } }")
    assert data["_site"]["faviconMetaTags"] == [
        {"tag": "link", "content": None, "attributes": {
            "sizes": f"{size}x{size}", "type": "image/png", "rel": "icon",
            "href": f"https://assets.test/up2/two.png?h={size}&w={size}"}}
        for size in (16, 32, 96, 192)
    ]  # fmt: skip
    variants = query(
        "{ _site { faviconMetaTags(variants: [appleTouchIcon, msApplication]) { attributes } } }"
    )["_site"]["faviconMetaTags"]
    assert variants[0]["attributes"] == {
        "sizes": "57x57", "rel": "apple-touch-icon",
        "href": "https://assets.test/up2/two.png?h=57&w=57",
    }  # fmt: skip
    assert variants[-1]["attributes"] == {
        "name": "msapplication-square310x310logo",
        "content": "https://assets.test/up2/two.png?h=310&w=310",
    }
    assert len(variants) == 9 + 4
