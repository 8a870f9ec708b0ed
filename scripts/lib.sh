# Shared helpers of run-demo.sh, run-tests.sh and .ci/run. Each problem ends in one clear line.

say() { printf '%s\n' "$*"; }
fail() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

java_major() { # prints the major version of the JDK at $1, or nothing
  local rel="$1/release"
  [ -x "$1/bin/java" ] && [ -f "$rel" ] || return 0
  sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$rel"
}

# Keycloak 26.7 needs Java 21+: KEYCLOAK_JAVA_HOME, JAVA_HOME, else the newest JDK under /usr/lib/jvm.
find_keycloak_java() {
  local candidate best="" best_major=0 major
  for candidate in "${KEYCLOAK_JAVA_HOME:-}" "${JAVA_HOME:-}"; do
    [ -n "$candidate" ] || continue
    major=$(java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      export KEYCLOAK_JAVA_HOME="$candidate"; return 0
    fi
  done
  for candidate in "${GOVERNED_RECOVERY_JVM_DIR:-/usr/lib/jvm}"/*; do
    major=$(java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
      best="$candidate"; best_major="$major"
    fi
  done
  [ -n "$best" ] || fail "No Java 21 or newer found to run Keycloak 26.7: install one under /usr/lib/jvm or set KEYCLOAK_JAVA_HOME."
  export KEYCLOAK_JAVA_HOME="$best"
}

# Maven itself runs on any JDK 17+.
require_build_java() {
  command -v java >/dev/null 2>&1 || [ -n "${JAVA_HOME:-}" ] || fail "No JDK found to build with: install JDK 17 or newer, or set JAVA_HOME."
}

# Installs Debian packages ($2...) unless the probe command $1 succeeds; says why they are needed on failure.
ensure_packages() {
  local probe="$1"; shift
  if eval "$probe" >/dev/null 2>&1; then return 0; fi
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null || fail "The tests need the Debian packages $*: run 'sudo apt-get install -y $*'."
    sudo="sudo"
  fi
  say "Installing $* (Debian packages) for the tests..."
  export DEBIAN_FRONTEND=noninteractive
  if ! $sudo apt-get install -y -qq "$@" >/tmp/governed-recovery-apt.log 2>&1; then
    $sudo apt-get update -qq >>/tmp/governed-recovery-apt.log 2>&1 || true
    $sudo apt-get install -y -qq "$@" >>/tmp/governed-recovery-apt.log 2>&1 \
      || fail "Could not install $* with apt-get (see /tmp/governed-recovery-apt.log)."
  fi
}

# Browser tests drive Debian's Chromium through chromedriver.
ensure_browser() {
  ensure_packages '[ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]' chromium chromium-driver
}

# The cluster tests run two Keycloak nodes on a private PostgreSQL (started and stopped by the tests themselves).
ensure_postgres() {
  ensure_packages 'ls /usr/lib/postgresql/*/bin/initdb' postgresql
}

# The event-pipeline tests also run on a private MariaDB, federate a private OpenLDAP (users whose Keycloak ids are
# longer than 36 characters) and export to a private rsyslog over RELP; each is started and stopped by the tests and
# never touches the machine's own services (Debian's packages do not start them where policy-rc.d forbids it).
ensure_pipeline_receivers() {
  ensure_packages '[ -x /usr/sbin/mariadbd ] && [ -x /usr/bin/mariadb-install-db ]' mariadb-server
  ensure_packages '[ -x /usr/sbin/slapd ] && [ -x /usr/sbin/slapadd ]' slapd
  ensure_packages '[ -x /usr/sbin/rsyslogd ] && ls /usr/lib/*/rsyslog/imrelp.so' rsyslog rsyslog-relp
}

# The production-mode test puts Debian's nginx in front of Keycloak (its own config, pid file and loopback port; never
# the machine's nginx service) and generates its TLS certificate with openssl.
ensure_reverse_proxy() {
  ensure_packages '[ -x /usr/sbin/nginx ] && command -v openssl' nginx openssl
}

# Runs a Maven build quietly into a log; on failure says in one line why (download, or else the log to read).
maven_or_explain() {
  local log="$1"; shift
  mkdir -p "$(dirname "$log")"
  if ! ./mvnw "$@" >"$log" 2>&1; then
    if grep -qE "Could not (transfer|resolve|download)|Unknown host|UnknownHostException|Connection (refused|timed out)|Failed to fetch" "$log"; then
      fail "Download from Maven Central failed (network or proxy?): see $log"
    fi
    fail "Build failed: see $log"
  fi
}
