#!/usr/bin/env python3
"""The image's health check: exit 0 when the process in this container answers.

    healthcheck [ROLE]

ROLE (default: read from the command line of process 1, which the entrypoint exec'ed)
is `gateway` or a service name. The gateway is healthy while GET /healthz answers 200 on
ADUAN_GATEWAY_PORT; a service while its Prometheus port (ADUAN_METRICS_PORT_<NAME>, or
its default in services/chassis/config.py) answers GET /metrics with 200. Only the
standard library and that table are imported, so the check costs little.
"""

import os
import sys
import urllib.request
from pathlib import Path

TIMEOUT = 4.0


def role_of_pid1(cmdline: bytes | None = None) -> str | None:
    """`gateway` or the service name from process 1's arguments, None if neither."""
    if cmdline is None:
        try:
            cmdline = Path("/proc/1/cmdline").read_bytes()
        except OSError:
            return None
    args = [part.decode(errors="replace") for part in cmdline.split(b"\0") if part]
    for index, arg in enumerate(args):
        base = os.path.basename(arg)
        if base == "aduan-gateway":
            return "gateway"
        if base == "aduan-service" and index + 1 < len(args):
            return args[index + 1]
    return None


def url_for(role: str, env: dict[str, str] | None = None) -> str:
    env = os.environ if env is None else env
    if role == "gateway":
        return f"http://127.0.0.1:{env.get('ADUAN_GATEWAY_PORT', '8080')}/healthz"
    from services.chassis.config import DEFAULT_METRICS_PORTS

    if role not in DEFAULT_METRICS_PORTS:
        raise ValueError(f"unknown role {role!r}")
    port = int(env.get(f"ADUAN_METRICS_PORT_{role.upper()}", DEFAULT_METRICS_PORTS[role]))
    if not port:
        raise ValueError(f"{role} has its metrics port turned off (0): nothing to check")
    return f"http://127.0.0.1:{port}/metrics"


def check(url: str, timeout: float = TIMEOUT) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status == 200
    except OSError:
        return False


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    role = args[0] if args else role_of_pid1()
    if role is None:
        print("healthcheck: cannot tell which process this container runs", file=sys.stderr)
        return 2
    try:
        url = url_for(role)
    except ValueError as error:
        print(f"healthcheck: {error}", file=sys.stderr)
        return 2
    if check(url):
        return 0
    print(f"healthcheck: {role} does not answer at {url}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
