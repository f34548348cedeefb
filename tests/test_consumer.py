"""The commit offset: never at or past a message that was delivered and not acknowledged."""

from __future__ import annotations

import pytest
from faust.types.tuples import TP, Message
from hypothesis import given
from hypothesis import strategies as st

from streams.consumer import SafeCommitConsumer, safe_commit_offset


@pytest.mark.parametrize(("acked", "committed", "in_flight", "offset", "left"), [
    ([10, 11, 12], 10, [], 13, []),                 # the run from the committed offset
    ([12, 10, 11], 10, [], 13, []),                 # order of acknowledgement does not matter
    ([11, 12], 10, [10], None, [11, 12]),           # the message at `committed` is still in flight
    ([11, 12], 10, [], None, [11, 12]),             # ... or was delivered and dropped
    ([10, 11, 13], 10, [12], 12, [13]),             # a hole: commit up to it, keep the rest
    ([10, 11, 12], 10, [11], 11, [11, 12]),         # acked and in flight at once: the flight wins
    ([5, 6, 7], None, [4], None, [5, 6, 7]),        # no committed offset known: in flight below counts
    ([5, 6, 7], None, [9], 8, []),                  # in flight above the run does not hold it
    ([10, 11], 10, [3], 12, []),                    # a stale delivery below the commit is ignored
    ([], 10, [], None, []),
])
def test_safe_commit_offset(acked, committed, in_flight, offset, left):
    assert safe_commit_offset(acked, committed, in_flight) == offset
    assert acked == left


@given(st.integers(0, 1000), st.lists(st.booleans(), min_size=1, max_size=60), st.booleans())
def test_never_commits_past_an_unacknowledged_message(base, done, known):
    """Offsets base.. delivered in order; `done[i]` says whether base+i was acknowledged.

    Whatever the pattern, every offset below the commit was acknowledged, and the
    commit advances whenever the message at the committed position was.
    """
    acked = [base + i for i, d in enumerate(done) if d]
    in_flight = [base + i for i, d in enumerate(done) if not d]
    offset = safe_commit_offset(list(acked), base if known else None, in_flight)
    if offset is None:
        assert not done[0]
        return
    assert all(base + i in acked for i in range(offset - base))
    assert offset == base + (done.index(False) if False in done else len(done))


def _consumer() -> SafeCommitConsumer:
    from streams.app import create_app
    from streams.settings import Settings

    ww = create_app(Settings(broker="127.0.0.1:9"))
    consumer = ww.app.consumer
    assert isinstance(consumer, SafeCommitConsumer)
    return consumer


def _message(tp: TP, offset: int) -> Message:
    return Message(tp.topic, tp.partition, offset, 0.0, 0, None, b"k", b"v", None, tp=tp)


def test_worker_consumer_holds_the_commit_at_an_unacknowledged_head():
    """The case Faust's own computation steps over: committed 31, 31 in flight, 32-33 done."""
    consumer = _consumer()
    tp = TP("wirewatch.articles", 0)
    head = _message(tp, 31)
    consumer._unacked_messages.add(head)
    consumer._committed_offset[tp] = 31
    consumer._acked[tp].extend([32, 33])
    consumer._acked_index[tp].update([32, 33])
    assert consumer._new_offset(tp) is None
    head.acked = True
    consumer._acked[tp].append(31)
    consumer._acked_index[tp].add(31)
    assert consumer._new_offset(tp) == 34
    assert consumer._acked[tp] == [] and not consumer._acked_index[tp]


def test_worker_consumer_counts_log_gaps_as_done():
    consumer = _consumer()
    tp = TP("wirewatch.articles", 1)
    consumer._committed_offset[tp] = 0
    consumer._acked[tp].extend([0, 1, 5, 6])
    consumer._gap[tp].addi(2, 5)  # offsets 2-4 never delivered (e.g. transaction markers)
    assert consumer._new_offset(tp) == 7


def _delivered(tp: TP, offset: int):
    """A message as the consumer fetched it (the stream sets `tracked` on delivery)."""
    from faust.transport.consumer import ConsumerMessage

    return ConsumerMessage(tp.topic, tp.partition, offset, 0.0, 0, None, b"k", b"v", None, tp=tp)


def test_a_message_skipped_by_the_stream_is_not_committed():
    """During a stop or a rebalance the stream acknowledges buffered messages it never
    delivered; the commit must stop at the first of them so they are read again."""
    consumer = _consumer()
    tp = TP("wirewatch.articles", 2)
    consumer.app.topics._acking_topics.add(tp.topic)  # as once the agents subscribe
    consumer._committed_offset[tp] = 40
    done = [_delivered(tp, o) for o in (40, 41)]
    skipped = [_delivered(tp, o) for o in (42, 43)]
    for m in done:
        m.tracked = True  # what the stream does when it hands a message to the agent
    assert [m.ack(consumer) for m in done + skipped] == [True, True, False, False]
    assert all(m.acked for m in done + skipped)
    assert consumer.skipped == 2
    assert consumer._new_offset(tp) == 42
    consumer._committed_offset[tp] = 42  # what the commit records
    # Read again after the restart, delivered and acknowledged: then committed.
    again = [_delivered(tp, o) for o in (42, 43)]
    for m in again:
        m.tracked = True
        m.ack(consumer)
    assert consumer._new_offset(tp) == 44


def test_a_redundant_resume_keeps_what_the_agents_buffers_hold():
    """Faust's recovery resumes the flow twice without suspending it in between; the
    second resume must not drop messages delivered since (their read offset is passed)."""
    from mode.utils.queues import FlowControlQueue

    consumer = _consumer()
    flow = consumer.app.flow_control
    buffer: FlowControlQueue = FlowControlQueue(flow_control=flow, clear_on_resume=True)
    flow.resume()  # from the initial suspension
    assert flow.is_active()
    buffer.put_nowait("delivered after the resume")
    flow.resume()  # again, the flow never stopped
    assert buffer.qsize() == 1 and flow.is_active()
    flow.suspend()  # a rebalance: what is buffered will be read again after its seek
    flow.resume()
    assert buffer.qsize() == 0 and flow.is_active()


def test_a_fetch_in_hand_is_given_up_when_a_seek_begins():
    """Records fetched before a seek to the committed offsets are not handed out after
    it: they would move the read offset past the messages fetched anew."""
    import asyncio

    from aiokafka.structs import ConsumerRecord

    consumer = _consumer()
    tp = TP("wirewatch.alert-candidates", 3)
    records = {tp: [ConsumerRecord(tp.topic, tp.partition, o, 0, 0, b"k", b"v", None, 1, 1, ())
                    for o in range(8, 20)]}

    async def fetched(timeout: float):
        return records, {tp}

    async def committed():
        return {tp: 8}

    consumer._wait_next_records = fetched  # type: ignore[method-assign]
    consumer.seek_to_committed = committed  # type: ignore[method-assign]
    consumer.highwater = lambda tp: 20  # type: ignore[method-assign]
    consumer.resume_flow()

    async def drain() -> list[int]:
        out = []
        async for _, message in consumer.getmany(timeout=1.0):
            out.append(message.offset)
            if message.offset == 10:
                await consumer.perform_seek()
        return out

    assert asyncio.run(drain()) == [8, 9, 10]
    assert consumer._read_offset[tp] == 8 and consumer.seeks == 1
    assert consumer.flow_active  # stopped for the seek only
    # With no seek under way, a fetch is handed out whole.
    assert asyncio.run(_all(consumer)) == list(range(8, 20))


async def _all(consumer: SafeCommitConsumer) -> list[int]:
    return [m.offset async for _, m in consumer.getmany(timeout=1.0)]


def test_a_stream_partition_without_a_commit_is_sought_to_its_beginning():
    """The client's seek to the committed offsets leaves a partition with none where its
    fetches took it; a stream partition is sought to its beginning instead, so what was
    fetched and dropped at the seek is read again. Other partitions are left alone."""
    import asyncio

    from aiokafka.structs import TopicPartition

    consumer = _consumer()
    fresh = TopicPartition("wirewatch.articles", 0)
    done = TopicPartition("wirewatch.articles", 1)
    changelog = TopicPartition("wirewatch-alert-state-changelog", 0)
    consumer.app.topics._acking_topics.add("wirewatch.articles")
    calls: list[tuple] = []

    class Thread:
        async def seek_to_committed(self):
            return {fresh: None, done: 57, changelog: None}

        async def seek_to_beginning(self, *tps):
            calls.append(tps)

    consumer._thread = Thread()  # type: ignore[assignment]
    asyncio.run(consumer.perform_seek())
    assert calls == [(fresh,)]
    assert consumer._read_offset[fresh] is None and consumer._read_offset[done] == 57
