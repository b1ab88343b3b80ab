"""Runs one Aduan service in its own process: `aduan-service NAME` or `python -m services.NAME`.

Eventlet must patch the standard library before pymongo, kombu or any service module
is imported, so this module imports them only inside main().
"""

import os
import sys

SERVICES = {
    "intake": "services.intake.service:IntakeService",
    "triage": "services.triage.service:TriageService",
    "dispatch": "services.dispatch.service:DispatchService",
    "sla": "services.sla.service:SlaService",
    "reporting": "services.reporting.service:ReportingService",
    "sms": "services.channels.sms.service:SmsService",
    "social": "services.channels.social.service:SocialService",
    "lapor": "services.channels.lapor.service:LaporService",
    "desk": "services.channels.desk.service:DeskService",
    "agency_hooks": "services.agency_hooks.service:AgencyHooksService",
    "staff_notices": "services.staff_notices.service:StaffNoticesService",
    "whatsapp": "services.channels.whatsapp.service:WhatsAppService",
}
# Options a service takes, as environment variables its store reads: agency_hooks can
# run as one process per agency (`aduan-service agency_hooks --agency dpu`).
OPTIONS = {"agency_hooks": {"--agency": "ADUAN_HOOKS_AGENCIES"}}


def parse_options(name: str, options: list[str]) -> dict[str, str]:
    """`--agency dpu --agency dlh` as {"ADUAN_HOOKS_AGENCIES": "dpu,dlh"}; SystemExit
    on an option the service does not take."""
    known = OPTIONS.get(name, {})
    values: dict[str, list[str]] = {}
    rest = list(options)
    while rest:
        option = rest.pop(0)
        if option not in known or not rest or rest[0].startswith("-"):
            taken = " ".join(f"[{o} VALUE]..." for o in known) or "no options"
            sys.exit(f"usage: aduan-service {name} {taken}")
        values.setdefault(known[option], []).append(rest.pop(0))
    return {variable: ",".join(found) for variable, found in values.items()}


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] not in SERVICES:
        sys.exit(f"usage: aduan-service {{{','.join(SERVICES)}}} [options]")
    name = args[0]
    os.environ.update(parse_options(name, args[1:]))

    import eventlet

    eventlet.monkey_patch()

    import importlib
    import logging

    from nameko import config
    from nameko.exceptions import deserialize_to_instance

    from services.chassis.config import Settings
    from services.chassis.container import AduanContainer
    from services.chassis.supervisor import Supervisor
    from services.contracts.errors import CommandRejected

    # A service calling another gets the callee's refusal back as a CommandRejected.
    deserialize_to_instance(CommandRejected)

    settings = Settings.from_env(name)
    config.setup(
        {
            "AMQP_URI": settings.amqp_uri,
            "max_workers": settings.max_workers,
            "serializer": "json",
        }
    )
    logging.basicConfig(
        level=logging.INFO, format=f"%(asctime)s {name} %(levelname)s %(name)s: %(message)s"
    )
    module, _, attribute = SERVICES[name].partition(":")
    service_cls = getattr(importlib.import_module(module), attribute)
    # Not `nameko run`, which exits when its container dies: see supervisor.py.
    Supervisor(name, lambda: AduanContainer(service_cls)).run()


if __name__ == "__main__":
    main()
