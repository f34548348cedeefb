"""wirewatch's Kafka side: the Faust app, settings, topics, wire records, metrics, CLI."""

__version__ = "0.1.0"
