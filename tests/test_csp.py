"""The Content-Security-Policy: inline script hashes, policy text, <meta> and `_headers`."""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

from site_builder import csp

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>T</title>
<script>var a = 1;</script>
<script src="assets/x.js"></script>
<script id="__config" type="application/json">{"base": "."}</script>
<script type="module">import "./m.js";</script>
</head><body><script>
var b = "</p>";
</script></body></html>"""


def sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_hashes_are_of_the_exact_text_of_scripts_a_browser_runs() -> None:
    # Files and JSON data are not run inline; the text is hashed as written, spaces and all.
    assert csp.inline_script_hashes(PAGE) == {
        sha("var a = 1;"),
        sha('import "./m.js";'),
        sha('\nvar b = "</p>";\n'),
    }
    assert csp.inline_script_hashes("<p>no scripts</p>") == set()


def test_policy_text() -> None:
    text = csp.policy([sha("b"), sha("a"), sha("a")])
    assert text == (
        "default-src 'self'; script-src 'self' "
        + " ".join(sorted({sha("a"), sha("b")}))
        + "; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'"
    )
    # No 'unsafe-inline', no 'unsafe-eval', no host but the site's own.
    assert "unsafe" not in text and "http" not in text and "frame-ancestors" not in text
    assert csp.policy(frame_ancestors="*").endswith("; base-uri 'self'; frame-ancestors *")


def test_writers_extend_a_directive_or_add_one() -> None:
    extra = {"img-src": ["https://tiles.example.org", "data:"], "connect-src": ["https://api.x"]}
    text = csp.policy(extra=extra)
    assert "img-src 'self' data: https://tiles.example.org;" in text
    assert text.endswith("; connect-src https://api.x")


def test_extra_sources_are_checked() -> None:
    assert csp.check_extra({"img-src": ["https://a.example"]}) == []
    assert csp.check_extra({"img src": ["x"]}) == [
        "csp_extra: 'img src' is not a directive name (e.g. img-src)"
    ]
    # A ';' would end the directive and start another: a writer could switch the policy off.
    (problem,) = csp.check_extra({"img-src": ["https://a; script-src *"]})
    assert problem.startswith("csp_extra: img-src: expected a list of sources")
    assert csp.check_extra({"img-src": "https://a"}) != []


def test_marker_goes_first_in_head_after_the_charset() -> None:
    marked = csp.with_marker(PAGE)
    assert marked.index(csp.MARKER) == marked.index('<meta charset="utf-8">') + 22
    assert marked.index(csp.MARKER) < marked.index("<script")
    assert csp.with_marker("<html><head><title>T</title>").startswith("<html><head>" + csp.MARKER)
    assert csp.meta_tag("default-src 'self'") == (
        '<meta http-equiv="Content-Security-Policy" content="default-src \'self\'">'
    )


def test_story_paths_never_cover_embed_pages() -> None:
    pages = ["index.html", "404.html", "chips/index.html", "a/b/index.html", "embed/c1/index.html"]
    assert csp.story_paths(pages, "embed") == {"/", "/index.html", "/404.html", "/chips/*", "/a/*"}


def test_headers_file(tmp_path: Path) -> None:
    for page in ("index.html", "chips/index.html"):
        (tmp_path / page).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / page).write_text(csp.with_marker(PAGE))
    hashes = csp.inline_script_hashes(PAGE)
    csp.write_policies(tmp_path, ["index.html", "chips/index.html"], hashes, {}, "embed")
    story = csp.policy(hashes)
    for page in ("index.html", "chips/index.html"):
        html = (tmp_path / page).read_text()
        assert csp.MARKER not in html and html.count(csp.meta_tag(story)) == 1
    headers = (tmp_path / "_headers").read_text()
    rules = [line for line in headers.splitlines() if line.startswith("/")]
    assert rules == ["/", "/chips/*", "/index.html", "/embed/*"]
    values = [line.split(": ", 1)[1] for line in headers.splitlines() if line.startswith("  ")]
    assert values[:3] == [f"{story}; frame-ancestors 'self'"] * 3
    # Embed pages may be framed anywhere; they run no inline script.
    assert values[3] == csp.policy(frame_ancestors="*")
    assert "sha256" not in values[3]


def test_pages_given_the_policy_already_are_not_written_again(tmp_path: Path) -> None:
    """A rebuild puts the published site's policy in at once: pages are rewritten only when
    the policy changed, and then replaced, never written through (a page may be a link to the
    published site's)."""
    hashes = csp.inline_script_hashes(PAGE)
    tag = csp.meta_tag(csp.policy(hashes))
    page = tmp_path / "index.html"
    page.write_text(csp.with_marker(PAGE, tag))
    before = page.stat()
    assert csp.write_policies(tmp_path, ["index.html"], hashes, {}, "embed", tag) == tag
    assert (page.stat().st_ino, page.stat().st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    # The policy changed: the page gets the new one, as a new file; its link keeps the old.
    published = tmp_path / "published.html"
    os.link(page, published)
    new = csp.write_policies(tmp_path, ["index.html"], hashes | {"'sha256-x'"}, {}, "embed", tag)
    assert new != tag and page.read_text().count(new) == 1 and tag not in page.read_text()
    assert page.read_text() == csp.with_marker(PAGE, new)
    assert published.read_text() == csp.with_marker(PAGE, tag)
