# pint (Cloudflare's Prometheus rule linter) on helm/wirewatch/files/prometheus/rules.yaml:
# run offline by tests/deploy/test_deploy_linters.py, failing on any finding, informational
# ones included. Beyond pint's own checks, every alert must say how bad it is and what it means.
rule {
  match {
    kind = "alerting"
  }
  label "severity" {
    severity = "bug"
    value    = "(info|warning|critical)"
    required = true
  }
  annotation "summary" {
    severity = "bug"
    required = true
  }
  annotation "description" {
    severity = "bug"
    required = true
  }
}
