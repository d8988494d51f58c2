#!/usr/bin/env bash
# regen.sh regenerates every SOPS fixture of internal/secrets and the demo
# secrets of examples/ with the real sops CLI and age-keygen, pinned to the
# versions below and installed through the Go module proxy:
#
#   go install github.com/getsops/sops/v3/cmd/sops@v3.13.3
#   go install filippo.io/age/cmd/age-keygen@v1.3.1
#
# Run it from anywhere: bash internal/secrets/testdata/regen.sh
# The test key is regenerated on every run (it guards nothing). The examples'
# demo keys are kept when present so that their .sops.yaml stays stable; delete
# examples/*/demo-age-key.txt to rotate them.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"

go install github.com/getsops/sops/v3/cmd/sops@v3.13.3
go install filippo.io/age/cmd/age-keygen@v1.3.1
bin="$(go env GOBIN)"
[ -n "$bin" ] || bin="$(go env GOPATH)/bin"
sops="$bin/sops"
agekeygen="$bin/age-keygen"

# sops must see neither a developer's keys nor a .sops.yaml of the caller.
export SOPS_DISABLE_VERSION_CHECK=1
unset SOPS_AGE_KEY SOPS_AGE_KEY_FILE SOPS_AGE_KEY_CMD SOPS_AGE_RECIPIENTS \
	SOPS_AGE_SSH_PRIVATE_KEY_FILE SOPS_AGE_SSH_PRIVATE_KEY_CMD

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# recipient prints the public key of an age key file.
recipient() { "$agekeygen" -y "$1"; }

# encrypt PLAIN OUT RECIPIENT encrypts PLAIN for RECIPIENT into OUT. PLAIN's
# extension tells sops the format; the config lookup is pointed at an empty
# file so that no .sops.yaml up the tree interferes.
encrypt() {
	: >"$tmp/empty.sops.yaml"
	"$sops" --config "$tmp/empty.sops.yaml" encrypt --age "$3" --output "$2" "$1"
}

# --- internal/secrets/testdata ---------------------------------------------
cd "$here"

{
	echo "# TEST ONLY: this age key encrypts the fixtures of internal/secrets."
	echo "# It guards nothing; never use it for real credentials."
	"$agekeygen" 2>/dev/null
} >test-only-age-key.txt
test_recipient="$(recipient test-only-age-key.txt)"

# The "other" key encrypts wrong-key.enc.yaml. Its private half is thrown away:
# no test machine can ever hold it.
"$agekeygen" -o "$tmp/other.txt" 2>/dev/null
other_recipient="$(recipient "$tmp/other.txt")"

cat >"$tmp/credentials.yaml" <<'YAML'
# Made-up credentials for tests.
client_id: test-client-id-7f3a
client_secret: test-secret-Zq9pL2vX
port: 5432
ratio: 0.25
enabled: true
YAML
encrypt "$tmp/credentials.yaml" credentials.enc.yaml "$test_recipient"

cat >"$tmp/credentials.json" <<'JSON'
{
  "client_id": "test-client-id-json-41c2",
  "client_secret": "test-secret-json-Hk4mW8",
  "port": 8089,
  "enabled": false
}
JSON
encrypt "$tmp/credentials.json" credentials.enc.json "$test_recipient"

cat >"$tmp/credentials.env" <<'ENV'
# Made-up credentials for tests.
CLIENT_ID=test-client-id-env-93bd
CLIENT_SECRET=test-secret-env-Rt7yN1
ENV
encrypt "$tmp/credentials.env" credentials.enc.env "$test_recipient"

cat >"$tmp/nested.yaml" <<'YAML'
client_id: test-client-id-nested
database:
  password: test-secret-nested-Vb2cX6
YAML
encrypt "$tmp/nested.yaml" nested.enc.yaml "$test_recipient"

cat >"$tmp/wrong-key.yaml" <<'YAML'
client_id: test-client-id-wrong
client_secret: test-secret-wrong-Jd5sQ3
YAML
encrypt "$tmp/wrong-key.yaml" wrong-key.enc.yaml "$other_recipient"

# plain.yaml and plain.env are what a user commits by mistake: never encrypted.
cat >plain.yaml <<'YAML'
client_id: test-client-id-plain
client_secret: test-secret-plain-Mx8gT4
YAML
cat >plain.env <<'ENV'
CLIENT_ID=test-client-id-plain
CLIENT_SECRET=test-secret-plain-Mx8gT4
ENV

# --- examples ----------------------------------------------------------------
for ex in quickstart multi-company; do
	dir="$repo/examples/$ex"
	[ -d "$dir" ] || continue
	cd "$dir"
	if [ ! -f demo-age-key.txt ]; then
		{
			echo "# DEMO ONLY — never use for real credentials."
			echo "# This key is public: it ships with gridsync's examples so that they run"
			echo "# out of the box. Generate your own with age-keygen and keep it secret."
			"$agekeygen" 2>/dev/null
		} >demo-age-key.txt
	fi
	demo_recipient="$(recipient demo-age-key.txt)"
	cat >.sops.yaml <<YAML
# SOPS encrypts every secrets/*.enc.yaml of this example for the demo age key
# in demo-age-key.txt. In your own repository, list your team's age
# recipients (and CI's) here instead, then run: sops updatekeys <file>
creation_rules:
  - path_regex: secrets/.*\.enc\.yaml\$
    age: $demo_recipient
YAML
	mkdir -p secrets
	cat >secrets/personio.enc.yaml <<'YAML'
# Personio API credentials (demo values the bundled simulator accepts).
client_id: gridsync-demo
client_secret: demo-secret-not-for-production
YAML
	# Encrypt in place through the example's own .sops.yaml, as a user would.
	"$sops" encrypt --in-place secrets/personio.enc.yaml
done
