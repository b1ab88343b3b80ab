"""aduan-admin verify-history: recomputes every hash-chained history of complaints in
the databases that own them (dispatch's cases, sla's clocks, the gateway's staff
actions; services/chassis/history_store.py) and their recorded daily anchors, and names
each complaint whose stored history was changed, deleted from or reordered. Exit 1 when
anything does not fit, 0 when every chain is intact."""

from pymongo import MongoClient

from gateway.config import GatewaySettings
from gateway.staff_actions import CHAINED as STAFF_ACTIONS
from services.chassis import history_store
from services.chassis.config import Settings
from services.dispatch.store import DispatchStore
from services.sla.store import SlaStore

# Each owner's database (as the environment names it) and its chained collections.
SERVICES = {"dispatch": DispatchStore.chained_histories, "sla": SlaStore.chained_histories}


def verify_history(anchor_days: int, say=print) -> int:
    owners = {owner: Settings.from_env(owner) for owner in SERVICES}
    databases = [
        (owner, settings.mongo_uri, settings.database, SERVICES[owner])
        for owner, settings in owners.items()
    ]
    gateway = GatewaySettings.from_env()
    databases.append(("gateway", gateway.mongo_uri, gateway.database, STAFF_ACTIONS))
    problems = chains = 0
    for owner, uri, name, chained in databases:
        client = MongoClient(uri, tz_aware=True)
        try:
            checked = history_store.verify(client[name], chained, anchor_days)
        finally:
            client.close()
        chains += checked.chains
        problems += len(checked.findings)
        say(
            f"{owner} ({', '.join(chained)}): {checked.chains} chains, {checked.entries} "
            f"entries, {checked.anchors_checked} anchors: "
            + ("intact" if not checked.findings else f"{len(checked.findings)} problems")
        )
        for finding in checked.findings:
            say(f"  {owner} {finding.line()}")
    if problems:
        say(f"verify-history: {problems} problems found in {chains} chains")
        return 1
    say(f"verify-history: all {chains} chains intact")
    return 0
