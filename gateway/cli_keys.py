"""aduan-admin's commands for agencies' API keys:

aduan-admin create-key AGENCY "NAME" --permissions read,accept,... [--rate-limit N]
aduan-admin list-keys [--agency CODE]
aduan-admin rotate-key ID          # a new key; the old one is refused at once
aduan-admin revoke-key ID          # refused from its next call on

A key is printed once, when it is made; only its digest is stored.
"""

import argparse

from gateway.agency_keys import DEFAULT_RATE_LIMIT, PERMISSIONS, AgencyKey, AgencyKeys
from gateway.identity import Identity

KEY_COMMANDS = ("create-key", "list-keys", "rotate-key", "revoke-key")
KEY_COLUMNS = ("ID", "AGENCY", "NAME", "PERMISSIONS", "PER MINUTE", "ACTIVE", "CREATED")


def add_commands(commands: argparse._SubParsersAction) -> None:
    create = commands.add_parser("create-key", help="a new API key for an agency's system")
    create.add_argument("agency")
    create.add_argument("name", help="the system that will use it")
    create.add_argument(
        "--permissions",
        required=True,
        help=f"comma-separated, of: {', '.join(PERMISSIONS)}",
    )
    create.add_argument("--rate-limit", type=int, default=DEFAULT_RATE_LIMIT)
    listed = commands.add_parser("list-keys", help="every agency key, active or not")
    listed.add_argument("--agency")
    for name, help_text in (
        ("rotate-key", "a new secret for a key; the old one is refused at once"),
        ("revoke-key", "refuse a key from its next call on"),
    ):
        commands.add_parser(name, help=help_text).add_argument("key_id")


def run(identity: Identity, args: argparse.Namespace, by: str, table) -> str:
    keys = AgencyKeys(identity.db)
    match args.command:
        case "create-key":
            permissions = [p.strip() for p in args.permissions.split(",") if p.strip()]
            created, written = keys.create(args.agency, args.name, permissions, by, args.rate_limit)
            return f"key {created.id} for {created.agency} created (shown once): {written}"
        case "list-keys":
            return table(KEY_COLUMNS, [_row(k) for k in keys.list(args.agency)])
        case "rotate-key":
            rotated, written = keys.rotate(args.key_id, by)
            return f"key {rotated.id} rotated; the new key (shown once): {written}"
        case "revoke-key":
            revoked = keys.revoke(args.key_id, by)
            return f"key {revoked.id} of {revoked.agency} revoked"
    raise AssertionError(f"unhandled command {args.command}")


def _row(key: AgencyKey) -> tuple[str, ...]:
    return (
        key.id,
        key.agency,
        key.name,
        ",".join(key.permissions),
        str(key.rate_limit),
        "no" if key.revoked_at else "yes",
        key.created_at.strftime("%Y-%m-%d %H:%M UTC"),
    )
