"""aduan-admin: manage the agency directory and staff accounts.

aduan-admin seed                                   # the brief's agencies
aduan-admin create-agency CODE "NAME" --kind city|kecamatan|external
aduan-admin create-user USERNAME --role ROLE [--agency CODE]   # password from stdin
"""

import argparse
import getpass
import sys

from gateway.config import GatewaySettings
from gateway.identity import Identity, IdentityError, Role
from services.contracts.reference import AgencyKind


def main(argv: list[str] | None = None) -> int:
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
    args = parser.parse_args(argv)

    settings = GatewaySettings.from_env()
    identity = Identity.connect(settings.mongo_uri, settings.database)
    try:
        if args.command == "seed":
            print(f"{identity.seed()} agencies created")
        elif args.command == "create-agency":
            created = identity.add_agency(args.code, args.name, args.kind)
            print(f"agency {args.code} " + ("created" if created else "exists already"))
        else:
            password = (
                sys.stdin.readline().rstrip("\n")
                if args.password_stdin
                else getpass.getpass("password: ")
            )
            identity.add_user(args.username, password, args.role, args.agency)
            print(f"user {args.username} created ({args.role})")
    except IdentityError as error:
        print(f"aduan-admin: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
