#!/usr/bin/env bash
# Starts the demo: Keycloak 26.7.3 with Governed Recovery and the demo realm on http://localhost:8080, a mail catcher
# on http://localhost:8025, and prints the URLs and demo users. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")"
. scripts/lib.sh

require_build_java
find_keycloak_java
say "Building Governed Recovery (the first run downloads Maven, Keycloak 26.7.3 and the dependencies)..."
maven_or_explain target/demo-build.log -B -DskipTests install
exec ./mvnw -B -q -pl it-tests exec:java
