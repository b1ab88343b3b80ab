"""The stack's ceiling: a minimal HTTP endpoint doing one durable write to MongoDB
(journaled) and one to RabbitMQ (persistent, publisher-confirmed), nothing else.

    python -m bench.ceiling   (reads ADUAN_MONGO_URI, ADUAN_AMQP_URI, BENCH_PORT)
"""

import json
import os
import threading
import uuid

import pika
import uvicorn
from pymongo import MongoClient
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

QUEUE = "bench.ceiling"


class DurableWriter:
    def __init__(self, mongo_uri: str, amqp_uri: str) -> None:
        client = MongoClient(mongo_uri, w="majority", journal=True)
        self.collection = client["bench_ceiling"]["writes"]
        self.amqp_uri = amqp_uri
        self.local = threading.local()

    def channel(self):
        if getattr(self.local, "channel", None) is None:
            connection = pika.BlockingConnection(pika.URLParameters(self.amqp_uri))
            channel = connection.channel()
            channel.queue_declare(QUEUE, durable=True)
            channel.confirm_delivery()
            self.local.channel = channel
        return self.local.channel

    def write(self, body: bytes) -> str:
        key = uuid.uuid4().hex
        self.collection.insert_one({"_id": key, "body": body})
        self.channel().basic_publish(
            "", QUEUE, json.dumps({"id": key}), pika.BasicProperties(delivery_mode=2)
        )
        return key


def create_app() -> Starlette:
    writer = DurableWriter(os.environ["ADUAN_MONGO_URI"], os.environ["ADUAN_AMQP_URI"])

    async def write(request: Request) -> JSONResponse:
        key = await run_in_threadpool(writer.write, await request.body())
        return JSONResponse({"id": key}, status_code=202)

    return Starlette(routes=[Route("/write", write, methods=["POST"])])


if __name__ == "__main__":
    uvicorn.run(
        create_app(), host="127.0.0.1", port=int(os.environ["BENCH_PORT"]), log_level="warning"
    )
