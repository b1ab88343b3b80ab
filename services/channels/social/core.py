"""The social-media channel's pure core: posts and direct messages to the city's
official accounts in, replies to the same post or conversation out. Standard library only.
"""

import re
from dataclasses import dataclass

from services.chassis import fields

# The shortest limit among the platforms (X): a reply that fits it fits them all.
REPLY_LIMIT = 280
KINDS = ("mention", "direct_message")


@dataclass(frozen=True)
class Post:
    platform: str
    post_id: str
    kind: str
    handle: str
    name: str | None
    text: str
    media: tuple[str, ...]

    def idempotency_key(self) -> str:
        return f"media_sosial:{self.platform}:{self.post_id}"

    def author(self) -> str:
        return f"{self.platform}:@{self.handle.lstrip('@')}"


def parse_post(data: dict) -> Post:
    body = fields.obj(
        data, "", ("platform", "post_id", "kind", "author", "text", "media", "received_at")
    )
    author = fields.obj(body.get("author"), "author", ("handle", "name"))
    return Post(
        platform=fields.text(body, "platform", "platform", max_len=20),
        post_id=fields.text(body, "post_id", "post_id", max_len=100),
        kind=fields.choice(body, "kind", "kind", KINDS),
        handle=fields.text(author, "handle", "author.handle", max_len=100),
        name=fields.text(author, "name", "author.name", max_len=120, required=False),
        text=fields.text(body, "text", "text", min_len=0, max_len=5000) or "",
        media=tuple(fields.text_list(body, "media", "media", max_items=10)),
    )


def complaint_body(post: Post) -> dict:
    reporter = {"handle": post.author()}
    if post.name and len(post.name) >= 2:
        reporter["name"] = post.name
    return {"reporter": reporter, "text": post.text, "media": list(post.media)}


def answers_refusal(post: Post) -> bool:
    """A direct message that is not a complaint is answered; a passing mention is not
    (the city's accounts are mentioned all day), though both are recorded."""
    return post.kind == "direct_message"


def reply_received(ticket: str) -> str:
    return f"Terima kasih, keterangan tambahan untuk pengaduan {ticket} telah kami terima."


REFUSAL = (
    "Terima kasih. Pesan ini belum dapat kami catat sebagai pengaduan: mohon jelaskan "
    "masalahnya dan lokasinya (kecamatan/kelurahan) dalam satu pesan."
)


def reply_text(about: str, ticket: str, details: dict, tracking_url: str) -> str:
    """The notice as one reply, in Bahasa Indonesia, within REPLY_LIMIT."""
    if about == "received":
        head = f"Terima kasih, pengaduan Anda kami terima dengan nomor {ticket}. Pantau: "
        return fit(head, tracking_url, "")
    if about == "forwarded":
        head = f"Pengaduan {ticket} telah diteruskan kepada "
        return fit(head, details.get("agency_name", ""), " untuk ditindaklanjuti.")
    if about == "info_requested":
        head = f"Pengaduan {ticket}: petugas memerlukan keterangan tambahan: "
        return fit(head, details.get("question", ""), " Mohon balas pesan ini.")
    if about == "rejected":
        head = f"Mohon maaf, pengaduan {ticket} tidak dapat kami proses. Alasan: "
        return fit(head, details["reason"], "")
    head = f"Pengaduan {ticket} telah ditindaklanjuti: "
    return fit(head, details["follow_up"], f" {RATE_HINT} Selengkapnya: {tracking_url}")


# Said in the result reply: how to rate it (services/chassis/rating_text.py reads it).
RATE_HINT = "Beri nilai 1-5: balas NILAI 5, atau NILAI 1 dan alasannya."
LEADING_MENTIONS = re.compile(r"^(?:\s*@\w+)+\s*")


def without_mentions(text: str) -> str:
    """A reply's own words: "@pemkotsemarang NILAI 4" reads as "NILAI 4"."""
    return LEADING_MENTIONS.sub("", text)


def fit(prefix: str, detail: str, suffix: str, limit: int = REPLY_LIMIT) -> str:
    detail = " ".join(detail.split())
    room = limit - len(prefix) - len(suffix)
    if len(detail) > room:
        detail = detail[: max(room - 1, 0)].rstrip() + "\u2026"
    return (prefix + detail + suffix)[:limit]
