#!/usr/bin/env bash
# Idempotent machine set-up for l10n_fr_debt_recovery:
# Debian packages, PostgreSQL, Odoo 19 source, a virtual environment, and an
# addons folder where Odoo finds this repository under its technical name.
# Every step checks before it acts, so running it again costs seconds.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ODOO_SRC="${ODOO_SRC:-/opt/odoo19}"
VENV="${VENV:-/opt/l10n_fr_debt_recovery/venv}"
ADDONS_DIR="${ADDONS_DIR:-/opt/l10n_fr_debt_recovery/addons}"
PG_VERSION="${PG_VERSION:-15}"
log() { printf '[setup] %s\n' "$*" >&2; }

SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"

# 1. Debian packages --------------------------------------------------------
DEB_PACKAGES="libldap2-dev libsasl2-dev libxml2-dev libxslt1-dev libjpeg-dev libpq-dev
  wkhtmltopdf poppler-utils chromium postgresql git"
missing=""
for p in $DEB_PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  log "installing Debian packages:$missing"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# 2. PostgreSQL (no systemd here) and a superuser role for the current user --
if ! pg_lsclusters -h 2>/dev/null | grep -q "^$PG_VERSION main"; then
  $SUDO pg_createcluster "$PG_VERSION" main >/dev/null
fi
if ! pg_lsclusters -h | awk -v v="$PG_VERSION" '$1==v && $2=="main"{print $4}' | grep -q online; then
  log "starting PostgreSQL $PG_VERSION"
  $SUDO pg_ctlcluster "$PG_VERSION" main start
fi
for _ in $(seq 1 30); do pg_isready -q && break; sleep 1; done
ME="$(id -un)"
if ! su postgres -c "psql -tAc \"SELECT 1 FROM pg_roles WHERE rolname='$ME'\"" | grep -q 1; then
  log "creating PostgreSQL superuser role $ME"
  su postgres -c "createuser -s '$ME'"
fi

# 3. Odoo 19 source ---------------------------------------------------------
if [ ! -f "$ODOO_SRC/odoo-bin" ]; then
  log "no Odoo in $ODOO_SRC: cloning Odoo 19.0 from upstream"
  $SUDO mkdir -p "$(dirname "$ODOO_SRC")"
  git clone --depth 1 --branch 19.0 https://github.com/odoo/odoo.git "$ODOO_SRC"
fi
# Some Odoo 19 snapshots ship views/res_config_settings.xml under the wrong name.
for a in iap lunch cloud_storage_migration l10n_account_withholding_tax l10n_ar_withholding; do
  d="$ODOO_SRC/addons/$a/views"
  if [ -f "$d/res_config_settings.xml" ] && [ ! -f "$d/res_config_settings_views.xml" ]; then
    cp "$d/res_config_settings.xml" "$d/res_config_settings_views.xml"
  fi
done

# 4. Virtual environment ----------------------------------------------------
STAMP="$VENV/.l10n_fr_debt_recovery-stamp"
WANT="$(cat "$ODOO_SRC/requirements.txt" "$HERE/scripts/requirements.txt" | sha1sum | cut -c1-12)-$ODOO_SRC"
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$WANT" ]; then
  log "building the virtual environment in $VENV"
  mkdir -p "$(dirname "$VENV")"
  [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --upgrade pip wheel "setuptools<81"
  "$VENV/bin/pip" install -q -r "$ODOO_SRC/requirements.txt"
  # A newer lxml breaks Odoo 19's HTML cleaner.
  "$VENV/bin/pip" install -q "lxml==4.9.3" "lxml_html_clean==0.1.1"
  "$VENV/bin/pip" install -q --no-deps --config-settings editable_mode=compat -e "$ODOO_SRC"
  "$VENV/bin/pip" install -q -r "$HERE/scripts/requirements.txt"
  echo "$WANT" > "$STAMP"
fi

# 5. Addons folder: Odoo finds this repository under its technical name -----
mkdir -p "$ADDONS_DIR"
ln -sfn "$HERE" "$ADDONS_DIR/l10n_fr_debt_recovery"
log "ready: venv=$VENV addons=$ADDONS_DIR odoo=$ODOO_SRC"
