"""The start's security checks without a broker: what the broker says a principal may
do, against what the worker does on each topic and its group."""
from __future__ import annotations

import pytest

from streams.preflight import PreflightError, check_access, check_credentials
from streams.settings import Settings
from streams.topics import TopicNames

S = Settings(broker="127.0.0.1:1", app_id="ww-p", security_protocol="SSL")


class Admin:
    def __init__(self, group_ops=("READ", "DESCRIBE"), error: Exception | None = None) -> None:
        self.group_ops, self.error = list(group_ops), error

    def describe_groups(self, ids):
        if self.error:
            raise self.error
        return {ids[0]: {"authorized_operations": self.group_ops}}


def metas(**override):
    names = TopicNames.from_settings(S)
    ops = {"articles": ["READ", "DESCRIBE"], "alert_candidates": ["READ", "WRITE", "DESCRIBE"],
           "alert_state_changelog": ["READ", "WRITE", "DESCRIBE"]}
    out = []
    for field, topic in names.__dict__.items():
        meta = {"name": topic, "error_code": 0, "authorized_operations": ops.get(field, ["WRITE", "DESCRIBE"])}
        meta.update(override.get(field, {}))
        out.append(meta)
    return out


def test_everything_the_worker_needs_passes():
    check_access(Admin(), S, metas())


@pytest.mark.parametrize("field,ops,op", [("casualty", ["DESCRIBE"], "WRITE"), ("articles", ["DESCRIBE"], "READ"),
                                          ("alert_state_changelog", ["READ", "DESCRIBE"], "WRITE")])
def test_a_missing_operation_names_the_topic(field, ops, op):
    topic = getattr(TopicNames.from_settings(S), field)
    with pytest.raises(PreflightError, match=f"topic {topic}: no ACL allows {op}"):
        check_access(Admin(), S, metas(**{field: {"authorized_operations": ops}}))


def test_a_topic_it_may_not_describe_is_named():
    with pytest.raises(PreflightError, match=f"topic {S.topic_deadletter}: .*DESCRIBE"):
        check_access(Admin(), S, metas(deadletter={"error_code": 29, "authorized_operations": None}))


def test_the_group_is_checked():
    from kafka.errors import GroupAuthorizationFailedError

    with pytest.raises(PreflightError, match="consumer group ww-p \\(WIREWATCH_APP_ID\\)"):
        check_access(Admin(error=GroupAuthorizationFailedError()), S, metas())
    with pytest.raises(PreflightError, match="consumer group ww-p"):
        check_access(Admin(group_ops=["DESCRIBE"]), S, metas())


def test_brokers_that_report_no_operations_are_not_checked():
    check_access(Admin(group_ops=[]), S, metas(casualty={"authorized_operations": None}))


def test_credentials_are_not_checked_without_security_or_broker():
    check_credentials(Settings(broker="127.0.0.1:9"))  # PLAINTEXT: nothing to check
    check_credentials(S)  # nothing listens on 127.0.0.1:1: the start's own timeout reports it
