"""desk's entrypoints: letters for reporters who came to a service desk (tatap_muka) or
wrote a letter (surat), and their download by staff. Officers record such complaints
through the gateway's desk endpoint, straight into intake."""

from datetime import UTC, datetime

from nameko.rpc import ServiceRpc, rpc

from services.channels.desk.store import DeskStore
from services.chassis.inbox import subscribe
from services.chassis.metrics import ServiceMetrics
from services.contracts.errors import CommandRejected
from services.contracts.events import Envelope, EventType
from services.contracts.reference import Channel

DESK_CHANNELS = (Channel.TATAP_MUKA, Channel.SURAT)


class DeskService:
    name = "desk"

    letters = DeskStore()
    intake = ServiceRpc("intake")
    metrics = ServiceMetrics()

    @subscribe(EventType.REPORTER_NOTIFIED)
    def on_notified(self, event: Envelope) -> None:
        data = event["data"]
        if data["channel"] not in DESK_CHANNELS or not data.get("deliver", True):
            return
        addressee = self.intake.addressee(ticket=event["ticket"])
        if addressee is None:
            raise LookupError(f"{event['ticket']}: intake does not know it (yet)")
        self.letters.write(event["ticket"], data, addressee, datetime.now(UTC))

    @rpc
    def letters_for(self, ticket: str) -> list[dict]:
        return self.letters.for_ticket(ticket)

    @rpc(expected_exceptions=CommandRejected)
    def letter(self, ticket: str, letter_id: str) -> dict:
        return self.letters.pdf(ticket, letter_id)
