"""`site-builder`: build, serve, check, render."""

from __future__ import annotations

import atexit
import errno
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import click

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

CONFIG_HELP = "The MkDocs configuration file."


def _load(config_file: str) -> tuple[object, object]:
    """MkDocs' config and our plugin's, or a clean error."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import ConfigurationError

    from .errors import settings_problem

    try:
        config = load_config(config_file=config_file)
    except ConfigurationError as exc:
        raise click.ClickException(str(settings_problem(exc, shown=config_file))) from None
    plugin = config.plugins.get("site-builder")
    if plugin is None:
        raise click.ClickException(
            f"{config_file}: the 'site-builder' plugin is not enabled; add it under 'plugins:'"
        )
    return config, plugin


def _settings(config_file: str):  # type: ignore[no-untyped-def]
    from .config import settings_from

    config, plugin = _load(config_file)
    return settings_from(config, plugin.config)  # type: ignore[attr-defined]


def _read_page(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return ""  # reported by the page scan already


def _pin_build_date(config_file: str) -> None:
    """Dates in the site come from the last commit unless SOURCE_DATE_EPOCH says otherwise."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        return
    try:
        out = subprocess.run(
            ["git", "log", "-1", "--format=%ct"],
            cwd=Path(config_file).resolve().parent,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return
    if out.isdigit():
        os.environ["SOURCE_DATE_EPOCH"] = out


def _mkdocs(args: list[str]) -> None:
    """Run a MkDocs command; its errors end ours (said by click, as MkDocs would), but an
    unreadable mkdocs.yml is said at its line."""
    from mkdocs.__main__ import cli as mkdocs_cli
    from mkdocs.exceptions import ConfigurationError

    from .errors import settings_problem

    try:
        status = mkdocs_cli.main(args, prog_name="site-builder", standalone_mode=False)
    except ConfigurationError as exc:
        shown = args[args.index("-f") + 1] if "-f" in args[:-1] else "mkdocs.yml"
        raise click.ClickException(str(settings_problem(exc, shown=shown))) from None
    sys.exit(status or 0)


def run() -> None:
    """The `site-builder` program: a command, then an exit that skips the interpreter's own
    teardown. With pandas, Arrow and Altair loaded, that teardown took ~0.4 s of each build
    that read a table; what a normal exit does first still runs: other threads are joined and
    the exit handlers (render pool, logging) run."""
    try:
        main(standalone_mode=True)
        status = 0
    except SystemExit as exc:
        status = exit_status(exc.code)
    threading._shutdown()  # type: ignore[attr-defined]  # as the interpreter does at exit
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a full disk, a closed pipe: as the interpreter says
            status = status or 120
    os._exit(status)


def exit_status(code: object) -> int:
    """The process's exit status for `sys.exit(code)`, as the interpreter would give it."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    print(code, file=sys.stderr)
    return 1


@click.group()
@click.version_option(package_name="site-builder")
def main() -> None:
    """Build data stories from CSV files, Altair charts and Markdown."""


@main.command()
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help=CONFIG_HELP)
@click.option(
    "--strict/--no-strict",
    default=True,
    show_default=True,
    help="Fail on warnings as well as errors.",
)
@click.option(
    "--shard",
    metavar="I/N",
    help="Only render share I of N of the charts into the cache (one of N machines); a "
    "build without --shard then assembles the site from the cache.",
)
@click.option(
    "--prune-cache",
    is_flag=True,
    help="After a good build, remove what the cache holds that this build did not use "
    "(for a cache carried from build to build, as in CI).",
)
def build(config_file: str, strict: bool, shard: str | None, prune_cache: bool) -> None:
    """Build the site into site/ (swapped in only if the build succeeds)."""
    _pin_build_date(config_file)
    if shard is not None:
        _render_shard(config_file, shard)
        return
    started = time.time()
    from . import chartprocess

    # Its imports overlap MkDocs' start-up; ended at once if the build does not need it.
    chartprocess.start_for(Path(config_file).resolve().parent)
    try:
        # Said either way: --no-strict must win over `strict: true` in mkdocs.yml.
        _mkdocs(["build", "-f", config_file, "--strict" if strict else "--no-strict"])
    except SystemExit as exc:  # click ends the MkDocs command this way, good or not
        if exc.code in (0, None) and prune_cache:
            _prune(config_file, started)
        raise
    if prune_cache:
        _prune(config_file, started)


def _prune(config_file: str, started: float) -> None:
    from .cache import prune_unused

    # On a file system that keeps times to the second, an entry used in the build's first
    # second may go too: it is only made again next time.
    removed = prune_unused(_settings(config_file).cache_dir, started)
    click.echo(f"cache: {removed} files no longer used removed", err=True)


def _render_shard(config_file: str, shard: str) -> None:
    from .errors import WriterError
    from .shards import parse_shard, render_shard

    try:
        index, count = parse_shard(shard)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--shard") from None
    start = time.perf_counter()
    try:
        fresh, cached = render_shard(_settings(config_file), index, count)
    except WriterError as exc:
        click.echo(exc.report(), err=True)
        sys.exit(1)
    click.echo(
        f"shard {index}/{count}: {fresh} charts rendered, {cached} from cache, in "
        f"{time.perf_counter() - start:.2f} s; build without --shard to assemble the site"
    )


@main.command()
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help=CONFIG_HELP)
@click.option(
    "-a",
    "--dev-addr",
    default="127.0.0.1:8000",
    show_default=True,
    help="Address to serve the preview on.",
)
def serve(config_file: str, dev_addr: str) -> None:
    """Preview the site with live reload on changes to content, data and charts."""
    _check_address(dev_addr, config_file)
    # --dirty: a rebuild writes only the pages a change reaches (plugin.py, reach.py).
    args = ["serve", "-f", config_file, "-a", dev_addr, "--dirty"]
    # mkdocs-static-i18n builds the other editions dirty only when its command line says so.
    sys.argv = [sys.argv[0], *args]
    _mkdocs(args)


def _check_address(dev_addr: str, config_file: str = "mkdocs.yml") -> None:
    """Stop at once, with a free address to use, when the preview's is taken or not one."""
    import socket

    host, _, port = dev_addr.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise click.BadParameter(
            f"'{dev_addr}' is not an address: write host:port (a port from 1 to 65535), e.g. "
            "127.0.0.1:8000",
            param_hint="-a/--dev-addr",
        )

    def taken(number: int) -> OSError | None:
        try:
            with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
                # As the preview's server binds: a port left by a closed one is free.
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                probe.bind((host.strip("[]"), number))
        except OSError as exc:
            return exc
        return None

    problem = taken(int(port))
    if problem is None:
        return
    if problem.errno != errno.EADDRINUSE:
        raise click.ClickException(f"cannot serve on {dev_addr}: {problem.strerror or problem}")
    free = next((n for n in range(int(port) + 1, int(port) + 50) if not taken(n)), None)
    config = f" -f {config_file}" if config_file != "mkdocs.yml" else ""
    hint = f"site-builder serve{config} -a {host}:{free}" if free else "another port with -a"
    raise click.ClickException(
        f"{dev_addr} is in use (another preview, or another program)\n"
        f"  hint: stop it, or preview on a free port: {hint}"
    )


@main.command()
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help=CONFIG_HELP)
def check(config_file: str) -> None:
    """Validate data, charts, chart references and facts without writing the site."""
    from . import pipeline
    from .config import settings_from
    from .errors import WriterError
    from .pageids import clashes, slugify_of

    start = time.perf_counter()
    config, plugin = _load(config_file)
    settings = settings_from(config, plugin.config)  # type: ignore[attr-defined]
    try:
        project = pipeline.prepare(settings)
        # What only the pages' HTML shows a build: a chart with a heading's id.
        slugify = slugify_of(config.mdx_configs)  # type: ignore[attr-defined]
        extensions = config.markdown_extensions  # type: ignore[attr-defined]
        attr_list = any(str(e).endswith("attr_list") for e in extensions)
        found = [
            problem
            for name, refs in project.pages.items()
            if refs.charts
            for problem in clashes(refs, _read_page(settings.docs_dir / name), slugify, attr_list)
        ]
        if found:
            raise WriterError(found)
    except WriterError as exc:
        click.echo(exc.report(), err=True)
        sys.exit(1)
    n_refs = sum(len(p.charts) for p in project.pages.values())
    click.echo(
        f"ok: {len(project.catalog.datasets)} datasets, {len(project.charts)} charts, "
        f"{len(project.facts)} facts, {len(project.pages)} pages ({n_refs} chart blocks) "
        f"checked in {time.perf_counter() - start:.2f} s"
    )


@main.command()
@click.argument("site_dir", default="site", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--base-path",
    default="/",
    show_default=True,
    help="The path the site is served under, e.g. /repo/ on GitHub Pages.",
)
def linkcheck(site_dir: Path, base_path: str) -> None:
    """Check that every internal link, anchor, asset and download of a built site resolves."""
    from .linkcheck import check_site

    if not site_dir.is_dir():
        raise click.ClickException(f"{site_dir} is not a folder: build the site first")
    problems = check_site(site_dir, base_path if base_path.endswith("/") else base_path + "/")
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        raise click.ClickException(f"{len(problems)} broken links")
    click.echo(f"ok: every internal link of {site_dir} resolves")


@main.command("describe")
@click.argument("csv_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help=CONFIG_HELP)
def describe_(csv_file: Path, config_file: str) -> None:
    """Add CSV_FILE to data/datapackage.yaml, with the schema inferred from the file."""
    from .describe import add_resource, infer_resource
    from .errors import Problem, WriterError
    from .paths import shown_path

    settings = _settings(config_file)
    data_dir = settings.data_dir
    descriptor = data_dir / "datapackage.yaml"
    shown = shown_path(str(descriptor), settings.root)
    csv_shown = shown_path(str(csv_file), settings.root)
    data_shown = shown_path(str(data_dir), settings.root)
    try:
        if not csv_file.is_file():
            raise WriterError(Problem(csv_shown, "no such file", "give the path of a CSV file"))
        if not csv_file.resolve().is_relative_to(data_dir.resolve()):
            raise WriterError(
                Problem(
                    csv_shown,
                    f"the file is not in the data folder ({data_shown})",
                    "move it there first: the data package describes the files beside it",
                )
            )
        has_licence = _package_has_licence(descriptor)
        entry = infer_resource(
            csv_file, data_dir, csv_shown, has_licence, settings.limits.max_columns
        )
        line = add_resource(descriptor, shown, entry)
    except WriterError as exc:
        click.echo(exc.report(), err=True)
        sys.exit(1)
    fields = ", ".join(f"{f['name']} ({f['type']})" for f in entry["schema"]["fields"])
    click.echo(f"added resource '{entry['name']}' to {shown}:{line}: {fields}")
    if entry.get("encoding") == "cp1252":
        click.echo(
            "the file is not UTF-8: it is read as Windows-1252 (Excel's 'CSV' on Windows), "
            "said with 'encoding: cp1252'; check its accented letters in the data table, or "
            "save it as 'CSV UTF-8' and remove that line"
        )
    click.echo("fill in what is marked TODO; `site-builder check` lists what is left")


def _package_has_licence(descriptor: Path) -> bool:
    import yaml

    try:
        package = yaml.safe_load(descriptor.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return False
    return isinstance(package, dict) and bool(package.get("licenses"))


@main.group()
def new() -> None:
    """Start something new from a template."""


@new.command("story")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def new_story(folder: Path) -> None:
    """Write a small working story into FOLDER: a page, a CSV, a chart, a fact, mkdocs.yml."""
    from .scaffold import write_story

    try:
        written = write_story(folder)
    except FileExistsError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"wrote {len(written)} files into {folder}; now:\n")
    click.echo(f"  cd {folder}\n  site-builder build    # the site, in site/")
    click.echo("  site-builder serve    # a live preview at http://127.0.0.1:8000")


@new.command("chart")
@click.argument("chart_id")
@click.option("--data", "dataset", required=True, help="The dataset the chart draws.")
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help=CONFIG_HELP)
def new_chart(chart_id: str, dataset: str, config_file: str) -> None:
    """Write charts/<chart_id>.py, a working chart of DATASET, and print the block to paste."""
    from .charts import SLUG
    from .discovery import discover
    from .errors import WriterError, nearest
    from .pipeline import load_data
    from .scaffold import chart_module

    if not SLUG.match(chart_id):
        raise click.ClickException(
            f"'{chart_id}' is not a chart id: use lowercase letters, digits and hyphens"
        )
    settings = _settings(config_file)
    # The data alone: a page that already names the new chart, or another chart's mistake,
    # is for `check` to report, not a reason to refuse the chart that page waits for.
    try:
        catalog = load_data(settings)
    except WriterError as exc:
        click.echo(exc.report(), err=True)
        raise click.ClickException("fix the problems above first") from None
    existing = {c.id: c for c in discover(settings.charts_dir, settings.root).charts}
    if chart_id in existing:
        where = existing[chart_id]
        raise click.ClickException(f"chart '{chart_id}' already exists ({where.path}:{where.line})")
    if dataset not in catalog.datasets:
        raise click.ClickException(
            f"unknown dataset '{dataset}'; {nearest(dataset, catalog.names())}"
        )
    target = settings.charts_dir / f"{chart_id.replace('-', '_')}.py"
    if target.exists():
        raise click.ClickException(f"{target} already exists")
    try:
        source = chart_module(chart_id, catalog.datasets[dataset])
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    settings.charts_dir.mkdir(parents=True, exist_ok=True)
    target.write_text(source, encoding="utf-8")
    click.echo(f"wrote {target.relative_to(settings.root)}; paste this into a page:\n")
    click.echo(f"/// chart | {chart_id}\n///")


@main.command("list")
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help=CONFIG_HELP)
def list_(config_file: str) -> None:
    """Datasets, charts and facts, with where each is used."""
    from . import pipeline
    from .errors import WriterError

    try:
        project = pipeline.prepare(_settings(config_file))
    except WriterError as exc:
        click.echo(exc.report(), err=True)
        sys.exit(1)
    pages = project.pages.values()
    click.echo("Datasets:")
    for name, ds in sorted(project.catalog.datasets.items()):
        users = sorted(c.id for c in project.charts.values() if name in c.datasets)
        rows = f"{ds.row_count} rows" if ds.is_table else "JSON"
        click.echo(f"  {name:<28} {ds.path} ({rows}); charts: {', '.join(users) or '-'}")
    click.echo("Charts:")
    for chart_id, chart in sorted(project.charts.items()):
        shown = sorted(f"{p.path}:{line}" for p in pages for c, line in p.charts if c == chart_id)
        d = chart.definition
        click.echo(f"  {chart_id:<28} {d.path}:{d.line}; on: {', '.join(shown) or '-'}")
    click.echo("Facts:")
    for fact_id, fact in sorted(project.facts.items()):
        used = sorted(f"{p.path}:{line}" for p in pages for f, line, _ in p.facts if f == fact_id)
        click.echo(f"  {fact_id:<28} {fact.text!r}; in: {', '.join(used) or '-'}")


@main.command()
@click.argument("chart_id")
@click.option(
    "--format", "fmt", type=click.Choice(["svg", "png", "json"]), default="svg", show_default=True
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (default: <chart-id>.<format>).",
)
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True, help=CONFIG_HELP)
def render(chart_id: str, fmt: str, output: Path | None, config_file: str) -> None:
    """Render one chart to a file."""
    from . import pipeline
    from .errors import WriterError, nearest
    from .figures import chart_svg
    from .render import image_png, render_charts

    try:
        project = pipeline.prepare(_settings(config_file))
        if chart_id not in project.charts:
            raise click.ClickException(
                f"unknown chart '{chart_id}'; {nearest(chart_id, list(project.charts))}"
            )
        chart = project.charts[chart_id]
        result = render_charts(
            [chart], project.settings.cache_dir, workers=1, sources_of=project.sources_of
        )[chart_id]
    except WriterError as exc:
        click.echo(exc.report(), err=True)
        sys.exit(1)
    output = output or Path(f"{chart_id}.{fmt}")
    if fmt == "svg":
        output.write_text(chart_svg(project, chart_id, result.svg), encoding="utf-8")
    elif fmt == "png":
        output.write_bytes(image_png(result.image_svg))
    else:
        output.write_text(result.spec_json + "\n", encoding="utf-8")
    click.echo(f"wrote {output}")
