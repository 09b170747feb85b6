#!/usr/bin/env bash
# Installs the Debian packages MotCua needs, only those missing. Usage: ensure-packages.sh run|test
set -euo pipefail
# Digitization: poppler (inspection), ocrmypdf + Tesseract with Vietnamese (OCR), qpdf (rewrites
# scans with classic xref tables so they can be signed at reception).
want=(sqlite3 libsqlite3-dev ca-certificates poppler-utils ocrmypdf tesseract-ocr-vie qpdf)
if [ "${1:-run}" = "test" ]; then
  # Test fixtures: scans drawn with Pillow and the DejaVu font; openpyxl reads exported XLSX files;
  # Chromium, its driver and Selenium run the browser journey (Tests/Browser/journey.py); curl and
  # jq drive live servers (scripts/replica-test.sh); nginx and systemd check the shipped deployment
  # files (scripts/deploy-test.sh).
  want+=(postgresql postgresql-contrib python3-pip python3-pil fonts-dejavu-core zbar-tools libnss3-tools openssl
    python3-fonttools libpdfbox2-java libactivation-java libjaxb-api-java default-jre-headless python3-openpyxl
    chromium chromium-driver python3-selenium curl jq nginx systemd)
fi
missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if ! command -v swift >/dev/null 2>&1; then
  echo "swift is not on PATH: install the Swift 6 toolchain (swift.org) and retry" >&2
  exit 1
fi
if [ "${1:-run}" = "test" ]; then
  python3 -c "import openapi_spec_validator" 2>/dev/null || {
    echo "==> installing openapi-spec-validator (PyPI)"
    python3 -m pip install -q openapi-spec-validator 2>/dev/null || python3 -m pip install -q --break-system-packages openapi-spec-validator
  }
  # schemathesis fuzzes the public API against its OpenAPI document (scripts/fuzz-api.sh).
  command -v schemathesis >/dev/null 2>&1 || {
    echo "==> installing schemathesis (PyPI)"
    python3 -m pip install -q schemathesis 2>/dev/null || python3 -m pip install -q --break-system-packages schemathesis
  }
  # pyHanko validates MotCua's PAdES signatures independently in the signing tests.
  command -v pyhanko >/dev/null 2>&1 || {
    echo "==> installing pyHanko (PyPI)"
    python3 -m pip install -q pyhanko pyhanko-certvalidator pyhanko-cli 2>/dev/null \
      || python3 -m pip install -q --break-system-packages pyhanko pyhanko-certvalidator pyhanko-cli
  }
  # moto's server is the S3-compatible store the S3 blob store is tested against.
  python3 -c "import moto.server, flask" 2>/dev/null || {
    echo "==> installing moto[server] (PyPI)"
    python3 -m pip install -q "moto[server]" 2>/dev/null || python3 -m pip install -q --break-system-packages "moto[server]"
  }
fi
echo "==> system packages ready"
