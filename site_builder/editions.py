"""Editions: one story in several languages, as mkdocs-static-i18n builds it.

That plugin builds the default language first, then each other language as a whole MkDocs
build of its own, run from inside the first build's `on_post_build`. Our plugin asks here
which edition a build is for. Part of the MkDocs adapter (the core never imports it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from typing import Any

I18N_PLUGIN = "i18n"
# mkdocs-static-i18n warns that Material's language switcher goes stale under instant
# navigation; site-builder.js keeps it current (and the switch a full page load).
INSTANT_WARNING = "mkdocs-material language switcher contextual link is not compatible"


@dataclass(frozen=True)
class Edition:
    """The language one build writes."""

    locale: str  # as declared in mkdocs.yml, e.g. "en" or "zh"
    default: bool

    @property
    def prefix(self) -> str:
        """Where its pages are, from the site root: "" for the default, else "zh/"."""
        return "" if self.default else f"{self.locale}/"


def current_edition(config: Any) -> Edition | None:
    """The edition being built; None for a project with one language (no i18n plugin)."""
    i18n = config.plugins.get(I18N_PLUGIN)
    if i18n is None:
        return None
    default = i18n.default_language
    locale = i18n.current_language or default
    return Edition(locale, locale == default)


def languages(config: Any) -> list[str]:
    """Every language built, the default first; [] without the i18n plugin."""
    i18n = config.plugins.get(I18N_PLUGIN)
    if i18n is None:
        return []
    built = list(i18n.build_languages)
    return sorted(built, key=lambda locale: locale != i18n.default_language)


def no_instant_warning(record: Any) -> bool:
    """Logging filter: drop the i18n plugin's instant-navigation warning (see INSTANT_WARNING)."""
    return INSTANT_WARNING not in record.getMessage()


def alternates(file: Any) -> dict[str, str]:
    """The page in each edition that has it in its language, by locale: its URL from the site
    root (mkdocs-static-i18n gives each page file its `alternates`; an edition without a
    translation borrows the default page, which is not an alternate)."""
    found = getattr(file, "alternates", None) or {}
    return {
        locale: other.url
        for locale, other in sorted(found.items())
        if getattr(other, "locale", locale) == locale
    }


def page_locale(file: Any, edition: Edition) -> str:
    """The language a page is written in: a page that the edition borrows from the default
    one (it has no translation yet) is in the default language."""
    return str(getattr(file, "locale", None) or edition.locale)


_HEAD_ALTERNATE = re.compile(r'<link rel="alternate" href="[^"]*" hreflang="[^"]*">')
_SELECT_LINK = re.compile(r'<a href="([^"]*)" hreflang="([^"]*)" class="md-select__link">')
_ARTICLE = re.compile(r'(<article class="md-content__inner md-typeset")>')


def finish_page(
    html: str, links: str, written_in: str, edition: Edition, targets: dict[str, str]
) -> str:
    """A page of an edition: `links` to it in the other editions at the top of its article;
    its text marked with its own language when it is borrowed from another edition; and
    Material's language links out of the <head>. (Material's language selector fetches a
    sitemap.xml next to each such link, and a page's folder has none: a 404 on every page.
    The pages' alternates are in sitemap.xml, as search engines read them.) The language
    selector's links go to `targets` (locale -> link from this page), which are relative:
    mkdocs-static-i18n makes the home pages' links absolute ("/zh/"), lost under a sub-path."""
    html = _HEAD_ALTERNATE.sub("", html)
    html = _SELECT_LINK.sub(
        lambda m: (
            f'<a href="{escape(targets.get(m.group(2), m.group(1)))}" hreflang="{m.group(2)}" '
            'class="md-select__link">'
        ),
        html,
    )
    attributes = f' lang="{escape(written_in)}"' if written_in != edition.locale else ""
    return _ARTICLE.sub(lambda m: f"{m.group(1)}{attributes}>{links}", html, count=1)


def links_html(label: str, names: dict[str, str], here: dict[str, str], locale: str) -> str:
    """'Read in: English' (`label`: with {links}; `here`: locale -> link from this page;
    `names`: locale -> the language's name in itself)."""
    items = " · ".join(
        f'<a href="{escape(href)}" hreflang="{escape(other)}" lang="{escape(other)}">'
        f"{escape(names.get(other, other))}</a>"
        for other, href in here.items()
        if other != locale
    )
    if not items:
        return ""
    return f'<p class="sb-editions">{escape(label).format(links=items)}</p>'


def language_names(config: Any) -> dict[str, str]:
    i18n = config.plugins.get(I18N_PLUGIN)
    if i18n is None:
        return {}
    return {lang.locale: lang.name for lang in i18n.config.languages}


def sitemap_xml(site_url: str | None, pages: dict[str, dict[str, str]], lastmod: str) -> str:
    """Every page of every edition with its alternates (hreflang), as search engines read
    them. `pages`: URL from the site root -> {locale: URL}. Without the site's address there
    are no absolute URLs to list, and the sitemap is empty (as MkDocs writes it)."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    base = site_url.rstrip("/") + "/" if site_url else ""
    for url, others in sorted(pages.items()) if base else []:
        lines.append(f"<url><loc>{escape(base + _path(url))}</loc><lastmod>{lastmod}</lastmod>")
        for locale, other in sorted(others.items()):
            lines.append(
                f'<xhtml:link rel="alternate" hreflang="{escape(locale)}" '
                f'href="{escape(base + _path(other))}"/>'
            )
        lines.append("</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def _path(url: str) -> str:
    return "" if url in ("", "./", ".") else url
