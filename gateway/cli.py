"""aduan-admin: manage the agency directory and staff accounts.

aduan-admin seed                                   # the brief's agencies
aduan-admin create-agency CODE "NAME" --kind city|kecamatan|external
aduan-admin create-user USERNAME --role ROLE [--agency CODE]   # password from stdin
aduan-admin list-users
aduan-admin disable-user USERNAME                  # its tokens end at once
aduan-admin enable-user USERNAME
aduan-admin set-role USERNAME --role ROLE [--agency CODE]      # its tokens end at once
aduan-admin revoke-tokens USERNAME                 # signed out everywhere
aduan-admin reset-password USERNAME                # a new temporary password, printed
aduan-admin create-key | list-keys | rotate-key | revoke-key   # agencies' API keys
aduan-admin create-open311-key | list-open311-keys | revoke-open311-key  # Open311 apps' keys
aduan-admin rebuild-reporting                      # views and analytics from reporting's events
aduan-admin verify-history [--anchor-days N]       # recompute every history chain and anchor
"""

import argparse
import getpass
import sys
from collections.abc import Callable

from gateway import cli_keys
from gateway.config import GatewaySettings
from gateway.identity import Account, Identity, IdentityError, Role, UserChange
from gateway.open311 import cli as open311_cli
from gateway.staff_directory import account_event
from services.chassis.publisher import EventPublisher
from services.contracts.reference import AgencyKind

USER_COLUMNS = ("USERNAME", "ROLE", "AGENCY", "ACTIVE", "CREATED")


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command == "rebuild-reporting":
        return rebuild_reporting()
    if args.command == "verify-history":
        from gateway.cli_history import verify_history

        return verify_history(args.anchor_days)
    settings = GatewaySettings.from_env()
    identity = Identity.connect(settings.mongo_uri, settings.database)
    try:
        print(run(identity, args, lambda account: announce(settings.amqp_uri, account)))
    except IdentityError as error:
        print(f"aduan-admin: {error}", file=sys.stderr)
        return 2
    return 0


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="aduan-admin", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("seed", help="create the agencies of the mission brief")
    agency = commands.add_parser("create-agency", help="add an agency to the directory")
    agency.add_argument("code")
    agency.add_argument("name")
    agency.add_argument("--kind", choices=list(AgencyKind), default=AgencyKind.CITY)
    user = commands.add_parser("create-user", help="add a staff account")
    user.add_argument("username")
    user.add_argument("--role", choices=list(Role), required=True)
    user.add_argument("--agency")
    user.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from standard input instead of a prompt",
    )
    commands.add_parser("list-users", help="every staff account, active or not")
    for name, help_text in (
        ("disable-user", "stop an account from signing in; its tokens end at once"),
        ("enable-user", "let a disabled account sign in again"),
        ("revoke-tokens", "end every token of an account (it may sign in again)"),
        ("reset-password", "give an account a new temporary password; its tokens end"),
    ):
        commands.add_parser(name, help=help_text).add_argument("username")
    role = commands.add_parser("set-role", help="change a role or agency; its tokens end")
    role.add_argument("username")
    role.add_argument("--role", choices=list(Role), required=True)
    role.add_argument("--agency", help="the agency of an agency_admin or agency_head")
    cli_keys.add_commands(commands)
    open311_cli.add_commands(commands)
    verify = commands.add_parser(
        "verify-history",
        help="recompute every complaint's history chain and the daily anchors; exit 1 on "
        "any changed, deleted or reordered entry",
    )
    verify.add_argument("--anchor-days", type=int, default=30, help="anchors checked (30)")
    commands.add_parser(
        "rebuild-reporting",
        help="rebuild reporting's views and analytics from its event log, with progress",
    )
    return parser


def rebuild_reporting() -> int:
    """Reporting's own module does it, on reporting's database (the environment's
    ADUAN_MONGO_URI and ADUAN_DB_PREFIX, as the service reads them)."""
    from pymongo import MongoClient

    from services.chassis.config import Settings
    from services.reporting.rebuild import rebuild

    settings = Settings.from_env("reporting")
    client = MongoClient(settings.mongo_uri, tz_aware=True)
    try:
        rebuild(client[settings.database], lambda line: print(line, flush=True))
    finally:
        client.close()
    return 0


def announce(amqp_uri: str, account: Account) -> None:
    """staff.account for staff_notices (gateway/staff_directory.py); when the bus is
    down, the gateway's next start announces every account again."""
    try:
        EventPublisher(amqp_uri)(account_event(account))
    except Exception as error:
        print(
            f"aduan-admin: staff_notices not told yet ({error!r}); it is told when "
            "the gateway next starts",
            file=sys.stderr,
        )


def run(
    identity: Identity, args: argparse.Namespace, tell: Callable[[Account], None] = lambda _: None
) -> str:
    """Carries out one command; the text to print. IdentityError on refusal. `tell`
    hears of each account created or changed."""
    by = operator()
    if args.command in cli_keys.KEY_COMMANDS:
        return cli_keys.run(identity, args, by, table)
    if args.command in open311_cli.COMMANDS:
        return open311_cli.run(identity, args, by, table)
    match args.command:
        case "seed":
            return f"{identity.seed()} agencies created"
        case "create-agency":
            created = identity.add_agency(args.code, args.name, args.kind)
            return f"agency {args.code} " + ("created" if created else "exists already")
        case "create-user":
            password = (
                sys.stdin.readline().rstrip("\n")
                if args.password_stdin
                else getpass.getpass("password: ")
            )
            tell(identity.add_user(args.username, password, args.role, args.agency, by=by))
            return f"user {args.username} created ({args.role})"
        case "list-users":
            return users_table(identity.list_users())
        case "disable-user":
            return change_line(told(identity.disable_user(args.username, by), tell), "disabled")
        case "enable-user":
            return change_line(told(identity.enable_user(args.username, by), tell), "enabled")
        case "set-role":
            change = told(identity.set_role(args.username, args.role, args.agency, by), tell)
            return change_line(change, f"now {grant(change.account)}")
        case "reset-password":
            password, revoked = identity.reset_password(args.username, by)
            return (
                f"user {args.username}: new temporary password {password} "
                f"(hand it over; {plural(revoked, 'token')} revoked)"
            )
        case "revoke-tokens":
            revoked = identity.revoke_tokens(args.username, by)
            return f"user {args.username}: {plural(revoked, 'token')} revoked"
    raise AssertionError(f"unhandled command {args.command}")


def told(change: UserChange, tell: Callable[[Account], None]) -> UserChange:
    if change.changed:
        tell(change.account)
    return change


def change_line(change: UserChange, outcome: str) -> str:
    """`user x disabled; 2 tokens revoked`, or `user x unchanged (already ...)`."""
    name, revoked = change.account.username, plural(change.tokens_revoked, "token")
    if not change.changed:
        already = f"user {name} unchanged (already {outcome.removeprefix('now ')})"
        return f"{already}; {revoked} revoked" if change.tokens_revoked else already
    return f"user {name} {outcome}; {revoked} revoked"


def grant(account: Account) -> str:
    return f"{account.role} of {account.agency}" if account.agency else str(account.role)


def users_table(accounts: list[Account]) -> str:
    return table(
        USER_COLUMNS,
        [
            (
                account.username,
                str(account.role),
                account.agency or "-",
                "yes" if account.active else "no",
                account.created_at.strftime("%Y-%m-%d %H:%M UTC") if account.created_at else "-",
            )
            for account in accounts
        ],
    )


def table(columns: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    """Columns padded to their widest cell, two spaces apart."""
    rows = [columns, *rows]
    widths = [max(len(row[column]) for row in rows) for column in range(len(columns))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def operator() -> str:
    """Who the user log records for a change made here: the operating-system account."""
    try:
        return f"aduan-admin:{getpass.getuser()}"
    except (OSError, KeyError):  # no user name in this environment (a bare container)
        return "aduan-admin"


if __name__ == "__main__":
    sys.exit(main())
