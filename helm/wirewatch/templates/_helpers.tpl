{{/*
Chart name, truncated to the 63 characters a DNS label allows.
*/}}
{{- define "wirewatch.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Full name of the release's resources: release name plus chart name, unless the
release name already contains the chart name.
*/}}
{{- define "wirewatch.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Chart label value: name and version.
*/}}
{{- define "wirewatch.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Labels on every resource. The chart version lives here and never in selectors,
because a Deployment's selector cannot change on upgrade.
*/}}
{{- define "wirewatch.labels" -}}
helm.sh/chart: {{ include "wirewatch.chart" . }}
{{ include "wirewatch.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: wirewatch
{{- end }}

{{/*
Selector labels: stable across upgrades.
*/}}
{{- define "wirewatch.selectorLabels" -}}
app.kubernetes.io/name: {{ include "wirewatch.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Name of the ServiceAccount the worker runs as.
*/}}
{{- define "wirewatch.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "wirewatch.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
Image reference: a digest pins the image and wins over the tag.
*/}}
{{- define "wirewatch.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/*
Kafka security protocol derived from the TLS and SASL switches.
*/}}
{{- define "wirewatch.securityProtocol" -}}
{{- if and .Values.kafka.sasl.enabled .Values.kafka.tls.enabled }}SASL_SSL
{{- else if .Values.kafka.sasl.enabled }}SASL_PLAINTEXT
{{- else if .Values.kafka.tls.enabled }}SSL
{{- else }}PLAINTEXT
{{- end }}
{{- end }}

{{/*
Secret holding the SASL credentials: the user's own, or the chart's.
*/}}
{{- define "wirewatch.saslSecretName" -}}
{{- default (printf "%s-sasl" (include "wirewatch.fullname" .)) .Values.kafka.sasl.existingSecret }}
{{- end }}

{{/*
Secret holding the TLS material: the user's own, or the chart's.
*/}}
{{- define "wirewatch.tlsSecretName" -}}
{{- default (printf "%s-tls" (include "wirewatch.fullname" .)) .Values.kafka.tls.existingSecret }}
{{- end }}

{{/*
Replica ceiling for autoscalers: one consumer per partition at most, since a
consumer beyond the partition count gets no assignment and sits idle.
*/}}
{{- define "wirewatch.maxReplicas" -}}
{{- $max := int (ternary .Values.keda.maxReplicaCount .Values.autoscaling.maxReplicas .Values.keda.enabled) }}
{{- min $max (int .Values.kafka.topicPartitions) }}
{{- end }}

{{/*
Fail early on combinations the schema cannot express.
*/}}
{{- define "wirewatch.validate" -}}
{{- if and .Values.autoscaling.enabled .Values.keda.enabled }}
{{- fail "autoscaling.enabled and keda.enabled are exclusive: both would own the Deployment's replica count" }}
{{- end }}
{{- if gt (mulf 3 .Values.kafka.heartbeatIntervalSeconds) (float64 .Values.kafka.sessionTimeoutSeconds) }}
{{- fail "kafka.heartbeatIntervalSeconds must be at most a third of kafka.sessionTimeoutSeconds" }}
{{- end }}
{{- if and .Values.kafka.sasl.enabled (not .Values.kafka.sasl.existingSecret) }}
{{- if or (not .Values.kafka.sasl.username) (not .Values.kafka.sasl.password) }}
{{- fail "kafka.sasl.enabled needs kafka.sasl.existingSecret, or kafka.sasl.username and kafka.sasl.password" }}
{{- end }}
{{- end }}
{{- if and .Values.kafka.tls.enabled (not .Values.kafka.tls.existingSecret) }}
{{- if not .Values.kafka.tls.ca }}
{{- fail "kafka.tls.enabled needs kafka.tls.existingSecret or kafka.tls.ca" }}
{{- end }}
{{- if and .Values.kafka.tls.clientAuth (or (not .Values.kafka.tls.cert) (not .Values.kafka.tls.key)) }}
{{- fail "kafka.tls.clientAuth needs kafka.tls.cert and kafka.tls.key (or kafka.tls.existingSecret)" }}
{{- end }}
{{- end }}
{{- end }}
