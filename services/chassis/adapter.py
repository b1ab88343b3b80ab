"""What every channel adapter does with a message it received: submit it to intake as a
complaint, or, when it names one of its sender's complaints, add it to that one."""

import re
from collections.abc import Callable
from dataclasses import dataclass

from services.chassis import rating_text
from services.contracts.errors import CommandRejected, ErrorCode


@dataclass(frozen=True)
class Submitted:
    """intake's answer to a channel message: a ticket, or why it is not a complaint."""

    ticket: str | None
    refusal: str | None


def submit_or_refuse(
    intake, channel: str, body: dict, idempotency_key: str, files: list[dict] | None = None
) -> Submitted:
    """Submits a channel message to intake, with the photos it carried (`files` as
    intake takes uploads). A message that is not a valid complaint is a refusal to
    answer, not an error to retry; any other failure raises (retried)."""
    try:
        receipt = intake.submit(
            channel=str(channel), body=body, idempotency_key=idempotency_key, files=files or []
        )
    except CommandRejected as refusal:
        if refusal.code != ErrorCode.INVALID_FIELD:
            raise
        return Submitted(None, refusal.message)
    return Submitted(receipt["ticket"], None)


TICKET_IN_TEXT = re.compile(r"SMG-\d{4}-\d{6,9}", re.IGNORECASE)


def reply_or_none(intake, text: str, channel: str, proof: dict, reply_id: str) -> str | None:
    """A message naming one of its sender's complaints is further information for it:
    the ticket it went to, or None when it names none of theirs (then it is a new
    complaint)."""
    found = TICKET_IN_TEXT.search(text)
    if not found:
        return None
    ticket = found.group(0).upper()
    try:
        intake.reply(ticket=ticket, text=text, channel=channel, proof=proof, reply_id=reply_id)
    except CommandRejected:
        return None
    return ticket


def rate_or_none(
    intake,
    text: str,
    channel: str,
    proof: dict,
    rating_id: str,
    latest_ticket: Callable[[], str | None],
) -> str | None:
    """A message rating a result ("NILAI 4 ...", services/chassis/rating_text.py) is
    recorded through intake: the answer to send back, refusals included (nothing is
    stored then); None when the message is no rating. Without a ticket in the text it
    rates the sender's latest complaint on this channel (`latest_ticket`)."""
    parsed = rating_text.parse(text)
    if parsed is None:
        return None
    if parsed.rating is None:
        return rating_text.RATING_HOW
    ticket = parsed.ticket or latest_ticket()
    if ticket is None:
        return rating_text.RATING_NO_COMPLAINT
    try:
        answer = intake.rate(
            ticket=ticket,
            body={"rating": parsed.rating, "comment": parsed.comment},
            channel=str(channel),
            proof=proof,
            rating_id=rating_id,
        )
    except CommandRejected as refusal:
        if refusal.code == ErrorCode.BACKEND_UNAVAILABLE:
            raise
        return rating_text.refused(ticket, refusal.code)
    return rating_text.recorded(ticket, answer["message"])
