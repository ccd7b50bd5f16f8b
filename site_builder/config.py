"""The plugin's options in mkdocs.yml (one typed MkDocs config, shared by the plugin and the
CLI), and the pipeline's settings made from them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

from . import pipeline
from .descriptor import Limits
from .pagelinks import nav_files


class SiteBuilderConfig(Config):
    enabled = c.Type(bool, default=True)
    """Turn the plugin off; chart blocks and facts are then left as written."""
    data_dir = c.Type(str, default="data")
    """Folder holding `datapackage.yaml`, its CSV files and `facts.yaml`, relative to mkdocs.yml."""
    charts_dir = c.Type(str, default="charts")
    """Folder of chart modules (`*.py`), relative to mkdocs.yml."""
    cache_dir = c.Type(str, default=".cache")
    """Where rendered charts are kept between builds, relative to mkdocs.yml."""
    render_workers = c.Type(int, default=0)
    """Processes that render charts; 0 means one per core (at most 4)."""
    max_columns = c.Type(int, default=Limits.max_columns)
    """Most columns a table may have."""
    max_cell_chars = c.Type(int, default=Limits.max_cell_chars)
    """Longest text cell, in characters."""
    max_data_mb = c.Type(int, default=Limits.max_data_mb)
    """Most megabytes the data package's files may hold together."""
    atomic = c.Type(bool, default=True)
    """Build into a staging folder and swap it in only when the build succeeds."""
    csp = c.Type(bool, default=True)
    """Give every page a strict Content-Security-Policy: a <meta> tag, and `_headers` at the
    site's root for hosts that read it (Netlify, Cloudflare Pages)."""
    csp_extra = c.Type(dict, default={})
    """Sources to allow besides the site's own, by directive, e.g.
    `{img-src: [https://tiles.example.org]}`."""


def settings_from(config: Any, plugin_config: SiteBuilderConfig) -> pipeline.Settings:
    """Absolute paths for the pipeline, from MkDocs' config and ours."""
    root = Path(config.config_file_path).resolve().parent
    return pipeline.Settings(
        root=root,
        docs_dir=Path(config.docs_dir).resolve(),
        data_dir=(root / plugin_config.data_dir).resolve(),
        charts_dir=(root / plugin_config.charts_dir).resolve(),
        cache_dir=(root / plugin_config.cache_dir / "site-builder").resolve(),
        workers=plugin_config.render_workers,
        limits=Limits(
            plugin_config.max_columns, plugin_config.max_cell_chars, plugin_config.max_data_mb
        ),
        nav=nav_files(config.nav),
        config_file=Path(config.config_file_path).resolve(),
        directory_urls=bool(config.use_directory_urls),
    )
