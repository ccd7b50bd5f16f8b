"""The preview's reload script and the digest that tells the tab to reload whole."""

from __future__ import annotations

import os
from pathlib import Path

from site_builder.reload import Shell, with_script


def test_the_digest_follows_the_stylesheets_and_scripts_contents(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "assets" / "site-builder").mkdir(parents=True)
    (site / "assets" / "charts").mkdir()
    css = site / "assets" / "site-builder" / "site-builder.css"
    css.write_text("figure { margin: 0 }", encoding="utf-8")
    extra = site / "extra.css"  # outside assets/: named in mkdocs.yml
    extra.write_text("p { color: red }", encoding="utf-8")
    shell = Shell(site, ["extra.css", "https://example.org/elsewhere.js"])
    first = shell.digest()
    os.utime(css, ns=(1, 1))  # written again, the same
    assert shell.digest() == first
    # A chart's files are named by their content: a new one is no new stylesheet.
    (site / "assets" / "charts" / "c.1234abcd.js").write_text("{}", encoding="utf-8")
    assert shell.digest() == first
    css.write_text("figure { margin: 1px }", encoding="utf-8")
    second = shell.digest()
    assert second != first
    extra.write_text("p { color: blue }", encoding="utf-8")
    assert shell.digest() not in (first, second)


def test_the_script_goes_before_the_body_ends_with_its_digest() -> None:
    html = b"<html><body><p>Text</p></body></html>"
    out = with_script(html, 1234, "abcd")
    assert out.startswith(b'<html><body><p>Text</p><script data-sb-shell="abcd">')
    assert out.endswith(b"</script></body></html>")
    assert b"(1234, " in out and b'"abcd")' in out
    assert not any(k in out for k in (b"__EPOCH__", b"__REQUEST__", b"__SHELL__"))
