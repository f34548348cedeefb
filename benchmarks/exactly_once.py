"""Does Faust's exactly_once hold for wirewatch over real Kafka transactions?

A worker run with `processing_guarantee="exactly_once"` (patched in: wirewatch offers
only at_least_once) on a single Apache Kafka node is killed with SIGKILL after 100 of
500 articles; a second worker finishes the stream. The casualty topic is then read
with `isolation_level=read_committed`: with exactly-once, no article has two claims.

    .venv/bin/python benchmarks/exactly_once.py /tmp/eos

Prints the claims read committed and uncommitted and the articles duplicated.
"""
import collections
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from streams import brokers
from tests import harness
from tests.test_reliability import stream

WRAP = ("import streams.app as m\n"
        "orig = m.App.__init__\n"
        "def init(self, *a, **kw):\n"
        "    kw['processing_guarantee'] = 'exactly_once'\n"
        "    orig(self, *a, **kw)\n"
        "m.App.__init__ = init\n"
        "from streams.cli import main\n"
        "main(['run'])\n")

class EosWorker(harness.Worker):
    def start(self):
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen([sys.executable, "-c", WRAP], env=self.env, cwd=harness.ROOT,
                                         stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        return self

def read_committed(bootstrap, topic, idle=4.0):
    from kafka import KafkaConsumer
    c = KafkaConsumer(topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest", enable_auto_commit=False,
                      group_id=None, consumer_timeout_ms=int(idle * 1000), isolation_level="read_committed")
    out = [json.loads(m.value) for m in c]
    c.close()
    return out

tmp = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/wirewatch-exactly-once")
tmp.mkdir(parents=True, exist_ok=True)
b = brokers.launch("apache-kafka", tmp / "kafka")
try:
    arts = stream(500, "eos"); ids = {a["id"] for a in arts}
    app = "ww-eos"
    w1 = EosWorker(b, tmp, app_id=app, name="first").start()
    try:
        w1.wait_ready(240)
        print("first worker ready", flush=True)
        harness.publish_kafka_python(b.bootstrap, arts, w1.topics["articles"])
        w1.wait_metric("wirewatch_articles_processed_total", 100, timeout=300)
        done = w1.metric("wirewatch_articles_processed_total")
        w1.stop(signal.SIGKILL)
        print("killed after", done, flush=True)
    finally:
        w1.stop(signal.SIGKILL)
    w2 = EosWorker(b, tmp, app_id=app, name="second").start()
    try:
        w2.wait_ready(240)
        deadline = time.monotonic() + 400
        while time.monotonic() < deadline:
            claims = read_committed(b.bootstrap, w2.topics["casualty"])
            seen = {c["article_id"] for c in claims}
            if ids <= seen: break
            time.sleep(3)
        per = collections.Counter(c["article_id"] for c in claims)
        dups = {k: v for k, v in per.items() if v > 1}
        print(f"read_committed: {len(claims)} claims for {len(seen & ids)} of {len(ids)} articles, "
              f"{len(dups)} articles duplicated", flush=True)
        uncommitted = harness.consume(b.bootstrap, w2.topics["casualty"], at_least=1, idle=3)
        print(f"read_uncommitted: {len(uncommitted)} claims", flush=True)
        print("second worker processed", w2.metric("wirewatch_articles_processed_total"), flush=True)
        log = (tmp / w1.log_path.name).read_text(errors="replace")
        print("first worker:", next((ln.split("]: ", 1)[-1] for ln in log.splitlines()
                                     if "transactional producers" in ln), "no transactional producers started"))
    finally:
        w2.stop()
finally:
    b.stop()
