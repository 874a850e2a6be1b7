#!/usr/bin/env bash
# Bootstrap everything `make test` and `make demo` need, on a fresh machine:
#   uv (from PyPI if missing), a .venv on Python >= 3.12, the locked dependencies,
#   and, with --system, the Debian packages tests use (chromium-headless-shell, PostgreSQL, Dovecot, Redis,
#   libarchive-tools and antiword for budget documents).
# Safe to run again: each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

want_system=0
for arg in "$@"; do
  case "$arg" in
    --system) want_system=1 ;;
    *) echo "bootstrap: unknown argument $arg" >&2; exit 2 ;;
  esac
done

say() { printf '\033[1m[bootstrap]\033[0m %s\n' "$*"; }

# --- system packages (Debian) ------------------------------------------------------------
if [ "$want_system" = 1 ]; then
  missing=()
  # the crawler's browser: Chromium's lean headless build (find_chromium prefers it)
  [ -x /usr/lib/chromium/chromium-headless-shell ] || missing+=(chromium-headless-shell)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
  command -v dovecot >/dev/null 2>&1 || missing+=(dovecot-imapd)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  # a Unicode TrueType font for the postal letter PDF (fpdf2) and the evidence screenshots
  [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
  # budget documents: RAR/7z bundles (libarchive, read through libarchive-c; bsdtar beside it)
  # and Word 97-2003 .doc files (antiword)
  # (libarchive-tools depends on libarchive13, the library libarchive-c loads)
  command -v bsdtar >/dev/null 2>&1 || missing+=(libarchive-tools)
  command -v antiword >/dev/null 2>&1 || missing+=(antiword)
  # npm, to fetch ReplayWeb.page's two files for the WACZ replay test (npm pack; never run)
  command -v npm >/dev/null 2>&1 || missing+=(npm)
  if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      say "installing Debian packages: ${missing[*]}"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -q >/dev/null
      apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
    else
      say "missing system packages: ${missing[*]}"
      say "install them with: sudo apt-get install ${missing[*]}"
      say "(tests that need them are skipped with that reason; the crawler runs statically without Chromium)"
    fi
  fi
fi

# --- uv ----------------------------------------------------------------------------------
if ! command -v uv >/dev/null 2>&1; then
  if [ -x "$HOME/.local/bin/uv" ]; then
    export PATH="$HOME/.local/bin:$PATH"
  else
    say "installing uv from PyPI"
    py=$(command -v python3 || command -v python)
    "$py" -m pip install -q --user uv 2>/dev/null || "$py" -m pip install -q uv
    export PATH="$HOME/.local/bin:$PATH"
  fi
fi
UV=$(command -v uv)

# --- a Python >= 3.12 ----------------------------------------------------------------------
ok_python() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; }
find_python() {
  local c
  for c in "${POBI_PYTHON:-}" python3.13 python3.12 python3; do
    [ -n "$c" ] || continue
    c=$(command -v "$c" 2>/dev/null) || continue
    ok_python "$c" && { echo "$c"; return 0; }
  done
  # pyenv installs whose shims refuse to run without PYENV_VERSION
  if command -v pyenv >/dev/null 2>&1; then
    for c in "$(pyenv root)"/versions/3.1[2-9]*/bin/python3 "$(pyenv root)"/versions/3.[2-9][0-9]*/bin/python3; do
      [ -x "$c" ] && ok_python "$c" && { echo "$c"; return 0; }
    done
  fi
  for c in /usr/bin/python3.1[2-9] /usr/local/bin/python3.1[2-9]; do
    [ -x "$c" ] && ok_python "$c" && { echo "$c"; return 0; }
  done
  return 1
}

if [ ! -x .venv/bin/python ] || ! ok_python .venv/bin/python; then
  if py=$(find_python); then
    say "creating .venv with $py"
    "$UV" venv -q --python "$py" .venv
  else
    say "no Python >= 3.12 found locally; asking uv to fetch one"
    "$UV" venv -q --python 3.12 .venv
  fi
fi

# byte-compile at install: with PYTHONDONTWRITEBYTECODE set (as on these machines) every process
# would otherwise compile scrapy, twisted and playwright from source at each start (~1 s of CPU
# in every crawl process)
"$UV" sync -q --frozen --compile-bytecode
.venv/bin/python -m compileall -q pobi crawler probes scoring dashboard >/dev/null
# --- standard web-archive players, for the replay test of the WACZ (tests/scoring/test_replay.py)
# pywb pins old libraries (redis 2.10, its own pyopenssl) that conflict with the project's, so it
# lives in its own venv; ReplayWeb.page is the npm package's two prebuilt files (ui.js, sw.js),
# taken with `npm pack` (no node_modules, nothing fetched when it runs).
PYWB_VERSION=2.10.0
RWP_VERSION=2.5.3
if [ ! -x .tools/pywb/bin/wayback ]; then
  say "installing pywb $PYWB_VERSION in .tools/pywb (its own venv: its pins conflict with ours)"
  mkdir -p .tools
  if "$UV" venv -q --python "$(.venv/bin/python -c 'import sys; print(sys.executable)')" .tools/pywb \
    && "$UV" pip install -q --python .tools/pywb/bin/python "pywb==$PYWB_VERSION"; then :; else
    say "could not install pywb: the replay test in pywb will be skipped"
    rm -rf .tools/pywb
  fi
fi
if [ ! -f .tools/replaywebpage/sw.js ]; then
  if command -v npm >/dev/null 2>&1; then
    say "fetching ReplayWeb.page $RWP_VERSION (npm pack) into .tools/replaywebpage"
    tmp=$(mktemp -d)
    if (cd "$tmp" && npm pack -q "replaywebpage@$RWP_VERSION" >/dev/null 2>&1) \
      && tar -xzf "$tmp"/replaywebpage-*.tgz -C "$tmp" package/ui.js package/sw.js package/LICENSE; then
      mkdir -p .tools/replaywebpage
      mv "$tmp"/package/ui.js "$tmp"/package/sw.js "$tmp"/package/LICENSE .tools/replaywebpage/
    else
      say "could not fetch ReplayWeb.page: the replay test in ReplayWeb.page will be skipped"
    fi
    rm -rf "$tmp"
  else
    say "no npm: the replay test in ReplayWeb.page will be skipped (apt-get install npm)"
  fi
fi
say "ready: $(.venv/bin/python --version), $(.venv/bin/pobi --version)"
if [ ! -x /usr/lib/chromium/chromium-headless-shell ] && [ ! -x /usr/bin/chromium ] \
  && ! command -v chromium-headless-shell >/dev/null 2>&1 && ! command -v chromium >/dev/null 2>&1; then
  say "no Chromium found: the crawler will fetch pages statically and say which sites may be under-reported"
fi
