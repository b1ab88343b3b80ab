"""The WhatsApp Business Cloud API (Meta's Graph API) as the city uses it: messages out
through the city's number, and the media residents send fetched back.

    POST {base}/{phone_number_id}/messages   -> {"messages": [{"id": "wamid..."}]}
    GET  {base}/{media_id}                    -> {"url": ..., "mime_type": ...}
    GET  <that url>                           -> the file (the same bearer token)

Both staff notices and the residents' WhatsApp channel send through it.

| variable | default | meaning |
|---|---|---|
| ADUAN_WHATSAPP_URL | (none) | the API's base (https://graph.facebook.com/v21.0);
  WhatsApp messages wait until it is set |
| ADUAN_WHATSAPP_PHONE_NUMBER_ID | (none) | the city's sending number's id |
| ADUAN_WHATSAPP_TOKEN | (none) | bearer token (a secret) |
"""

from urllib.parse import quote

from services.chassis.http import DeliveryFailed, request_bytes, request_json


class CloudApi:
    def __init__(self, base_url: str, number_id: str, token: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.number_id = number_id
        self.token = token

    @classmethod
    def from_env(cls, env: dict) -> "CloudApi":
        return cls(
            env.get("ADUAN_WHATSAPP_URL", ""),
            env.get("ADUAN_WHATSAPP_PHONE_NUMBER_ID", ""),
            env.get("ADUAN_WHATSAPP_TOKEN", ""),
        )

    def send(self, message: dict) -> str:
        """Sends one message (`to`, `type` and its part, as the messages endpoint takes
        them); returns WhatsApp's id for it, which its status callbacks name."""
        if not (self.base_url and self.number_id):
            raise DeliveryFailed("ADUAN_WHATSAPP_URL or ADUAN_WHATSAPP_PHONE_NUMBER_ID is not set")
        body = {"messaging_product": "whatsapp", "recipient_type": "individual", **message}
        url = f"{self.base_url}/{quote(self.number_id, safe='')}/messages"
        answer = request_json("POST", url, body, self.token)
        messages = answer.get("messages") or [{}]
        return str(messages[0].get("id", ""))

    def media(self, media_id: str, max_bytes: int) -> tuple[bytes, str]:
        """A file a resident sent, by its media id, and its type as WhatsApp gives it."""
        if not self.base_url:
            raise DeliveryFailed("ADUAN_WHATSAPP_URL is not set")
        found = request_json("GET", f"{self.base_url}/{quote(media_id, safe='')}", None, self.token)
        url = found.get("url")
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise DeliveryFailed(f"media {media_id}: the API gave no download link", True)
        content, content_type = request_bytes(url, self.token, max_bytes)
        return content, str(found.get("mime_type") or content_type)
