"""A worker that holds no input partition while articles wait says so, and why when it can
tell; so does a worker that holds partitions and makes no progress on them.

Without an assignment a worker is idle and healthy to every probe but `/readyz`: after a
broker lost track of a killed member, one worker stayed unassigned for minutes and its
log said nothing. `AssignmentWatch` decides when to warn (after a grace period, then at
intervals, only while input waits); `group_view` asks the broker what it knows: the
input backlog of the group and its members.

A worker can also hold its partitions, answer `/readyz` as ready, and read nothing: a
partition left paused, a fetch that never returns, an agent stuck on a send. Its lag
grows and nothing else shows it. `ProgressWatch` notices an input partition whose
messages wait while neither its read position nor its committed offset moves, and the
warning gives what the consumer knows of it (paused, positions, messages in flight).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class GroupView:
    """What the broker says about the input topic and the worker's consumer group."""

    partitions: int = 0
    #: Messages between the group's committed offsets and the end of the input topic.
    waiting: int | None = None
    members: int | None = None
    state: str | None = None
    #: Why the broker could not be asked, when it could not.
    error: str | None = None


def group_view(s: Any, topic: str) -> GroupView:
    """Ask the broker about `topic` and the consumer group `s.app_id` (blocking; a few requests)."""
    from kafka import KafkaConsumer, TopicPartition
    from kafka.admin import KafkaAdminClient
    from kafka.errors import KafkaError

    from .topics import kafka_client_config

    conf = kafka_client_config(s)
    consumer = admin = None
    try:
        consumer = KafkaConsumer(group_id=None, enable_auto_commit=False, request_timeout_ms=10000, **conf)
        parts = consumer.partitions_for_topic(topic) or set()
        tps = [TopicPartition(topic, p) for p in sorted(parts)]
        ends = consumer.end_offsets(tps) if tps else {}
        admin = KafkaAdminClient(client_id=f"{s.app_id}-watch", request_timeout_ms=10000, **conf)
        committed = admin.list_group_offsets({s.app_id: tps}).get(s.app_id, {}) if tps else {}
        waiting = 0
        for tp in tps:
            done = committed.get(tp)
            start = done.offset if done is not None and done.offset is not None and done.offset >= 0 else 0
            waiting += max(0, (ends.get(tp) or 0) - start)
        members = state = None
        try:
            group = admin.describe_groups([s.app_id]).get(s.app_id) or {}
            members = len(group.get("members") or [])
            state = group.get("group_state") or group.get("state")
        except (KafkaError, AttributeError, TypeError, ValueError) as exc:  # some brokers answer oddly
            log.debug("could not describe group %s: %s", s.app_id, exc)
        return GroupView(partitions=len(tps), waiting=waiting, members=members, state=state)
    except KafkaError as exc:
        return GroupView(error=f"{type(exc).__name__}: {exc}")
    finally:
        for client in (consumer, admin):
            if client is not None:
                try:
                    client.close()
                except Exception:  # noqa: BLE001 - closing a client that failed is best effort
                    pass


def explain(view: GroupView, *, rebalancing: bool, connected: bool) -> str:
    """Why a worker may hold no partition, as far as it can tell."""
    if not connected:
        return "no broker connection"
    if rebalancing:
        return "a rebalance is in progress"
    if view.error:
        return f"the broker could not be asked ({view.error})"
    if view.members is not None and view.partitions and view.members > view.partitions:
        return (f"the group has {view.members} members for {view.partitions} input partitions: "
                f"the others hold them all")
    if view.members == 0:
        return "the broker lists no members in the group: this worker has not joined it"
    if view.state and view.state.lower() not in ("stable", "completingrebalance", "preparingrebalance"):
        return f"the group is {view.state}"
    return "the group coordinator assigned none (a member that died may still hold them until its session expires)"


class AssignmentWatch:
    """When to warn: unassigned longer than `after` seconds, then every `after` seconds."""

    def __init__(self, after: float) -> None:
        self.after = after
        self.unassigned_since: float | None = None
        self.last_warning: float | None = None

    def due(self, now: float, assigned: bool) -> bool:
        """Whether to look (and warn if input waits) now."""
        if assigned:
            self.unassigned_since = self.last_warning = None
            return False
        if self.unassigned_since is None:
            self.unassigned_since = now
        if now - self.unassigned_since < self.after:
            return False
        return self.last_warning is None or now - self.last_warning >= self.after

    def message(self, now: float, topic: str, view: GroupView, *, rebalancing: bool,
                connected: bool) -> str | None:
        """The warning to log, or None when nothing waits (an idle spare worker is fine)."""
        if view.error is None and not view.waiting:
            return None
        self.last_warning = now
        since = now - (self.unassigned_since if self.unassigned_since is not None else now)
        waiting = f"{view.waiting} message(s) wait on {topic}" if view.waiting else f"input on {topic} may wait"
        return (f"no partition of {topic} assigned to this worker for {since:.0f} s while {waiting}; "
                f"{explain(view, rebalancing=rebalancing, connected=connected)}")


@dataclass(frozen=True)
class PartitionState:
    """One input partition as the consumer sees it at one look."""

    partition: int
    #: The end of the partition's log (Kafka's high watermark).
    end: int
    #: The group's committed offset (the next message to process), 0 when none.
    committed: int
    #: The offset of the last message handed to the agents, None before the first.
    read: int | None = None
    paused: bool = False
    in_flight: int = 0
    #: Held paused by Faust's own consumer, which then fetches nothing for it.
    held: bool = False

    @property
    def waiting(self) -> int:
        return max(0, self.end - self.committed)


class ProgressWatch:
    """When an assigned input partition has stalled: messages wait, and neither the read
    position nor the committed offset has moved for `after` seconds (then at intervals)."""

    def __init__(self, after: float) -> None:
        self.after = after
        #: partition -> ((read, committed) last seen, when it last changed, last warning)
        self._seen: dict[int, tuple[tuple[int | None, int], float, float | None]] = {}
        #: Partitions stalled for `after` seconds or more at the last look.
        self.stalled = 0

    def look(self, now: float, states: list[PartitionState], *, rebalancing: bool) -> list[PartitionState]:
        """The partitions to warn about now. A rebalance, or a partition with nothing
        waiting, starts its clock over."""
        stalled = []
        self.stalled = 0
        current = {st.partition for st in states}
        for gone in set(self._seen) - current:
            del self._seen[gone]
        for st in states:
            mark = (st.read, st.committed)
            seen = self._seen.get(st.partition)
            if rebalancing or not st.waiting or seen is None or seen[0] != mark:
                self._seen[st.partition] = (mark, now, None)
                continue
            _, since, warned = seen
            if now - since >= self.after:
                self.stalled += 1
            if now - since >= self.after and (warned is None or now - warned >= self.after):
                self._seen[st.partition] = (mark, since, now)
                stalled.append(st)
        return stalled

    def stalled_for(self, now: float, partition: int) -> float:
        seen = self._seen.get(partition)
        return now - seen[1] if seen else 0.0

    def message(self, now: float, topic: str, stalled: list[PartitionState],
                flow_stopped: bool = False) -> str:
        parts = []
        for st in stalled:
            read = "nothing read yet" if st.read is None else f"last read offset {st.read}"
            held = ", held paused by the stream consumer" if st.held else ""
            parts.append(f"partition {st.partition}: {st.waiting} message(s) wait, committed offset "
                         f"{st.committed}, log end {st.end}, {read}, {st.in_flight} in flight"
                         f"{', paused' if st.paused else ''}{held}"
                         f", no progress for {self.stalled_for(now, st.partition):.0f} s")
        flow = "; the consumer's flow is stopped" if flow_stopped else ""
        return f"no progress on {topic} while input waits: " + "; ".join(parts) + flow
