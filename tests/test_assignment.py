"""A worker without an input partition while articles wait logs why, at intervals."""
import re

import pytest

from streams.assignment import AssignmentWatch, GroupView, PartitionState, ProgressWatch, explain, group_view


def test_warns_after_the_grace_then_at_intervals_only_while_input_waits():
    w = AssignmentWatch(after=30)
    waiting = GroupView(partitions=1, waiting=5, members=2, state="Stable")
    assert not w.due(0, assigned=False)
    assert not w.due(29, assigned=False)
    assert w.due(30, assigned=False)
    msg = w.message(30, "in", waiting, rebalancing=False, connected=True)
    assert msg.startswith("no partition of in assigned to this worker for 30 s while 5 message(s) wait on in")
    assert "2 members for 1 input partitions" in msg
    assert not w.due(45, assigned=False)  # just warned
    assert w.due(60, assigned=False)
    # Nothing waits: a spare worker is not a problem, and it is looked at again next time.
    assert w.message(60, "in", GroupView(partitions=1, waiting=0), rebalancing=False, connected=True) is None
    assert w.due(61, assigned=False)
    # Assigned again: the clock starts over.
    assert not w.due(62, assigned=True)
    assert not w.due(63, assigned=False) and not w.due(92, assigned=False) and w.due(93, assigned=False)


@pytest.mark.parametrize("view,rebalancing,connected,reason", [
    (GroupView(partitions=4, waiting=1), False, False, "no broker connection"),
    (GroupView(partitions=4, waiting=1), True, True, "a rebalance is in progress"),
    (GroupView(error="KafkaTimeoutError: x"), False, True, "could not be asked (KafkaTimeoutError: x)"),
    (GroupView(partitions=2, waiting=1, members=3, state="Stable"), False, True, "3 members for 2"),
    (GroupView(partitions=2, waiting=1, members=0, state="Empty"), False, True, "has not joined"),
    (GroupView(partitions=2, waiting=1, members=1, state="Dead"), False, True, "the group is Dead"),
    (GroupView(partitions=2, waiting=1, members=1, state="Stable"), False, True, "session expires"),
])
def test_the_reason_is_given_when_known(view, rebalancing, connected, reason):
    assert reason in explain(view, rebalancing=rebalancing, connected=connected)


@pytest.mark.integration
def test_group_view_counts_what_waits_for_the_group(tmp_path):
    from kafka import KafkaProducer

    from streams import broker as brokers
    from streams.settings import load_settings

    with brokers.tansu(log_path=tmp_path / "tansu.log") as b:
        p = KafkaProducer(bootstrap_servers=b.bootstrap, acks="all")
        for i in range(3):
            p.send("watch.in", key=str(i).encode(), value=b"x").get(timeout=30)
        p.close()
        view = group_view(load_settings(broker=b.bootstrap, app_id="never-joined"), "watch.in")
    assert view.error is None and view.partitions >= 1 and view.waiting == 3
    gone = group_view(load_settings(broker="127.0.0.1:9", app_id="x"), "watch.in")
    assert gone.error


@pytest.mark.integration
def test_an_unassigned_worker_warns_while_input_waits(tmp_path):
    """Two workers, one input partition: the spare one is quiet while nothing waits, and warns
    once articles wait and the holder stops reading (here: SIGSTOP, kept within its session)."""
    import os
    import signal
    import time

    from tests import harness

    env = {"WIREWATCH_UNASSIGNED_WARNING_SECONDS": "1", "WIREWATCH_SESSION_TIMEOUT_SECONDS": "45",
           "WIREWATCH_HEARTBEAT_INTERVAL_SECONDS": "3"}
    with harness.start_broker("tansu", tmp_path) as b:
        with harness.Worker(b, tmp_path, app_id="ww-spare", partitions=1, env=env, name="w1") as w1, \
                harness.Worker(b, tmp_path, app_id="ww-spare", partitions=1, env=env, name="w2") as w2:
            articles = w1.topics["articles"]
            holder = spare = None

            def holds(w):
                try:
                    return any(n == "wirewatch_consumer_lag" and ("topic", articles) in ls
                               for (n, ls), _ in w.metrics().items())
                except (OSError, AssertionError):
                    return None  # not serving yet

            steady = 0
            for _ in range(360):
                state = [holds(w) for w in (w1, w2)]
                both_joined = all("[^Worker]: Ready" in w.log() for w in (w1, w2))
                if both_joined and None not in state and sum(state) == 1:
                    current = w1 if state[0] else w2
                    steady = steady + 1 if current is holder else 1
                    holder = current
                    if steady >= 6:  # the same holder for 3 s: the group has settled
                        spare = w2 if holder is w1 else w1
                        break
                else:
                    steady, holder = 0, None
                time.sleep(0.5)
            assert spare is not None, (w1.log()[-2000:], w2.log()[-2000:])
            warning = f"no partition of {articles} assigned to this worker"
            assert warning not in spare.log()  # nothing waits: a spare worker is quiet
            os.kill(holder.proc.pid, signal.SIGSTOP)
            try:
                harness.publish_kafka_python(b.bootstrap, [{"id": f"w-{i}", "text": "Calm day."} for i in range(3)],
                                             articles)
                for _ in range(60):
                    if warning in spare.log():
                        break
                    time.sleep(0.5)
            finally:
                os.kill(holder.proc.pid, signal.SIGCONT)
            line = next((ln for ln in spare.log().splitlines() if warning in ln), None)
            assert line is not None, spare.log()[-3000:]
            assert "WARNING" in line and re.search(r"for [0-9]+ s while [1-3] message\(s\) wait on", line), line


# --- a worker that holds partitions and makes no progress -----------------------------------

def state(partition=0, end=10, committed=0, read=None, paused=False, in_flight=0, held=False):
    return PartitionState(partition=partition, end=end, committed=committed, read=read, paused=paused,
                          in_flight=in_flight, held=held)


def test_a_partition_stalls_when_input_waits_and_nothing_moves():
    w = ProgressWatch(after=60)
    assert w.look(0, [state(read=4, in_flight=5)], rebalancing=False) == []
    assert w.look(59, [state(read=4, in_flight=5)], rebalancing=False) == []
    assert w.stalled == 0
    stalled = w.look(60, [state(read=4, in_flight=5, paused=True)], rebalancing=False)
    assert [s.partition for s in stalled] == [0] and w.stalled == 1
    msg = w.message(60, "in", stalled)
    assert msg == ("no progress on in while input waits: partition 0: 10 message(s) wait, committed offset 0, "
                   "log end 10, last read offset 4, 5 in flight, paused, no progress for 60 s")
    assert w.look(90, [state(read=4)], rebalancing=False) == [] and w.stalled == 1  # warned: wait
    assert len(w.look(120, [state(read=4)], rebalancing=False)) == 1


def test_progress_or_an_empty_backlog_or_a_rebalance_starts_the_clock_over():
    w = ProgressWatch(after=10)
    w.look(0, [state(read=None), state(partition=1, committed=10)], rebalancing=False)
    # Partition 0 reads on; partition 1 has nothing waiting (committed at the end).
    assert w.look(10, [state(read=3), state(partition=1, committed=10)], rebalancing=False) == []
    assert w.look(19, [state(read=3), state(partition=1, committed=10)], rebalancing=False) == []
    assert [s.partition for s in w.look(20, [state(read=3)], rebalancing=False)] == [0]
    assert w.look(30, [state(read=3, committed=2)], rebalancing=False) == []  # a commit is progress
    assert w.look(40, [state(read=3, committed=2)], rebalancing=True) == []   # a rebalance: start over
    assert w.look(49, [state(read=3, committed=2)], rebalancing=False) == []
    assert len(w.look(50, [state(read=3, committed=2)], rebalancing=False)) == 1
    assert "nothing read yet" in w.message(50, "in", [state()])


def test_the_stall_warning_says_what_holds_the_partition():
    w = ProgressWatch(after=10)
    w.look(0, [state(held=True)], rebalancing=False)
    stalled = w.look(10, [state(held=True)], rebalancing=False)
    msg = w.message(10, "in", stalled, flow_stopped=True)
    assert msg.endswith("nothing read yet, 0 in flight, held paused by the stream consumer, "
                        "no progress for 10 s; the consumer's flow is stopped")
    assert "held" not in w.message(10, "in", [state()]) and "flow" not in w.message(10, "in", [state()])


@pytest.mark.integration
def test_a_worker_that_stops_making_progress_says_so(tmp_path):
    """The extraction process stopped (SIGSTOP) with articles waiting: the worker still holds
    its partition and is ready, and its log and `wirewatch_stalled_partitions` say it stalled."""
    import os
    import signal
    import time

    from tests import harness

    env = {"WIREWATCH_STALL_WARNING_SECONDS": "3", "WIREWATCH_LAG_INTERVAL_SECONDS": "1",
           "WIREWATCH_ARTICLE_TIMEOUT_SECONDS": "600"}
    with harness.start_broker("tansu", tmp_path) as b:
        with harness.Worker(b, tmp_path, app_id="ww-stall", partitions=1, env=env) as w:
            w.wait_ready()
            child = w.extraction_pid()
            text = "Ten people were killed in an attack on a market in Mali on Monday, officials said."
            harness.publish_kafka_python(b.bootstrap, [{"id": "s-0", "text": text}], w.topics["articles"])
            w.wait_metric("wirewatch_articles_processed_total", 1)
            warning = f"no progress on {w.topics['articles']} while input waits"
            assert warning not in w.log()
            os.kill(child, signal.SIGSTOP)
            try:
                harness.publish_kafka_python(b.bootstrap, [{"id": f"s-{i}", "text": text} for i in range(1, 6)],
                                             w.topics["articles"])
                for _ in range(60):
                    if warning in w.log():
                        break
                    time.sleep(0.5)
                line = next((ln for ln in w.log().splitlines() if warning in ln), None)
                assert line is not None, w.log()[-3000:]
                assert "WARNING" in line and re.search(r"partition 0: 5 message\(s\) wait, committed offset 1", line), line
                assert w.metric("wirewatch_stalled_partitions") == 1
            finally:
                os.kill(child, signal.SIGCONT)
            w.wait_metric("wirewatch_articles_processed_total", 6)
            deadline = time.monotonic() + 30
            while w.metric("wirewatch_stalled_partitions") != 0 and time.monotonic() < deadline:
                time.sleep(0.5)
            assert w.metric("wirewatch_stalled_partitions") == 0
