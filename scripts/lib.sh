# Shared steps of scripts/run and scripts/test (sourced, not run).

PYTHON=${PYTHON:-python3}

current() {
  [ -f ".venv/.installed-$1" ] && [ ".venv/.installed-$1" -nt pyproject.toml ]
}

ensure_venv() {
  local extra=$1
  local stamp=".venv/.installed-$extra"
  # The test extra includes everything the embedded one has.
  if current "$extra" || { [ "$extra" = embedded ] && current test; }; then
    return 0
  fi
  if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
  fi
  echo "== installing into .venv ($extra)"
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e ".[$extra]"
  touch "$stamp"
}

# Installs a Debian package as root; otherwise says what is missing and how to install it.
apt_install() {
  local package=$1 missing=$2
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "== installing $package"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package"
  else
    echo "$missing:" >&2
    echo "  sudo apt-get install $package" >&2
    return 1
  fi
}

rabbitmq_up() {
  (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null
}

ensure_rabbitmq() {
  if rabbitmq_up; then
    return 0
  fi
  if ! command -v rabbitmq-server >/dev/null; then
    apt_install rabbitmq-server "RabbitMQ is not running on 127.0.0.1:5672 and not installed" || return 1
  fi
  echo "== starting RabbitMQ"
  rabbitmq-server -detached || true
  for _ in $(seq 1 60); do
    if rabbitmq_up && rabbitmqctl -q await_startup >/dev/null 2>&1; then
      return 0
    fi
    sleep 1
  done
  echo "RabbitMQ did not start; see /var/log/rabbitmq" >&2
  return 1
}

# The browser tests drive Debian's Chromium through Playwright (Playwright's own browser
# download cannot run here; the Debian package can).
ensure_chromium() {
  if [ -x /usr/bin/chromium ]; then
    return 0
  fi
  apt_install chromium "Chromium is not installed at /usr/bin/chromium (the browser tests need it)"
}

# The monthly report's PDF test renders a page with poppler's pdftoppm.
ensure_poppler() {
  if command -v pdftoppm >/dev/null; then
    return 0
  fi
  apt_install poppler-utils "pdftoppm is not installed (the monthly report's PDF test needs it)"
}

# The Prometheus tests run Debian's promtool (rules and their unit tests) and a
# prometheus binary of their own (temporary config and storage, a free port). The
# package's own service is not wanted: it is kept from starting (policy-rc.d), and one
# that started anyway is stopped.
ensure_prometheus() {
  if command -v promtool >/dev/null && command -v prometheus >/dev/null; then
    return 0
  fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "== installing prometheus (for promtool and the live monitoring test)"
    local made_policy=
    if [ ! -e /usr/sbin/policy-rc.d ]; then
      printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
      chmod +x /usr/sbin/policy-rc.d
      made_policy=1
    fi
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus
    if [ -n "$made_policy" ]; then
      rm -f /usr/sbin/policy-rc.d
    fi
    systemctl disable --now prometheus >/dev/null 2>&1 || true
    if [ -f /run/prometheus/prometheus.pid ]; then
      kill "$(cat /run/prometheus/prometheus.pid)" 2>/dev/null || true
    fi
  else
    echo "promtool and prometheus are not installed (the monitoring tests need them):" >&2
    echo "  sudo apt-get install prometheus" >&2
    return 1
  fi
}

# Queue depths come from RabbitMQ's own Prometheus plugin (port 15692); it ships with
# the broker and is enabled here (online, no restart) for the live monitoring test.
ensure_rabbitmq_prometheus() {
  if (exec 3<>/dev/tcp/127.0.0.1/15692) 2>/dev/null; then
    return 0
  fi
  if [ "$(id -u)" = 0 ] && command -v rabbitmq-plugins >/dev/null; then
    echo "== enabling rabbitmq_prometheus"
    rabbitmq-plugins enable --quiet rabbitmq_prometheus >/dev/null || true
  else
    echo "RabbitMQ's Prometheus plugin is off; the live test then skips queue depths:" >&2
    echo "  sudo rabbitmq-plugins enable rabbitmq_prometheus" >&2
  fi
}
