"""intake's metrics: complaints received, by the channel they came through."""

from prometheus_client import Counter

from services.contracts.reference import Channel

COMPLAINTS_RECEIVED = Counter(
    "aduan_complaints_received_total",
    "New complaints recorded (not retries or resubmissions), by channel",
    ["channel"],
)
# Every channel's series exists at 0 from the start: a quiet channel reads 0, not absent.
for _channel in Channel:
    COMPLAINTS_RECEIVED.labels(str(_channel))
