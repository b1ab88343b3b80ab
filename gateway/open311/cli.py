"""aduan-admin's commands for Open311 apps' API keys (docs/open311.md):

aduan-admin create-open311-key "APP NAME" --contact "WHO ANSWERS" [--rate-limit N]
aduan-admin list-open311-keys
aduan-admin revoke-open311-key ID      # refused from its next request on

A key is printed once, when it is made; only its digest is stored.
"""

import argparse

from gateway.identity import Identity
from gateway.open311.client_keys import DEFAULT_RATE_LIMIT, ClientKey, ClientKeys

COMMANDS = ("create-open311-key", "list-open311-keys", "revoke-open311-key")
COLUMNS = ("ID", "APP", "CONTACT", "PER MINUTE", "ACTIVE", "CREATED")


def add_commands(commands: argparse._SubParsersAction) -> None:
    create = commands.add_parser("create-open311-key", help="a new api_key for an Open311 app")
    create.add_argument("name", help="the app that will use it")
    create.add_argument("--contact", required=True, help="who answers for the app")
    create.add_argument("--rate-limit", type=int, default=DEFAULT_RATE_LIMIT)
    commands.add_parser("list-open311-keys", help="every Open311 app's key, active or not")
    revoke = commands.add_parser("revoke-open311-key", help="refuse an Open311 app's key")
    revoke.add_argument("key_id")


def run(identity: Identity, args: argparse.Namespace, by: str, table) -> str:
    keys = ClientKeys(identity.db)
    match args.command:
        case "create-open311-key":
            created, written = keys.create(args.name, args.contact, by, args.rate_limit)
            return f"Open311 key {created.id} for {created.name} created (shown once): {written}"
        case "list-open311-keys":
            return table(COLUMNS, [_row(k) for k in keys.list()])
        case "revoke-open311-key":
            return f"Open311 key {keys.revoke(args.key_id, by).id} revoked"
    raise AssertionError(f"unhandled command {args.command}")


def _row(key: ClientKey) -> tuple[str, ...]:
    return (
        key.id,
        key.name,
        key.contact,
        str(key.rate_limit),
        "no" if key.revoked_at else "yes",
        key.created_at.strftime("%Y-%m-%d %H:%M UTC"),
    )
