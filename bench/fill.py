"""Fills a running stack's databases with many complaints in their real shapes, fast.

Sending 100,000 complaints through the pipeline would take hours here, so a few are sent
through it for real (one on each of eight topics all the way to closed, one on each left
awaiting review), and
every document each service stored about them is then copied, per copy with a new
ticket number, new ids, a kecamatan of its own and its dates moved back: the closed ones
into the last two years, the open ones into the last few days (their deadlines still
ahead, so the SLA service does not fire on them during a measurement). Derived keys that
depend on the date (triage's duplicate-search keys) are computed again for each copy.

    fill(stack, 100_000)   # the stack already running, staff accounts made by `staff()`
"""

import hashlib
import random
import re
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from bson import ObjectId
from pymongo.errors import BulkWriteError

from services.chassis.aggregates import PENDING
from services.contracts.reference import KECAMATAN
from services.triage import core as triage_core
from tests.conftest import PASSWORD, STAFF
from tests.support.api import Api, complaint
from tests.support.processes import CORE_SERVICES, Stack, wait_for

# A city's record: nearly all complaints finished, a few open at any time.
OPEN_SHARE = 0.02
# Residents write about different things in different places: one text from one
# kecamatan would make every stored and every new complaint a likely duplicate of the
# others (triage compares each complaint with the open ones of its kecamatan and
# category sharing its words), which is not what a city's record looks like.
TOPICS = (  # title, description, category, agency
    (
        "Jalan berlubang di depan pasar",
        "Jalan rusak berlubang besar, bahaya bagi motor",
        "infrastruktur_fasum",
        "dpu",
    ),
    (
        "Lampu penerangan jalan mati",
        "Lampu PJU di gang kami mati sudah dua minggu",
        "penerangan_transportasi",
        "dishub",
    ),
    (
        "Sampah menumpuk di TPS",
        "Sampah tidak diangkut seminggu dan baunya menyengat",
        "lingkungan_perumahan",
        "dlh",
    ),
    (
        "Saluran air tersumbat",
        "Selokan mampet sehingga air meluap ke jalan saat hujan",
        "infrastruktur_fasum",
        "dpu",
    ),
    (
        "Pohon tumbang menutup jalan",
        "Pohon besar tumbang setelah hujan deras dan angin",
        "lingkungan_perumahan",
        "dlh",
    ),
    (
        "Pelayanan KTP lambat",
        "Pengurusan KTP elektronik di kecamatan tidak selesai",
        "administrasi_kependudukan",
        "disdukcapil",
    ),
    (
        "Parkir liar di trotoar",
        "Banyak mobil parkir di trotoar sehingga pejalan kaki turun",
        "penegakan_perda",
        "satpolpp",
    ),
    (
        "Banjir di permukiman",
        "Rumah warga tergenang banjir setiap hujan turun",
        "lingkungan_perumahan",
        "disperkim",
    ),
)
BATCH = 1000
HEX_ID = re.compile(r"\b[0-9a-f]{32}\b")
ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
TICKET = re.compile(r"SMG-\d{4}-\d{6,9}")
# Collections that are not about one complaint (or are rebuilt from those that are).
SKIP = {"counters", "seen_signatures", "users", "tokens", "user_log", "calendar", "agencies"}


def new_complaint(key: str = "") -> dict:
    """An app complaint on one of the topics from a random kecamatan."""
    title, description, _, _ = random.choice(TOPICS)
    body = complaint(title=title, description=f"{description} (laporan {uuid.uuid4().hex[:6]}).")
    body["location"] = {**body["location"], "kecamatan": random.choice(KECAMATAN)}
    return body


def staff(stack: Stack) -> None:
    """The test suite's staff, and an agency admin for each topic's agency."""
    assert stack.admin("seed").returncode == 0
    accounts = {username: (role, agency) for username, role, agency in STAFF}
    for *_, agency in TOPICS:
        accounts.setdefault(f"{agency}-admin", ("agency_admin", agency))
    for username, (role, agency) in accounts.items():
        extra = ["--agency", agency] if agency else []
        stack.admin(
            "create-user", username, "--role", role, "--password-stdin", *extra, password=PASSWORD
        )


def samples(stack: Stack) -> tuple[list[str], list[str]]:
    """Complaints sent through the real pipeline, one of each topic closed and one open.
    Each is written in Tembalang; the copies move to other kecamatan (Copier)."""
    api = Api(stack.url)
    closed, opened = [], []
    for close in (True, False):
        for title, description, category, agency in TOPICS:
            body = complaint(title=title, description=f"{description} ({len(closed + opened)}).")
            response = api.submit(body)
            assert response.status_code == 202, response.text
            ticket = response.json()["ticket"]
            if close:
                api.classify_and_forward(ticket, category, [agency])
                api.resolve_through(ticket, f"{agency}-admin", "Sudah ditangani petugas.")
                closed.append(ticket)
            else:
                api.wait_status(ticket, "awaiting_review")
                opened.append(ticket)
    time.sleep(3)  # the last outboxes relayed and cleared, the deliveries recorded
    return closed, opened


def documents_of(stack: Stack, tickets: list[str]) -> dict[str, dict[tuple[str, str], list]]:
    """Every document a core service stored about each of the tickets. A document that
    names several (a review that suggests another sample as its duplicate) belongs to
    the ticket it is keyed by."""
    found: dict[str, dict[tuple[str, str], list[dict]]] = {t: {} for t in tickets}
    pattern = re.compile("|".join(map(re.escape, tickets)))
    for owner in CORE_SERVICES:
        db = stack.database(owner)
        for name in db.list_collection_names():
            if name in SKIP or name.startswith("system.") or name.startswith("attachments."):
                continue
            for doc in db[name].find():
                named = pattern.findall(repr(doc))
                if not named:
                    continue
                keyed = [doc.get("_id"), doc.get("ticket")]
                ticket = next((k for k in keyed if k in found), named[0])
                found[ticket].setdefault((owner, name), []).append(doc)
    return found


class Copier:
    """One copy of one sample complaint: every string, id and date rewritten alike."""

    def __init__(self, sample: str, ticket: str, shift: timedelta, kecamatan: str) -> None:
        self.sample, self.ticket, self.shift = sample, ticket, shift
        self.kecamatan = kecamatan
        self.salt = ticket.encode()
        self.object_ids: dict[ObjectId, ObjectId] = {}

    def text(self, value: str) -> str:
        if ISO_TIME.match(value):
            try:
                return (datetime.fromisoformat(value) + self.shift).isoformat()
            except ValueError:
                pass
        value = value.replace(self.sample, self.ticket).replace("Tembalang", self.kecamatan)
        return HEX_ID.sub(lambda m: hashlib.md5(m.group(0).encode() + self.salt).hexdigest(), value)

    def value(self, value):
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, datetime):
            return value + self.shift
        if isinstance(value, ObjectId):
            return self.object_ids.setdefault(value, ObjectId())
        if isinstance(value, dict):
            return {self.text(k): self.value(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.value(v) for v in value]
        return value


def rekeyed(owner: str, collection: str, doc: dict) -> dict:
    """Keys that a service derives from a date, computed again for the moved copy."""
    if owner == "triage" and collection == "reviews" and "dup_keys" in doc:
        doc["dup_keys"] = triage_core.review_keys(doc)
    return doc


def fill(stack: Stack, count: int, progress: Callable[[str], None] = print) -> dict:
    """Stores `count` complaints' documents in every core service; returns what it did."""
    staff(stack)
    closed, opened = samples(stack)
    by_sample = documents_of(stack, closed + opened)
    now, rng = datetime.now(UTC), random.Random(20261128)
    open_count = int(count * OPEN_SHARE)
    started, stored = time.monotonic(), 0
    pending: dict[tuple[str, str], list[dict]] = {}
    sequence = {}
    for n in range(count):
        is_open = n < open_count
        sample = rng.choice(opened if is_open else closed)
        if is_open:  # received in the last three days: deadlines ahead, this year's tickets
            shift = -timedelta(minutes=rng.randrange(10, 3 * 24 * 60))
        else:  # a complaint of the last two years
            shift = -timedelta(days=rng.randrange(30, 730), minutes=rng.randrange(0, 1440))
        year = (now + shift).year
        # Copies take numbers far above the live counter, so new tickets never meet them.
        sequence[year] = sequence.get(year, 500_000) + 1
        ticket = f"SMG-{year}-{sequence[year]:06d}"
        copier = Copier(sample, ticket, shift, rng.choice(KECAMATAN))
        for (owner, collection), docs in by_sample[sample].items():
            batch = pending.setdefault((owner, collection), [])
            batch.extend(rekeyed(owner, collection, copier.value(doc)) for doc in docs)
            if len(batch) >= BATCH:
                insert(stack, owner, collection, batch)
                stored += len(batch)
                batch.clear()
        if (n + 1) % 10_000 == 0:
            progress(f"  stored {n + 1:,} complaints ({time.monotonic() - started:.0f} s)")
    for (owner, collection), batch in pending.items():
        if batch:
            insert(stack, owner, collection, batch)
            stored += len(batch)
    return {
        "complaints": count,
        "open": open_count,
        "documents": stored,
        "seconds": time.monotonic() - started,
        "collections": sorted(f"{o}.{c}" for o, c in pending),
    }


def insert(stack: Stack, owner: str, collection: str, docs: list[dict]) -> None:
    try:
        stack.database(owner)[collection].insert_many(docs, ordered=False)
    except BulkWriteError as error:  # a copy must never collide with a stored document
        raise RuntimeError(f"{owner}.{collection}: {error.details['writeErrors'][:1]}") from None


def wait_settled(stack: Stack) -> None:
    """Until no service has events waiting in an outbox."""

    def settled() -> bool:
        for owner in CORE_SERVICES:
            db = stack.database(owner)
            for name in db.list_collection_names():
                if db[name].find_one({PENDING: True}, {"_id": 1}):
                    return False
        return True

    wait_for(settled, 120, "the outboxes to empty", 0.5)


if __name__ == "__main__":  # a quick look: fill a fresh stack and print what was stored
    import argparse
    import tempfile
    from pathlib import Path

    from tests.support.processes import MongoServer, VirtualHost

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--complaints", type=int, default=2000)
    args = parser.parse_args()
    logs = Path(tempfile.mkdtemp(prefix="aduan-fill-"))
    mongo, vhost = MongoServer(logs), VirtualHost()
    stack = Stack(mongo, vhost, logs)
    try:
        stack.start_all()
        print(fill(stack, args.complaints))
    finally:
        stack.stop_all()
        vhost.delete()
        mongo.stop()
