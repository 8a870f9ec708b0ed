#!/usr/bin/env bash
# Runs all the tests: unit tests, the deployable-JAR check and the end-to-end tests against a real Keycloak 26.7.3
# (downloaded from Maven Central), with a real SMTP server, headless Chromium, and for the event pipeline's tests a
# private PostgreSQL and MariaDB (two-node clusters), OpenLDAP and rsyslog (RELP), and for the production-mode test
# nginx (a reverse proxy in front of kc.sh start --optimized) and openssl; then the smoke set (SmokeIT, LinkageIT) on
# Keycloak 26.4.7 and 26.5.6, the other supported lines. Extra arguments go to Maven, for example -Dit.long=true for
# the long variants of the pipeline's fault tests, or -Dit.keycloak.version=26.4.7 -Dit.test=... to run named tests on
# another distribution.
set -euo pipefail
cd "$(dirname "$0")"
. scripts/lib.sh

require_build_java
find_keycloak_java
ensure_browser
ensure_postgres
ensure_pipeline_receivers
ensure_reverse_proxy
say "Keycloak runs on $KEYCLOAK_JAVA_HOME"
exec ./mvnw -B verify "$@"
