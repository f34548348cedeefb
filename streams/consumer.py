"""The Kafka consumer the worker runs: Faust's aiokafka consumer with a safe commit offset.

Faust commits, per partition, one past the longest run of acknowledged offsets.
Two cases in its computation (faust-streaming 0.15.x, `Consumer._new_offset`)
let that offset pass a message that was delivered but never acknowledged:

* the check for an unacknowledged head compares `min(acked) - committed > 1`,
  while `committed` is already the *next* offset to read: one unacknowledged
  message right at the committed position is stepped over;
* with no committed offset known (a new group, or a committed offset of 0, which
  Faust stores as "none"), there is no head check at all.

A message stepped over is lost at the next restart or rebalance. The consumer
below computes the same offset with the head check corrected and, as a second
guard that does not depend on Faust's bookkeeping, never commits at or past
the lowest offset of a message that is still in flight (delivered to an agent,
not yet acknowledged).

A third case is in the stream: while a stop or a rebalance has flow control
suspended, a stream takes the messages still buffered and acknowledges them
without delivering them to its agent ("skipped"), even in `noack` mode. Counted,
they let the stop's final commit pass articles never extracted and alert
candidates never decided. A skipped message is recognisable: the stream marks a
message `tracked` only when it delivers it. The consumer below leaves an
untracked message out of the commit; it is read again after the restart or the
rebalance's seek.

Three more cases lose messages that were fetched around a seek to the committed
offsets. Faust's recovery resumes the stream partitions, then seeks them, while
the fetcher already runs (it was started to read the changelogs):

* records fetched before the seek keep being handed out after it. The consumer's
  read offset, just reset to the committed offset, jumps forward again: the
  messages fetched anew are then dropped as already read, and the jump is
  recorded as a gap in the log, so those offsets count as acknowledged before
  they are processed. `SafeCommitConsumer.perform_seek` stops the flow for the
  seek and `getmany` gives up the fetch in hand: it is read again from the
  committed offsets.
* with no committed offset (a group that has committed nothing yet), the client's
  seek to the committed offsets leaves the partition where it is, past what was
  fetched: `SafeCommitConsumer.seek_to_committed` seeks such a partition to its
  beginning instead, where the group would start reading it.
* the recovery then resumes the flow a second time, and every resume empties
  the agents' buffers, although the flow was never suspended in between: the
  messages delivered meanwhile are dropped after the read offset has passed
  them, so nothing reads them again. `FlowControl` empties the buffers only when
  the flow really was suspended (a rebalance, whose seek re-reads them).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from typing import Any

from aiokafka.errors import IllegalStateError
from faust.transport.drivers import aiokafka as faust_aiokafka
from faust.types.tuples import ack_lock
from mode.utils.queues import FlowControlEvent


def safe_commit_offset(acked: list[int], committed: int | None, in_flight: Iterable[int]) -> int | None:
    """The offset to commit for one partition, or None to commit nothing now.

    `acked` holds acknowledged offsets not yet committed (sorted here, in place;
    the offsets committed are removed from it). `committed` is the next offset
    to read as last committed (None when unknown). `in_flight` are the offsets of
    messages delivered and not acknowledged. The result is one past the run of
    acknowledged offsets that starts at `committed`, cut at the first message in
    flight, so every offset below it was acknowledged.
    """
    if not acked:
        return None
    acked.sort()
    head = acked[0]
    if committed is not None and head > committed:
        return None  # the message at `committed` is not acknowledged yet
    end = head + 1
    for offset in acked[1:]:
        if offset > end:
            break
        end = offset + 1
    # In flight below the committed offset: a stale delivery, already covered by the
    # commit. With no committed offset known, every message in flight counts.
    floor = min((o for o in in_flight if committed is None or o >= committed), default=None)
    if floor is not None and floor < end:
        end = floor
    if end <= head:
        return None
    del acked[:sum(1 for o in acked if o < end)]
    return end


class FlowControl(FlowControlEvent):
    """Faust's flow control into the agents' buffers, emptying them only on a real resume."""

    def resume(self) -> None:
        if self.is_active():
            # Already flowing: what the buffers hold was fetched after the last seek
            # and the read offset has passed it; dropped now, it would be lost.
            self._resume.set()
            return
        super().resume()


class SafeCommitConsumer(faust_aiokafka.Consumer):
    """Faust's aiokafka consumer, with the commit offset computed by `safe_commit_offset`."""

    #: Messages the streams acknowledged without delivering them (left uncommitted).
    skipped: int = 0
    #: Seeks to the committed offsets begun so far (see `getmany`).
    seeks: int = 0

    async def perform_seek(self) -> None:
        """Seek every partition to its committed offset; nothing fetched before is handed out after.

        The flow stops for the seek, so no fetch starts meanwhile (one that returns
        meanwhile is dropped by Faust, which seeks again), and `getmany` gives up the
        rest of a fetch it was handing out: all of it is fetched again from the
        committed offsets, so the read offsets start there and no false gap opens.
        """
        self.seeks += 1
        flowing = self.flow_active
        if flowing:
            self.stop_flow()
        try:
            await super().perform_seek()
        finally:
            if flowing:
                self.resume_flow()

    async def seek_to_committed(self) -> Any:
        """Seek every partition to its committed offset, and a stream partition with none to
        its beginning, where the group starts reading it (`auto_offset_reset` earliest).

        The client seeks only partitions with a committed offset and leaves the others
        where its fetches have taken them. A seek exists to read again what was fetched
        and not handed out (see `perform_seek`); left in place, a partition no one has
        committed on keeps its read position past those records, so nothing reads them
        again: after a worker that never committed was killed, the one taking over
        fetched the whole backlog once, dropped it at the recovery's seek, and read
        nothing more. Changelog and other partitions without acknowledgements are left
        to the table recovery, which positions them itself.
        """
        committed = await self._thread.seek_to_committed()
        fresh = [tp for tp, offset in committed.items()
                 if not offset and self.app.topics.acks_enabled_for(tp.topic)]
        if fresh:
            try:
                await self._thread.seek_to_beginning(*fresh)
            except IllegalStateError:
                pass  # revoked meanwhile: the rebalance positions what it assigns anew
        return committed

    async def getmany(self, timeout: float) -> AsyncIterator[tuple[Any, Any]]:
        """Faust's fetch, cut short when a seek begins while its records are handed out."""
        fetched = super().getmany(timeout)
        seeks = None  # seeks begun when the fetch came back
        try:
            async for tp, message in fetched:
                if seeks is None:
                    seeks = self.seeks
                elif self.seeks != seeks:
                    break  # fetched again from the committed offsets (see perform_seek)
                yield tp, message
        finally:
            await fetched.aclose()

    def ack(self, message: Any) -> bool:
        """Acknowledge `message`, unless the stream skipped it instead of delivering it."""
        with ack_lock:
            if not message.tracked and not message.acked and self.app.topics.acks_enabled_for(message.topic):
                # Never delivered to an agent (see the module docstring): not committable.
                message.acked = True
                self.skipped += 1
                return False
        return super().ack(message)

    def _new_offset(self, tp: Any) -> int | None:
        acked = self._acked[tp]
        if not acked:
            return None
        self._fold_gaps(tp, acked)
        committed = self._committed_offset[tp]
        in_flight = [m.offset for m in list(self._unacked_messages) if m.tp == tp and not m.acked]
        before = set(acked)
        offset = safe_commit_offset(acked, committed, in_flight)
        if offset is not None:
            self._acked_index[tp].difference_update(o for o in before if o < offset)
        return offset

    def _fold_gaps(self, tp: Any, acked: list[int]) -> None:
        """Count offsets the broker never delivered (gaps in the log) as acknowledged.

        Faust records such gaps (aborted transactions, compaction) as intervals;
        without folding them in, a partition with a gap would never commit again.
        """
        gaps = self._gap[tp]
        if not gaps:
            return
        top = max(acked)
        spans = sorted(gaps.overlap(0, top), key=lambda iv: iv.begin)
        if not spans:
            return
        filled = [o for iv in spans for o in range(iv.begin, iv.end)]
        acked.extend(filled)
        gaps.chop(0, max(filled[-1], top + 1))


class Transport(faust_aiokafka.Transport):
    """The aiokafka transport, creating `SafeCommitConsumer`s."""

    Consumer = SafeCommitConsumer
