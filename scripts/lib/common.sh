# Shared by the project's entry scripts: installing what a fresh Debian 12 machine lacks.
# Sourced, not run. Every function is idempotent so the scripts can be re-run at will.

# Root runs apt-get directly; anyone else goes through sudo.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# ensure_packages PKG...: installs the Debian packages that are not installed yet.
ensure_packages() {
  local missing=()
  local pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  echo "installing Debian packages: ${missing[*]}" >&2
  # A fresh machine has no package lists yet; refresh them once per script run.
  if [ -z "${TDMGATE_APT_UPDATED:-}" ]; then
    as_root apt-get update -qq
    export TDMGATE_APT_UPDATED=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# What building the binding needs: a C++ toolchain for node-gyp and DAHDI's real header.
ensure_build_deps() {
  ensure_packages build-essential python3 dahdi-source
}

# npm ci when node_modules is missing or older than the lock file; then the native + TS build.
ensure_built() {
  local top=$1
  if [ ! -d "$top/node_modules" ] || [ "$top/package-lock.json" -nt "$top/node_modules/.package-lock.json" ]; then
    (cd "$top" && npm ci --no-fund --no-audit)
  fi
  (cd "$top" && npm run --silent build)
}
