#!/usr/bin/env bash
# Schema-driven fuzzing of the real app (issue 10): schemathesis, pinned from PyPI into an ignored venv,
# sends generated requests (valid and invalid) to every operation of /openapi.json, with a bearer token of
# each kind of caller, against `npm start` (Temporal dev server, worker, API, demo data; PGlite unless
# DATABASE_URL is set: then in a fresh database on that server) on free ports. It fails on any 5xx and on
# any response the document does not describe (status, media type, body schema, headers; 405 with Allow for
# undeclared methods). GET /v1/events is left out: a server-sent events stream never ends, so every request
# would run into the request timeout (test/api/live-events.test.ts covers it). Time-boxed: FUZZ_SECONDS in total for the fuzzing (default 90), plus the app's start.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

ST_VERSION=4.32.5
venv=$PWD/.tools/schemathesis-venv
if ! "$venv/bin/st" --version 2>/dev/null | grep -q "$ST_VERSION"; then
  echo "== installing schemathesis $ST_VERSION into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$ST_VERSION"
fi

free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
work=$(mktemp -d /tmp/caseflow-fuzz.XXXXXX)
port=$(free_port)
app_pid=
cleanup() {
  if [ -n "$app_pid" ]; then
    # The app runs in its own process group (setsid): stop it and the dev server it started, by that id.
    kill -INT -- "-$app_pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$app_pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL -- "-$app_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# On PostgreSQL: a database of its own on that server (the demo seed and its tokens start fresh).
if [ -n "${DATABASE_URL:-}" ]; then
  fuzz_db=caseflow_fuzz_$(date +%s)_$$
  node -e 'const sql=require("postgres")(process.argv[1],{max:1,onnotice:()=>{}}); sql.unsafe(`create database ${process.argv[2]}`).then(()=>sql.end())' "$DATABASE_URL" "$fuzz_db"
  DATABASE_URL=$(node -e 'const u=new URL(process.argv[1]); u.pathname="/"+process.argv[2]; console.log(u.toString())' "$DATABASE_URL" "$fuzz_db")
  export DATABASE_URL
fi

# The fuzzer is one client sending thousands of requests, many without or with a wrong token on purpose:
# per-token and failed-authentication limits are raised for this process only.
PORT=$port HOST=127.0.0.1 DATA_DIR="$work/data" TEMPORAL_DEV_PORT=$(free_port) TEMPORAL_UI_PORT=$(free_port) \
  RATE_LIMIT_PER_MINUTE=1000000000 AUTH_FAILURES_PER_MINUTE=1000000000 LOG_LEVEL=${FUZZ_LOG_LEVEL:-error} \
  setsid node_modules/.bin/tsx scripts/start.ts >"$work/app.log" 2>&1 &
app_pid=$!
base=http://127.0.0.1:$port
for _ in $(seq 1 240); do
  if curl -fsS "$base/ready" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$app_pid" 2>/dev/null; then cat "$work/app.log"; echo "fuzz: the app did not start" >&2; exit 1; fi
  sleep 0.5
done
curl -fsS "$base/ready" >/dev/null || { tail -50 "$work/app.log"; echo "fuzz: the app is not ready" >&2; exit 1; }

token() { node -e 'const t=require(process.argv[1]).tokens.find((t)=>t.principalId===process.argv[2]); if(!t) process.exit(1); console.log(t.token)' "$work/data/demo-tokens.json" "$1"; }

total=${FUZZ_SECONDS:-90}
# Who calls: an administrator (administration, reports), a customer (opens cases, replies), an engineer
# (case work). Each gets a share of the time; together they reach every operation with its real roles.
read -r -a callers <<<"${FUZZ_CALLERS:-demo-admin northwind-production-nancy eng-emea}"
share=$((total / ${#callers[@]}))
status=0
started=$(date +%s)
for who in "${callers[@]}"; do
  echo "== schemathesis as $who (${share}s)"
  # From the scratch folder: schemathesis keeps a cache (.schemathesis/) in its working directory.
  (cd "$work" && PYTHONPATH="$root/scripts" SCHEMATHESIS_HOOKS=fuzz_hooks "$venv/bin/st" run "$base/openapi.json" --url "$base" \
    -H "Authorization: Bearer $(token "$who")" \
    --checks all --exclude-checks positive_data_acceptance,object_level_authorization,use_after_free,ensure_resource_availability \
    --exclude-path /v1/events \
    --max-time "$share" --workers 1 --request-timeout 30 --seed 1 --no-color \
    --report ndjson --report-ndjson-path "$work/$who.ndjson" --warnings off \
    >"$work/$who.out" 2>&1) || status=1
  # Failures are the API's; errors are requests that got no answer (the API's too) or, rarely, the
  # fuzzer's own internal errors (a Hypothesis lambda-source bug), which are reported but not failed.
  if grep -q "No issues found" "$work/$who.out"; then
    tail -8 "$work/$who.out"
  else
    sed -n '/^=* \(FAILURES\|ERRORS\) =*$/,$p' "$work/$who.out" | cut -c1-400 | grep -v "^\s*File \|^\s*\^" | head -120
    errors=$(sed -n '/^Errors:/,/^$/p' "$work/$who.out" | grep "🚫" | grep -vc "Runtime Error" || true)
    if grep -q "^Failures:" "$work/$who.out" || [ "$errors" != 0 ]; then status=1; fi
  fi
done
requests=$(cat "$work"/*.ndjson | grep -o '"status_code": *[0-9]*' | wc -l || true)
echo "== fuzz: $requests requests in $(($(date +%s) - started)) s; $( [ $status = 0 ] && echo green || echo FAILED)"
if [ $status != 0 ]; then
  grep -i "error\|500" "$work/app.log" | tail -20 || true
fi
exit $status
