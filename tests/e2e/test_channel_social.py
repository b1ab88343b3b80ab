"""Social media end to end: a mention of the city's account becomes a complaint; the
receipt and result are replies to the same post through the platform relay."""

import itertools
import time

import pytest

from tests.conftest import SOCIAL_SECRET
from tests.support.api import Api, ticket_in
from tests.support.processes import wait_for

pytestmark = pytest.mark.e2e

_posts = itertools.count(int(time.time() * 1000))


@pytest.fixture(scope="module")
def api(stack):
    return Api(stack.url)


def post(handle: str, text: str, kind: str = "mention", **extra) -> dict:
    return {
        "platform": "x",
        "post_id": f"p{next(_posts)}",
        "kind": kind,
        "author": {"handle": handle, "name": "Warga Semarang"},
        "text": text,
        "media": ["https://pbs.example.net/media/genangan.jpg"],
        **extra,
    }


def replies_to(providers, post_id: str, count: int = 1) -> list[dict]:
    relay = providers["social"]
    found = lambda: [m for m in relay.messages() if m["in_reply_to"] == post_id]  # noqa: E731
    wait_for(lambda: len(found()) >= count, 30, f"{count} replies to {post_id}")
    return found()


def test_a_mention_becomes_a_complaint_answered_in_the_same_thread(api, stack, providers):
    mention = post(
        "warga_gayamsari",
        "@pemkotsemarang Sampah menumpuk di pinggir Jl. Majapahit Gayamsari sudah seminggu, "
        "bau dan banyak lalat. Mohon diangkut.",
    )
    accepted = api.webhook("social/messages", mention, SOCIAL_SECRET)
    assert accepted.status_code == 202, accepted.text
    [receipt] = replies_to(providers, mention["post_id"])
    ticket = ticket_in(receipt["text"])
    assert receipt["platform"] == "x" and receipt["handle"] == "warga_gayamsari"
    assert len(receipt["text"]) <= 280

    view = api.track(ticket, "officer1").json()
    assert view["channel"] == "media_sosial" and view["location"]["kecamatan"] == "Gayamsari"
    assert view["media"] == mention["media"]

    api.classify_and_forward(ticket, "lingkungan_perumahan", ["dlh"])
    api.resolve_through(ticket, "dlh-admin", "Sampah sudah diangkut truk DLH pagi ini")
    texts = [r["text"] for r in replies_to(providers, mention["post_id"], count=3)]
    assert any("Sampah sudah diangkut truk DLH" in t for t in texts)


def test_signatures_duplicates_and_chatter(api, stack, providers):
    mention = post("warga_dup", "Lampu lalu lintas di Simpang Lima mati sejak pagi, macet parah.")
    assert api.webhook("social/messages", mention, None).status_code == 401
    assert api.webhook("social/messages", mention, "not-the-secret").status_code == 401
    now = int(time.time())
    for stamp in (now, now + 1):  # the relay delivers it twice, each request signed anew
        response = api.webhook("social/messages", mention, SOCIAL_SECRET, timestamp=stamp)
        assert response.status_code == 202
    replies_to(providers, mention["post_id"])
    time.sleep(1.5)
    intake = stack.database("intake").complaints
    assert intake.count_documents({"reporter.handle": "x:@warga_dup"}) == 1

    # A direct message that is no complaint is answered with what to send; a passing
    # mention is recorded without a reply.
    dm = post("warga_dm", "halo min", kind="direct_message")
    chatter = post("warga_chatter", "mantap")
    for body in (dm, chatter):
        assert api.webhook("social/messages", body, SOCIAL_SECRET).status_code == 202
    [answer] = replies_to(providers, dm["post_id"])
    assert answer["text"].startswith("Terima kasih. Pesan ini belum dapat kami catat")
    wait_for(lambda: stack.database("social").refusals.count_documents({}) >= 2, 10, "refusals")
    assert not [m for m in providers["social"].messages() if m["in_reply_to"] == chatter["post_id"]]
