"""The ``clustermap`` command line: a thin layer over the public API.

Subcommands live in :mod:`clustermap.commands`, one module each, and are
discovered at start-up: a module that defines ``command`` (a
:class:`click.Command`) or ``commands`` (a list of them) adds them.
Every subcommand that reads a network takes input the same way
(:func:`network_input`): ``--nodes FILE[:kind]`` (repeatable), ``--links FILE``
(repeatable), ``--columns ours=theirs,...``, or ``--network net.cmap``.
A :class:`~clustermap.errors.ClusterMapError` becomes a message on stderr and
exit status 2, never a traceback.
"""

from __future__ import annotations

import functools
import importlib
import logging
import pkgutil
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from clustermap.errors import ClusterMapError, ConfigError
from clustermap.graphs.network import ClusterNetwork

__all__ = ["console", "main", "network_input", "parse_columns"]

log = logging.getLogger("clustermap")


def console() -> Any:
    """The rich console on stderr used for progress and status."""
    from rich.console import Console

    return Console(stderr=True)


class _Group(click.Group):
    """A group that discovers its subcommands lazily and turns errors into exit status 2."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        _register()
        return super().list_commands(ctx)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        _register()
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ClusterMapError as exc:
            click.echo(f"clustermap: error: {exc}", err=True)
            sys.exit(2)


def parse_columns(values: tuple[str, ...]) -> dict[str, str]:
    """Parse ``--columns id=firm_id,source=supplier_id`` (repeatable) into a dict.

    Examples
    --------
    >>> parse_columns(("id=firm_id,source=supplier_id", "value=value_eur"))
    {'id': 'firm_id', 'source': 'supplier_id', 'value': 'value_eur'}
    """
    mapping: dict[str, str] = {}
    for value in values:
        for part in value.split(","):
            if not part.strip():
                continue
            ours, sep, theirs = part.partition("=")
            if not sep or not ours.strip() or not theirs.strip():
                msg = f"--columns takes ours=theirs pairs (e.g. id=firm_id), not {part!r}"
                raise ConfigError(msg)
            mapping[ours.strip()] = theirs.strip()
    return mapping


def load_network(
    *,
    nodes: tuple[str, ...],
    links: tuple[str, ...],
    network: str | None,
    columns: tuple[str, ...],
    sheet: str | None,
    layer: str | None,
    drop_dangling: bool,
    self_loops: str,
    encoding: str | None = None,
    delimiter: str | None = None,
    no_header: bool = False,
    keep_placeholders: bool = False,
    fix_text: bool = False,
) -> ClusterNetwork:
    """Load the network described by the shared input options."""
    if network:
        if nodes or links:
            msg = "give either --network or --nodes/--links, not both"
            raise ConfigError(msg)
        return ClusterNetwork.load(network)
    if not nodes and not links:
        msg = "no input: give --nodes FILE[:kind] and --links FILE, or --network FILE.cmap"
        raise ConfigError(msg)
    if len(nodes) == 1 and nodes[0].endswith(".cmap") and not links:
        return ClusterNetwork.load(nodes[0])
    sheet_arg: str | int | None = int(sheet) if sheet is not None and sheet.isdigit() else sheet
    try:
        return _read(
            nodes,
            links,
            sheet_arg,
            columns,
            layer,
            drop_dangling,
            self_loops,
            encoding,
            delimiter,
            no_header,
            keep_placeholders,
            fix_text,
        )
    except ClusterMapError as exc:
        raise type(exc)(cli_wording(str(exc))) from None


_PAIR = re.compile(r"'([^']*)': '([^']*)'")
_CLI_WORDS = (
    (
        re.compile(r"columns=\{([^}]*)\}"),
        lambda m: "--columns " + ",".join(f"{a}={b}" for a, b in _PAIR.findall(m.group(1))),
    ),
    (re.compile(r"layer='([^']*)'(?:, --layer [\w-]+)?"), lambda m: f"--layer {m.group(1)}"),
    (re.compile(r"drop_dangling=True / --drop-dangling"), lambda m: "--drop-dangling"),
    (
        re.compile(r"self_loops='drop' or 'keep', --self-loops on the command line"),
        lambda m: "--self-loops drop or --self-loops keep",
    ),
    (re.compile(r"sheet= \(--sheet on the command line\)"), lambda m: "--sheet"),
    (
        re.compile(r"; on the command line map yours with --columns, e\.g\. --columns id=firm_id"),
        lambda m: "",
    ),
    (re.compile(r"kind='([^']*)'"), lambda m: f"FILE:{m.group(1)} after --nodes"),
)


def cli_wording(message: str) -> str:
    """Say the command-line options where a library message names Python arguments.

    Examples
    --------
    >>> cli_wording("map yours, e.g. columns={'source': 'supplier_id', 'target': 'firm_id'}")
    'map yours, e.g. --columns source=supplier_id,target=firm_id'
    """
    for pattern, repl in _CLI_WORDS:
        message = pattern.sub(repl, message)
    return message


def _read(
    nodes: tuple[str, ...],
    links: tuple[str, ...],
    sheet_arg: str | int | None,
    columns: tuple[str, ...],
    layer: str | None,
    drop_dangling: bool,
    self_loops: str,
    encoding: str | None,
    delimiter: str | None,
    no_header: bool,
    keep_placeholders: bool,
    fix_text: bool,
) -> ClusterNetwork:
    from clustermap.loaders.files import read_tables

    return read_tables(
        list(nodes) or None,
        list(links) or None,
        sheet=sheet_arg,
        columns=parse_columns(columns),
        layer=layer,
        drop_dangling=drop_dangling,
        self_loops=self_loops,  # type: ignore[arg-type]
        encoding=encoding,
        delimiter=_delimiter(delimiter),
        header=not no_header,
        keep_placeholders=keep_placeholders,
        fix_text=fix_text,
    )


def _delimiter(value: str | None) -> str | None:
    """``--delimiter tab`` (or a backslash and t) means a tab."""
    if value is None:
        return None
    return {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}.get(
        value.lower(), value
    )


def network_input(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add the shared input options to a command and pass it the loaded ``net``."""
    options = [
        click.option(
            "--nodes",
            multiple=True,
            metavar="FILE[:kind]",
            help="Node table (repeatable). FILE:firm gives the whole file one kind.",
        ),
        click.option("--links", multiple=True, metavar="FILE", help="Links table (repeatable)."),
        click.option(
            "--network", "network", metavar="FILE.cmap", help="A network saved by `build`."
        ),
        click.option(
            "--columns",
            multiple=True,
            metavar="OURS=YOURS,...",
            help="Map your column names, e.g. id=firm_id,source=supplier_id,value=value_eur.",
        ),
        click.option("--sheet", help="Excel sheet (name or 0-based number)."),
        click.option("--layer", help="Layer of links files that have no layer column."),
        click.option(
            "--drop-dangling", is_flag=True, help="Drop links to unknown ids instead of failing."
        ),
        click.option(
            "--self-loops",
            type=click.Choice(["error", "drop", "keep"]),
            default="error",
            show_default=True,
            help="What to do with links from an actor to itself.",
        ),
        click.option(
            "--encoding",
            metavar="NAME",
            help="Encoding of text files (e.g. utf-8, cp1252, big5); detected per file by default.",
        ),
        click.option(
            "--delimiter",
            metavar="CHAR",
            help="Delimiter of text files (e.g. ';', ':', tab); sniffed by default.",
        ),
        click.option(
            "--no-header",
            is_flag=True,
            help="Links files have no header row: their columns are source, target and "
            "then weight (numbers) or layer (text).",
        ),
        click.option(
            "--keep-placeholders",
            is_flag=True,
            help="Keep ids such as #N/A, NULL, N/A or - instead of dropping their rows.",
        ),
        click.option(
            "--fix-text",
            is_flag=True,
            help="Repair mis-encoded text (UniversitÃ¤t -> Universität) with ftfy.",
        ),
    ]

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        keys = (
            "nodes",
            "links",
            "network",
            "columns",
            "sheet",
            "layer",
            "drop_dangling",
            "encoding",
            "delimiter",
            "no_header",
            "keep_placeholders",
            "fix_text",
        )
        given = {k: kwargs.pop(k) for k in keys}
        given["self_loops"] = kwargs.pop("self_loops")
        with console().status("reading the network..."):
            net = load_network(**given)
        log.info("loaded %r", net)
        return func(*args, net=net, **kwargs)

    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper


def _configure_logging(verbose: int, quiet: bool) -> None:
    from rich.logging import RichHandler

    level = (
        logging.ERROR if quiet else (logging.WARNING, logging.INFO, logging.DEBUG)[min(verbose, 2)]
    )
    handler = RichHandler(console=console(), show_time=False, show_path=False)
    root = logging.getLogger("clustermap")
    root.handlers[:] = [handler]
    root.setLevel(level)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", count=True, help="More messages (-vv for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors.")
@click.version_option(package_name="clustermap")
def main(verbose: int, quiet: bool) -> None:
    """Map industrial clusters as networks: firms, suppliers and institutions."""
    _configure_logging(verbose, quiet)


_registered: list[bool] = []


def _register() -> None:
    """Add the subcommands of :mod:`clustermap.commands`, once.

    Called on first use rather than at import, so that importing a command
    module first (as doctest collection does) cannot leave it half-registered.
    """
    if _registered:
        return
    _registered.append(True)
    import clustermap.commands as commands

    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        found = getattr(module, "commands", None) or [getattr(module, "command", None)]
        for command in found:
            if isinstance(command, click.Command):
                main.add_command(command)


def out_path(path: str | None, default: str) -> Path:
    """The output path of a command, with its folder created."""
    p = Path(path or default)
    p.parent.mkdir(parents=True, exist_ok=True)
    return p
