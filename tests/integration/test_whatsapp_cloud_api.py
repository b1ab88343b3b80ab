"""The Cloud API client and the adapter's sender against the local Graph API stand-in:
what goes out, media fetched by id and link, and which failures wait or give up."""

from datetime import UTC, datetime, timedelta

import pytest

from services.channels.whatsapp.store import WhatsAppSender
from services.chassis.cloud_api import CloudApi
from services.chassis.http import DeliveryFailed
from tests.support.meta import JPEG, GraphApi

pytestmark = pytest.mark.integration


@pytest.fixture
def graph():
    api = GraphApi(token="wa-token")
    yield api
    api.stop()


def delivery(text: str = "Pengaduan SMG-2026-000001 diterima.") -> dict:
    return {"_id": "n1", "to": {"phone": "+6281234567001"}, "text": text}


def test_a_notice_is_a_session_text_or_the_template_by_the_residents_last_message(graph):
    api = CloudApi(graph.url, "1065", "wa-token")
    last: dict[str, datetime] = {"+6281234567001": datetime.now(UTC) - timedelta(hours=2)}
    sender = WhatsAppSender(api, "aduan_pemberitahuan", last.get)
    first = sender.send(delivery())
    last["+6281234567001"] = datetime.now(UTC) - timedelta(hours=25)
    second = sender.send(delivery())
    session, template = graph.sent_to("6281234567001")
    assert session["_path"] == "/1065/messages" and session["_id"] == first
    assert session["type"] == "text" and session["recipient_type"] == "individual"
    assert template["_id"] == second and template["type"] == "template"
    assert template["template"]["language"] == {"code": "id"}


def test_a_photo_is_fetched_by_its_id_then_its_link_with_the_token(graph):
    media_id = graph.add_media(JPEG)
    content, mime_type = CloudApi(graph.url, "1065", "wa-token").media(media_id, 10_000)
    assert content == JPEG and mime_type == "image/jpeg"
    assert graph.downloads == [media_id]
    with pytest.raises(DeliveryFailed) as too_large:
        CloudApi(graph.url, "1065", "wa-token").media(media_id, 100)
    assert too_large.value.permanent
    with pytest.raises(DeliveryFailed) as gone:
        CloudApi(graph.url, "1065", "wa-token").media("999", 10_000)
    assert gone.value.permanent
    with pytest.raises(DeliveryFailed) as refused:
        CloudApi(graph.url, "1065", "wrong-token").media(media_id, 10_000)
    assert refused.value.permanent


def test_an_api_down_or_not_configured_is_retried_not_given_up(graph):
    graph.fail_next(1)
    with pytest.raises(DeliveryFailed) as down:
        CloudApi(graph.url, "1065", "wa-token").send({"to": "62812", "type": "text"})
    assert not down.value.permanent
    graph.fail_media_next(1)
    with pytest.raises(DeliveryFailed) as media_down:
        CloudApi(graph.url, "1065", "wa-token").media(graph.add_media(JPEG), 10_000)
    assert not media_down.value.permanent
    for unset in (CloudApi("", "1065", "t"), CloudApi(graph.url, "", "t")):
        with pytest.raises(DeliveryFailed, match="is not set") as waiting:
            WhatsAppSender(unset, "t", lambda phone: None).send(delivery())
        assert not waiting.value.permanent
    with pytest.raises(DeliveryFailed, match="ADUAN_WHATSAPP_URL"):
        CloudApi("", "1065", "t").media("1", 10)
