#!/usr/bin/env bash
# The compose set's broker: format once with the SCRAM users (one per file in credentials/), then run.
set -euo pipefail
PROPS=/opt/kafka/config/umg-server.properties
CREDENTIALS=/run/umg-kafka/credentials
scram=()
for file in "$CREDENTIALS"/*.password; do
  scram+=(--add-scram "SCRAM-SHA-512=[name=$(basename "$file" .password),password=$(cat "$file")]")
done
/opt/kafka/bin/kafka-storage.sh format --ignore-formatted --config "$PROPS" \
  --cluster-id "$(/opt/kafka/bin/kafka-storage.sh random-uuid)" "${scram[@]}" >/dev/null
# The health check's client settings (inside the container only).
umask 077
cat >/tmp/admin.properties <<PROPERTIES
security.protocol=SASL_SSL
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$(cat "$CREDENTIALS/admin.password")";
ssl.truststore.type=PEM
ssl.truststore.location=/run/umg-kafka/tls/ca.cert.pem
PROPERTIES
exec /opt/kafka/bin/kafka-server-start.sh "$PROPS"
