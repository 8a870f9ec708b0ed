#!/usr/bin/env bash
# Runs all the tests: unit tests, the deployable-JAR check and the end-to-end tests against a real Keycloak 26.7.3
# (downloaded from Maven Central), with a real SMTP server, headless Chromium and
# (for the two-node tests) a private PostgreSQL. Extra arguments go to Maven.
set -euo pipefail
cd "$(dirname "$0")"
. scripts/lib.sh

require_build_java
find_keycloak_java
ensure_browser
ensure_postgres
say "Keycloak runs on $KEYCLOAK_JAVA_HOME"
exec ./mvnw -B verify "$@"
