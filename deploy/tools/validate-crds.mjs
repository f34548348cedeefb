// Validates custom resources (ServiceMonitor, PrometheusRule, ScaledObject) against the
// OpenAPI schemas of their CRDs, as shipped by the @kubernetes-models packages.
// Input: a JSON array of objects on stdin. Output: one JSON line per object
// ({kind, name, ok, error}); the exit code is 1 when any object fails or has an unknown kind.
import { PrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import { ServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import { ScaledObject } from "@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject";

const MODELS = new Map([
  ["monitoring.coreos.com/v1/PrometheusRule", PrometheusRule],
  ["monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor],
  ["keda.sh/v1alpha1/ScaledObject", ScaledObject],
]);

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const objects = JSON.parse(Buffer.concat(chunks).toString("utf8"));

let failed = false;
for (const object of objects) {
  const key = `${object.apiVersion}/${object.kind}`;
  const name = object.metadata?.name ?? "";
  const Model = MODELS.get(key);
  if (!Model) {
    failed = true;
    console.log(JSON.stringify({ kind: key, name, ok: false, error: "no schema for this kind" }));
    continue;
  }
  try {
    new Model(object).validate();
    console.log(JSON.stringify({ kind: key, name, ok: true }));
  } catch (error) {
    failed = true;
    console.log(JSON.stringify({ kind: key, name, ok: false, error: String(error.message ?? error) }));
  }
}
process.exitCode = failed ? 1 : 0;
