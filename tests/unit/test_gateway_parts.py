import pytest

from gateway.config import GatewaySettings
from gateway.errors import ApiError
from gateway.passwords import hash_password, verify_password
from gateway.rpc import unpack
from services.chassis.config import Settings


def test_passwords_are_salted_and_verified():
    first, second = hash_password("correct horse"), hash_password("correct horse")
    assert first != second and first.startswith("scrypt$")
    assert verify_password("correct horse", first)
    assert not verify_password("wrong horse", first)
    assert not verify_password("correct horse", "plain-text")


def test_a_command_rejected_reply_becomes_its_api_error():
    with pytest.raises(ApiError) as caught:
        unpack(
            "triage",
            {
                "result": None,
                "error": {
                    "exc_type": "CommandRejected",
                    "exc_args": ["illegal_transition", "cannot x"],
                },
            },
        )
    assert (caught.value.status, caught.value.code, caught.value.field) == (
        409,
        "illegal_transition",
        None,
    )


def test_an_unexpected_service_error_is_a_500_without_its_details():
    with pytest.raises(ApiError) as caught:
        unpack("intake", {"error": {"exc_type": "KeyError", "value": "secret detail"}})
    assert caught.value.status == 500 and "secret" not in caught.value.message


def test_a_result_passes_through():
    assert unpack("intake", {"result": {"ticket": "t"}, "error": None}) == {"ticket": "t"}


def test_settings_have_documented_defaults_and_read_the_environment():
    settings = Settings.from_env("sla", {})
    assert settings.database == "aduan_sla" and settings.metrics_port == 9104
    assert settings.write_concern == "majority"
    custom = Settings.from_env(
        "sla",
        {"ADUAN_DB_PREFIX": "x", "ADUAN_MONGO_WRITE_CONCERN": "1", "ADUAN_METRICS_PORT_SLA": "0"},
    )
    assert (custom.database, custom.write_concern, custom.metrics_port) == ("x_sla", 1, 0)
    gateway = GatewaySettings.from_env({"ADUAN_GATEWAY_PORT": "9000"})
    assert gateway.public_url == "http://127.0.0.1:9000" and gateway.max_body == 1048576


def test_a_sender_over_the_limit_is_told_when_to_come_back():
    from gateway.throttle import Throttle

    throttle = Throttle(limit=2, window_seconds=60)
    throttle.check("sms:1", "a", "messages", now=0)
    throttle.check("sms:1", "b", "messages", now=1)
    throttle.check("sms:1", "a", "messages", now=2)  # a redelivery: not counted
    with pytest.raises(ApiError) as caught:
        throttle.check("sms:1", "c", "messages", now=30)
    assert caught.value.status == 429 and caught.value.retry_after == 31
    throttle.check("sms:2", "c", "messages", now=30)  # others are not affected
    throttle.check("sms:1", "c", "messages", now=61)  # the window moved on


def test_webhook_signatures_bind_the_body_and_the_time():
    from gateway.signature import sign, verify

    body = b'{"message_id": "m1"}'
    good = sign("secret", "1000", body)
    verify("secret", "1000", good, body, now=1100)
    for args in (
        ("secret", "1000", good, body + b" ", 1100),
        ("other", "1000", good, body, 1100),
        ("secret", "1000", good, body, 1000 + 301),
        ("secret", None, good, body, 1100),
        ("secret", "1000", None, body, 1100),
        ("secret", "abc", good, body, 1100),
    ):
        with pytest.raises(ApiError) as caught:
            verify(*args)
        assert caught.value.code == "invalid_signature" and caught.value.status == 401


def test_attachments_are_known_by_their_first_bytes():
    from gateway.uploads import sniff

    assert sniff(b"\xff\xd8\xff\xe0rest") == "image/jpeg"
    assert sniff(b"\x89PNG\r\n\x1a\nrest") == "image/png"
    assert sniff(b"%PDF-1.7") == "application/pdf"
    assert sniff(b"GIF89a") is None and sniff(b"MZ\x90") is None


def test_an_uploaded_file_keeps_only_its_own_plain_name():
    from gateway.uploads import safe_filename

    assert safe_filename("C:\\Users\\budi\\scan 1.pdf") == "scan 1.pdf"
    assert safe_filename('../../etc/"x";\r\nSet-Cookie: a.pdf') == "xSet-Cookie: a.pdf"
    assert safe_filename(None) == safe_filename("   ") == "lampiran"
