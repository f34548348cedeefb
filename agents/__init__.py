"""wirewatch processing stages: Faust agents and the Kafka-free extraction core."""
