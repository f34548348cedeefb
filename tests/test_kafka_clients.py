"""Every client path wirewatch depends on, against Apache Kafka's protocol baseline.

Kafka 4 removed the old protocol versions (KIP-896). For each client wirewatch or
its users run (Faust's aiokafka, kafka-python, confluent-kafka / librdkafka), on
the latest 4.x and on 3.9: admin (create and describe a topic), produce, consume in
a group (membership seen by the broker), commit offsets and fetch them back, and a
new member of the group resuming from the committed offsets.
"""
from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

import pytest

from streams.brokers import apache_kafka
from tests import harness

pytestmark = pytest.mark.integration

PARTITIONS = 3
FIRST, SECOND = 30, 5


@pytest.fixture(scope="module", params=[apache_kafka.DEFAULT_VERSION, apache_kafka.LEGACY_VERSION])
def kafka(request, tmp_path_factory):
    """A single Apache Kafka node of each tested release."""
    with harness.start_broker("apache-kafka", tmp_path_factory.mktemp(f"kafka-{request.param}"),
                              version=request.param) as b:
        yield b


def messages(n: int, start: int = 0) -> list[tuple[bytes, bytes]]:
    return [(f"k{i}".encode(), f"v{i}".encode()) for i in range(start, start + n)]


def group_state(kafka: Any, group: str) -> tuple[str, int]:
    """(state, member count) of `group` as the broker describes it (kafka-python's admin)."""
    admin = kafka.admin()
    try:
        desc = admin.describe_groups([group])[group]
    finally:
        admin.close()
    return desc["group_state"], len(desc["members"])


def committed_total(kafka: Any, group: str, topic: str) -> int:
    """Sum of `group`'s committed offsets on `topic`, fetched by kafka-python's admin."""
    admin = kafka.admin()
    try:
        offsets = admin.list_group_offsets({group: None})[group]
    finally:
        admin.close()
    return sum(meta.offset for tp, meta in offsets.items() if tp.topic == topic)


def check(kafka: Any, topic: str, group: str, partitions: int, first: list[bytes], member_seen: tuple[str, int],
          resumed: list[bytes]) -> None:
    assert partitions == PARTITIONS
    assert sorted(first) == sorted(v for _, v in messages(FIRST))
    state, members = member_seen
    assert state == "Stable" and members == 1, member_seen
    assert committed_total(kafka, group, topic) == FIRST + SECOND
    # The new member started at the committed offsets: only what came after them.
    assert sorted(resumed) == sorted(v for _, v in messages(SECOND, FIRST))


def test_kafka_python(kafka):
    from kafka import KafkaConsumer, KafkaProducer, TopicPartition
    from kafka.admin import NewTopic

    topic, group = f"kp-{uuid.uuid4().hex[:6]}", f"kp-g-{uuid.uuid4().hex[:6]}"
    admin = kafka.admin()
    try:
        admin.create_topics([NewTopic(topic, PARTITIONS, 1)])
        desc = admin.describe_topics([topic])[0]
        partitions = len(desc["partitions"])
    finally:
        admin.close()

    def produce(batch: list[tuple[bytes, bytes]]) -> None:
        p = KafkaProducer(bootstrap_servers=harness.servers(kafka.bootstrap), acks="all")
        for f in [p.send(topic, key=k, value=v) for k, v in batch]:
            f.get(timeout=30)
        p.close()

    def read(n: int) -> tuple[list[bytes], tuple[str, int]]:
        c = KafkaConsumer(topic, bootstrap_servers=harness.servers(kafka.bootstrap), group_id=group,
                          auto_offset_reset="earliest", enable_auto_commit=False)
        got: list[bytes] = []
        deadline = time.monotonic() + 60
        try:
            while len(got) < n and time.monotonic() < deadline:
                for records in c.poll(timeout_ms=1000).values():
                    got += [r.value for r in records]
            seen = group_state(kafka, group)
            assert len(c.assignment()) == PARTITIONS
            c.commit()
            total = sum(c.committed(TopicPartition(topic, p)) or 0 for p in range(PARTITIONS))
            assert total == committed_total(kafka, group, topic)
        finally:
            c.close()
        return got, seen

    produce(messages(FIRST))
    first, seen = read(FIRST)
    produce(messages(SECOND, FIRST))
    resumed, _ = read(SECOND)
    check(kafka, topic, group, partitions, first, seen, resumed)


def test_aiokafka(kafka):
    """aiokafka is the client inside Faust (the worker's consumer and producer)."""
    from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
    from aiokafka.admin import AIOKafkaAdminClient, NewTopic

    topic, group = f"aio-{uuid.uuid4().hex[:6]}", f"aio-g-{uuid.uuid4().hex[:6]}"

    async def scenario() -> tuple[int, list[bytes], tuple[str, int], list[bytes]]:
        admin = AIOKafkaAdminClient(bootstrap_servers=kafka.bootstrap)
        await admin.start()
        try:
            await admin.create_topics([NewTopic(topic, PARTITIONS, 1)])
            desc = await admin.describe_topics([topic])
            partitions = len(desc[0]["partitions"])
        finally:
            await admin.close()

        async def produce(batch: list[tuple[bytes, bytes]]) -> None:
            p = AIOKafkaProducer(bootstrap_servers=kafka.bootstrap, acks="all")
            await p.start()
            try:
                for k, v in batch:
                    await p.send_and_wait(topic, v, key=k)
            finally:
                await p.stop()

        async def read(n: int) -> tuple[list[bytes], tuple[str, int]]:
            c = AIOKafkaConsumer(topic, bootstrap_servers=kafka.bootstrap, group_id=group,
                                 auto_offset_reset="earliest", enable_auto_commit=False)
            await c.start()
            got: list[bytes] = []
            try:
                deadline = time.monotonic() + 60
                while len(got) < n and time.monotonic() < deadline:
                    for records in (await c.getmany(timeout_ms=1000)).values():
                        got += [r.value for r in records]
                seen = await asyncio.to_thread(group_state, kafka, group)
                assert len(c.assignment()) == PARTITIONS
                await c.commit()
                total = 0
                for p in range(PARTITIONS):
                    total += await c.committed(TopicPartition(topic, p)) or 0
                assert total == await asyncio.to_thread(committed_total, kafka, group, topic)
            finally:
                await c.stop()
            return got, seen

        await produce(messages(FIRST))
        first, seen = await read(FIRST)
        await produce(messages(SECOND, FIRST))
        resumed, _ = await read(SECOND)
        return partitions, first, seen, resumed

    partitions, first, seen, resumed = asyncio.run(scenario())
    check(kafka, topic, group, partitions, first, seen, resumed)


def test_confluent_kafka(kafka):
    from confluent_kafka import Consumer, KafkaError, Producer, TopicCollection, TopicPartition
    from confluent_kafka.admin import AdminClient, NewTopic

    topic, group = f"ck-{uuid.uuid4().hex[:6]}", f"ck-g-{uuid.uuid4().hex[:6]}"
    admin = AdminClient({"bootstrap.servers": kafka.bootstrap})
    admin.create_topics([NewTopic(topic, PARTITIONS, 1)])[topic].result(30)
    desc = admin.describe_topics(TopicCollection([topic]))[topic].result(30)
    partitions = len(desc.partitions)

    def produce(batch: list[tuple[bytes, bytes]]) -> None:
        errors: list[Any] = []
        p = Producer({"bootstrap.servers": kafka.bootstrap, "acks": "all"})  # idempotent by default
        for k, v in batch:
            p.produce(topic, key=k, value=v, on_delivery=lambda err, msg: err and errors.append(err))
        assert p.flush(30) == 0 and not errors, errors

    def read(n: int) -> tuple[list[bytes], tuple[str, int]]:
        c = Consumer({"bootstrap.servers": kafka.bootstrap, "group.id": group, "auto.offset.reset": "earliest",
                      "enable.auto.commit": False})
        c.subscribe([topic])
        got: list[bytes] = []
        try:
            deadline = time.monotonic() + 60
            while len(got) < n and time.monotonic() < deadline:
                msg = c.poll(1.0)
                if msg is None:
                    continue
                assert not msg.error() or msg.error().code() == KafkaError._PARTITION_EOF, msg.error()
                if not msg.error():
                    got.append(msg.value())
            seen = group_state(kafka, group)
            assert len(c.assignment()) == PARTITIONS
            c.commit(asynchronous=False)
            committed = c.committed([TopicPartition(topic, p) for p in range(PARTITIONS)], timeout=30)
            assert sum(tp.offset for tp in committed) == committed_total(kafka, group, topic)
        finally:
            c.close()
        return got, seen

    produce(messages(FIRST))
    first, seen = read(FIRST)
    produce(messages(SECOND, FIRST))
    resumed, _ = read(SECOND)
    check(kafka, topic, group, partitions, first, seen, resumed)


def api_versions(bootstrap: str) -> dict[int, tuple[int, int]]:
    """ApiVersions v0 on the wire: api key -> (min, max) version the broker accepts."""
    import socket
    import struct

    host, port = bootstrap.split(",")[0].rsplit(":", 1)
    client = b"wirewatch-check"
    body = struct.pack(">hhih", 18, 0, 7, len(client)) + client
    with socket.create_connection((host, int(port)), timeout=10) as s:
        s.sendall(struct.pack(">i", len(body)) + body)
        size = struct.unpack(">i", s.recv(4, socket.MSG_WAITALL))[0]
        data = s.recv(size, socket.MSG_WAITALL)
    correlation, error, count = struct.unpack(">ihi", data[:10])
    assert correlation == 7 and error == 0, (correlation, error)
    return {k: (lo, hi) for k, lo, hi in struct.iter_unpack(">hhh", data[10:10 + 6 * count])}


def test_the_broker_runs_the_protocol_baseline_of_its_release(kafka):
    """On 4.x the Fetch, ListOffsets, OffsetCommit, OffsetFetch and CreateTopics
    versions KIP-896 removed are refused, so the clients above met the 4.x baseline;
    3.9 still accepts every old version. (4.x still lists Produce and JoinGroup from
    v0, kept for old librdkafka releases.)"""
    keys = {"Fetch": 1, "ListOffsets": 2, "OffsetCommit": 8, "OffsetFetch": 9, "CreateTopics": 19}
    versions = api_versions(kafka.bootstrap)
    floors = {name: versions[key][0] for name, key in keys.items()}
    if apache_kafka.is_legacy(kafka.version):
        assert set(floors.values()) == {0}, floors
    else:
        assert floors == {"Fetch": 4, "ListOffsets": 1, "OffsetCommit": 2, "OffsetFetch": 1, "CreateTopics": 2}, floors
