"""The ``clustermap`` command line: a thin layer over the public API.

Subcommands live in :mod:`clustermap.commands`, one module each. The
command line finds them without importing them (it reads the modules' source
for ``@click.command`` functions, their names and help), so ``clustermap
--help`` and option errors stay fast; a command's module is imported only when
that command runs. A module that defines ``command`` (a
:class:`click.Command`) or ``commands`` (a list of them) adds them.
Every subcommand that reads a network takes input the same way
(:func:`network_input`): ``--nodes FILE[:kind]`` (repeatable), ``--links FILE``
(repeatable), ``--columns ours=theirs,...``, or ``--network net.cmap``.

Errors: a :class:`~clustermap.errors.ClusterMapError`, a usage error, a file
that cannot be written or read, all become one line on stderr and exit
status 2, never a traceback. Ctrl-C and SIGTERM stop cleanly (status 130 and
143), with no half-written file left behind. Everything printed goes through
:func:`clustermap._terminal.printable`, so names holding escape sequences
cannot drive the terminal.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import importlib
import importlib.util
import inspect
import logging
import os
import pkgutil
import re
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from clustermap._terminal import PrintableFilter, PrintableWriter, printable
from clustermap.errors import ClusterMapError, ConfigError, InputError

if TYPE_CHECKING:
    from clustermap.graphs.network import ClusterNetwork

__all__ = [
    "ANONYMIZE_SALT_ENV",
    "anonymize_option",
    "console",
    "echo",
    "folder_option",
    "main",
    "network_input",
    "out_path",
    "output_option",
    "parse_columns",
]

log = logging.getLogger("clustermap")

#: Environment variable read by ``--anonymize-salt`` (keeps the salt out of shell history).
ANONYMIZE_SALT_ENV = "CLUSTERMAP_ANONYMIZE_SALT"


def console() -> Any:
    """The rich console on stderr used for progress and status."""
    from rich.console import Console

    return Console(stderr=True)


def echo(text: object = "", *, err: bool = False) -> None:
    """Print ``text`` with every control character escaped (names come from spreadsheets)."""
    click.echo(printable(text), err=err)


def _one_line(text: object) -> str:
    return printable("; ".join(x.strip() for x in str(text).splitlines() if x.strip()))


class _Group(click.Group):
    """A group that finds its subcommands lazily and turns errors into one line and exit 2."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(_catalogue()) | set(self.commands))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands:
            entry = _catalogue().get(cmd_name)
            if entry is not None:
                _load(entry[0])
                if cmd_name not in self.commands:  # the source said so, the module not
                    _register()
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        found = _catalogue()
        if not found:  # no source to read (a frozen install): import every command
            super().format_commands(ctx, formatter)
            return
        rows = []
        for name in self.list_commands(ctx):
            cmd = self.commands.get(name) or found[name][1]
            if not cmd.hidden:
                rows.append((name, cmd))
        if rows:
            limit = formatter.width - 6 - max(len(name) for name, _ in rows)
            with formatter.section("Commands"):
                formatter.write_dl([(name, cmd.get_short_help_str(limit)) for name, cmd in rows])

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        run: Any = super().main  # click's overloads do not cover forwarding *args
        if not standalone_mode:
            return run(*args, standalone_mode=False, **kwargs)
        with _stop_on_sigterm(), _printable_stdout():
            try:
                rv = run(*args, standalone_mode=False, **kwargs)
            except click.exceptions.Exit as exc:
                sys.exit(exc.exit_code)
            except _Terminated as exc:
                click.echo("clustermap: terminated; no partial file was left", err=True)
                sys.exit(exc.code)
            except (click.exceptions.Abort, KeyboardInterrupt):
                click.echo("clustermap: interrupted", err=True)
                sys.exit(130)
            except click.ClickException as exc:
                hint = ""
                ctx = getattr(exc, "ctx", None)
                if ctx is not None:
                    hint = f" (see '{ctx.command_path} --help')"
                click.echo(f"clustermap: error: {_one_line(exc.format_message())}{hint}", err=True)
                sys.exit(2)
            except ClusterMapError as exc:
                click.echo(f"clustermap: error: {_one_line(exc)}", err=True)
                sys.exit(2)
            except OSError as exc:
                where = f"{exc.filename}: " if exc.filename else ""
                reason = exc.strerror or str(exc)
                click.echo(f"clustermap: error: {_one_line(where + reason)}", err=True)
                sys.exit(2)
            except MemoryError:
                click.echo(
                    "clustermap: error: out of memory; try fewer actors or layers "
                    "(--layers), or a machine with more memory",
                    err=True,
                )
                sys.exit(2)
        sys.exit(rv if isinstance(rv, int) else 0)


@contextlib.contextmanager
def _printable_stdout() -> Iterator[None]:
    """Standard output escapes control characters while a command runs (see PrintableWriter)."""
    original = sys.stdout
    sys.stdout = PrintableWriter(original)
    try:
        yield
    finally:
        sys.stdout = original


class _Terminated(SystemExit):
    """SIGTERM: leave like Ctrl-C does, so temporary files are removed on the way out."""


@contextlib.contextmanager
def _stop_on_sigterm() -> Iterator[None]:
    """Turn SIGTERM into an exception while the command runs (then restore the old handler)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise _Terminated(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


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
    # a missing file is the commonest input error: say so before importing the heavy parts
    parse_columns(columns)
    _check_files_exist([network] if network else [*nodes, *links])
    from clustermap.graphs.network import ClusterNetwork

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


def _check_files_exist(paths: list[str]) -> None:
    """Raise the loaders' "no such file" error for an input that is not there.

    ``FILE:kind`` names the file before the last colon; a path that exists
    as written is taken as it is.
    """
    for given in paths:
        path = Path(given)
        if path.exists():
            continue
        head, sep, _ = given.rpartition(":")
        if sep and head and Path(head).exists():
            continue
        msg = f"{head if sep and head else given}: no such file"
        raise InputError(msg)


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
        network = given["network"]
        parse_columns(given["columns"])  # a mistyped option is said before a missing file
        _check_files_exist([network] if network else [*given["nodes"], *given["links"]])
        with console().status("reading the network..."):
            net = load_network(**given)
        log.info("loaded %r", net)
        return func(*args, net=net, **kwargs)

    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper


def _configure_logging(verbose: int, quiet: bool) -> None:
    level = (
        logging.ERROR if quiet else (logging.WARNING, logging.INFO, logging.DEBUG)[min(verbose, 2)]
    )
    root = logging.getLogger("clustermap")
    root.setLevel(level)
    root.handlers[:] = [_LazyRichHandler()]


class _LazyRichHandler(logging.Handler):
    """Hands records to a rich handler built on first use, so start-up does not import rich.

    Messages are made printable first and rich markup is never interpreted.
    """

    def __init__(self) -> None:
        super().__init__()
        self.addFilter(PrintableFilter())
        self._rich: logging.Handler | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if self._rich is None:
            from rich.logging import RichHandler

            self._rich = RichHandler(
                console=console(), show_time=False, show_path=False, markup=False
            )
        self._rich.handle(record)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", count=True, help="More messages (-vv for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors.")
@click.version_option(package_name="clustermap")
def main(verbose: int, quiet: bool) -> None:
    """Map industrial clusters as networks: firms, suppliers and institutions."""
    _configure_logging(verbose, quiet)


# ----------------------------------------------------------- finding commands

_COMMAND_DECORATORS = {"command", "group"}


def _decorator_call(node: ast.expr) -> ast.Call | None:
    """The ``click.command(...)`` call of a decorator, if it is one."""
    call = node if isinstance(node, ast.Call) else None
    func = call.func if call is not None else node
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    if name not in _COMMAND_DECORATORS:
        return None
    return call or ast.Call(func=func, args=[], keywords=[])


def _command_name(function: str) -> str:
    name = function.lower().replace("_", "-")
    for suffix in ("-command", "-cmd", "-group", "-grp"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def _scan(source: str) -> list[click.Command] | None:
    """Stub commands (name and help) for the ``@click.command`` functions of a module's source.

    ``None`` when the module defines a command some other way (then it is imported).
    """
    tree = ast.parse(source)
    strings = {
        t.id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
        for t in node.targets
        if isinstance(t, ast.Name)
    }

    def text(value: ast.expr) -> Any:
        if isinstance(value, ast.Constant):
            return value.value
        if isinstance(value, ast.Name):
            return strings.get(value.id)
        return None

    found = []
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef):
            continue
        calls = [c for c in map(_decorator_call, node.decorator_list) if c is not None]
        if not calls:
            continue
        call = calls[0]
        keywords = {k.arg: text(k.value) for k in call.keywords if k.arg}
        name = text(call.args[0]) if call.args else keywords.get("name")
        found.append(
            click.Command(
                name or _command_name(node.name),
                help=keywords.get("help") or ast.get_docstring(node),
                short_help=keywords.get("short_help"),
                hidden=bool(keywords.get("hidden")),
            )
        )
    return found or None


@functools.cache
def _catalogue() -> dict[str, tuple[str, click.Command]]:
    """Every subcommand's name -> (its module, a stub with its help), read from the source."""
    import clustermap.commands as commands

    out: dict[str, tuple[str, click.Command]] = {}
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        module = f"{commands.__name__}.{info.name}"
        origin = getattr(importlib.util.find_spec(module), "origin", None)
        stubs = None
        if origin and origin.endswith(".py") and os.path.exists(origin):
            with contextlib.suppress(SyntaxError, OSError, UnicodeDecodeError):
                stubs = _scan(Path(origin).read_text(encoding="utf-8"))
        if stubs is None:  # defined some other way: import it to know
            _load(module)
            stubs = [c for c in main.commands.values() if _origin(c) == module]
        for stub in stubs:
            if stub.name:
                out.setdefault(stub.name, (module, stub))
    return out


def _origin(command: click.Command) -> str | None:
    callback = command.callback
    module = inspect.getmodule(callback) if callback is not None else None
    return module.__name__ if module is not None else None


def _load(module_name: str) -> None:
    """Import one command module and add its commands to :data:`main`."""
    module = importlib.import_module(module_name)
    found = getattr(module, "commands", None) or [getattr(module, "command", None)]
    for command in found:
        if isinstance(command, click.Command) and command.name not in main.commands:
            main.add_command(command)


_registered: list[bool] = []


def _register() -> None:
    """Import every module of :mod:`clustermap.commands` and add their commands, once."""
    if _registered:
        return
    _registered.append(True)
    import clustermap.commands as commands

    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda i: i.name):
        if not info.name.startswith("_"):
            _load(f"{commands.__name__}.{info.name}")


# ------------------------------------------------------------------- outputs


def out_path(path: str | None, default: str) -> Path:
    """The output path of a command, checked writable and with its folder created."""
    from clustermap._atomic import check_writable

    return check_writable(Path(path or default))


def output_option(
    *names: str,
    suffixes: tuple[str, ...] | None = None,
    callback: Callable[[click.Context, click.Parameter, Any], Any] | None = None,
    **kwargs: Any,
) -> Callable[..., Any]:
    """An output-file option checked before any work: its extension, and that it can be written.

    The path's parent must be a folder (created when missing) that can be
    written to; with ``suffixes`` the file must end in one of them; a
    ``callback`` runs after these checks (for checks across options).
    Otherwise the command stops with one line naming the path, before it
    reads any input.

    Examples
    --------
    >>> import click
    >>> @click.command()
    ... @output_option("-o", "--output", suffixes=(".csv",), help="Where to write.")
    ... def hello(output): ...
    >>> [p.name for p in hello.params]
    ['output']
    """

    def check(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        if value is None or ctx.resilient_parsing:
            return value
        from clustermap._atomic import check_writable

        path = Path(value)
        if suffixes and path.suffix.lower() not in suffixes:
            option = max(param.opts, key=len)
            msg = f"`{option}` must end in one of {', '.join(suffixes)}, not {path.name!r}"
            raise ConfigError(msg)
        check_writable(path)
        return callback(ctx, param, value) if callback is not None else value

    return click.option(*(names or ("-o", "--output")), callback=check, **kwargs)


def _check_folder(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    if value is None or ctx.resilient_parsing:
        return value
    from clustermap._atomic import check_folder

    check_folder(value)
    return value


def folder_option(*names: str, **kwargs: Any) -> Callable[..., Any]:
    """An output-folder option whose folder is created (or found unusable) before any work."""
    return click.option(*names, callback=_check_folder, **kwargs)


def _check_salt(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    if value is None or ctx.resilient_parsing:
        return value
    from clustermap._anonymize import pseudonym

    pseudonym("check", value)  # a ConfigError for a salt that is too short
    return value


def anonymize_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add ``--anonymize-salt`` (or the ``CLUSTERMAP_ANONYMIZE_SALT`` variable) to a command."""
    return click.option(
        "--anonymize-salt",
        "anonymize_salt",
        callback=_check_salt,
        envvar=ANONYMIZE_SALT_ENV,
        metavar="SECRET",
        show_envvar=True,
        help="Write pseudonyms instead of ids and names (a secret of 8+ characters, never "
        "written; set it in the environment to keep it out of the shell history).",
    )(func)
