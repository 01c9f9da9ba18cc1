#!/usr/bin/env bash
# Benchmark: a district-scale dataset (15 streets), a release build, and wrk (Debian's) against
# each page, logged in as the district admin. Prints req/s, p50 and p99 per page and each page's
# throughput as a ratio of /healthz measured in the same run (machines here are noisy: compare
# ratios, not absolute numbers). The stmts column is the SQL statements one warm request of the
# page sends (the server's X-Statements header, `count_statements`).
#
#   bench/run.sh                         # SQLite in a temp dir
#   DATABASE_URL=postgres://… bench/run.sh   # PostgreSQL (an empty database)
#
# Env: CONNECTIONS (32), DURATION (8s), THREADS (2), STREETS (15), DAYS (365), ONLY (a regex:
# time only the pages whose name matches, e.g. ONLY='healthz|issue|figures' for the city-year run
# STREETS=200, where the whole-city tree pages are not the point).
set -euo pipefail
cd "$(dirname "$0")/.."
CONNECTIONS=${CONNECTIONS:-32}
DURATION=${DURATION:-8s}
THREADS=${THREADS:-2}
STREETS=${STREETS:-15}
DAYS=${DAYS:-365}
PORT=${PORT:-18080}
ONLY=${ONLY:-.}

command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
cargo build --release --quiet
BIN=target/release/gridwork
DATA=$(mktemp -d /tmp/gridwork-bench.XXXXXX)
trap 'kill ${SERVER:-0} 2>/dev/null || true; rm -rf "$DATA"' EXIT

echo "dataset: demo --streets $STREETS --days $DAYS"
/usr/bin/time -f "  generated in %es" "$BIN" --data "$DATA" demo --streets "$STREETS" --days "$DAYS" >/dev/null
GRIDWORK_LOG=warn GRIDWORK_COUNT_STATEMENTS=true "$BIN" --data "$DATA" serve --bind "127.0.0.1:$PORT" >"$DATA/server.log" 2>&1 &
SERVER=$!
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 100); do curl -fs "$BASE/healthz" >/dev/null 2>&1 && break; sleep 0.1; done

# Log in: the district admin has the largest scope (the largest pages); the street leader is
# what most users see.
login() {
  local jar="$DATA/cookies-$1" token
  token=$(curl -fs -c "$jar" "$BASE/login" | sed -n 's/.*name="csrf_token" value="\([0-9a-f]*\)".*/\1/p' | head -n 1)
  curl -fs -b "$jar" -c "$jar" -o /dev/null --data "csrf_token=$token&username=$1&password=Demo%402026" "$BASE/login"
  awk '$6 == "gw_session" { print "gw_session=" $7 }' "$jar"
}
COOKIE=$(login admin)
LEADER=$(login leader)
# The grid worker of 工人路社区第1网格, for their own grid's pages; the street's and the
# community's clerk and the branch secretary, for their homes.
WORKER=$(login worker)
CLERK=$(login clerk)
CCLERK=$(login cclerk)
SECRETARY=$(login secretary)
for c in "$COOKIE" "$LEADER" "$WORKER" "$CLERK" "$CCLERK" "$SECRETARY"; do
  [ -n "$c" ] || { echo "login failed" >&2; exit 1; }
done

STREET=$(curl -fs -b "$COOKIE" "$BASE/org" | sed -n 's/.*href="\/org\/\([0-9]*\)">林山寨街道<.*/\1/p' | head -n 1)
GRID=$(curl -fs -b "$LEADER" "$BASE/org" | sed -n 's/.*href="\/org\/\([0-9]*\)">工人路社区第1网格<.*/\1/p' | head -n 1)
# An issue of the street, from the leader's list.
ISSUE=$(curl -fs -b "$LEADER" "$BASE/issues" | grep -o 'href="/issues/[0-9]*"' | head -n 1 | tr -dc 0-9)
[ -n "$ISSUE" ] || { echo "no issue in the dataset" >&2; exit 1; }
PATROL=$(curl -fs -b "$LEADER" "$BASE/patrols" | sed -n 's/.*href="\/patrols\/\([0-9]*\)">.*/\1/p' | head -n 1)
NOTICE=$(curl -fs -b "$LEADER" "$BASE/inspections/notices" | sed -n 's/.*href="\/inspections\/notices\/\([0-9]*\)">.*/\1/p' | head -n 1)
# A party activity of the street, from the leader's list, and 工人路社区党支部 (the demo
# secretary's branch) for its ledger.
ACTIVITY=$(curl -fs -b "$LEADER" "$BASE/party/activities" 2>/dev/null | sed -n 's/.*href="\/party\/activities\/\([0-9]*\)".*/\1/p' | head -n 1 || true)
BRANCH=$(curl -fs -b "$LEADER" "$BASE/party" | sed -n 's/.*href="\/party\/branches\/\([0-9]*\)">工人路社区党支部<.*/\1/p' | head -n 1)
# One of that branch's pairings and one of the street's opinions, from their lists.
PAIRING=$(curl -fs -b "$LEADER" "$BASE/party/branches/$BRANCH/pairings" | sed -n 's/.*href="\/party\/branches\/[0-9]*\/pairings\/\([0-9]*\)".*/\1/p' | head -n 1)
DEMOLITION=$(curl -fs -b "$LEADER" "$BASE/campaigns/demolition" | sed -n 's/.*href="\/campaigns\/demolition\/\([0-9]*\)">陇海.*/\1/p' | head -n 1)
OPINION=$(curl -fs -b "$LEADER" "$BASE/party/opinions" | sed -n 's/.*href="\/party\/opinions\/\([0-9]*\)".*/\1/p' | head -n 1)
CAMPAIGN=$(curl -fs -b "$LEADER" "$BASE/campaigns" | sed -n 's/.*href="\/campaigns\/\([0-9]*\)".*/\1/p' | head -n 1)

# The street's weekly meeting with a 40-item agenda, made through the forms as its clerk would:
# create it (the agenda drafts itself), then add free topics or remove lines to make 40.
csrf_of() { sed -n 's/.*name="csrf_token" value="\([0-9a-f]*\)".*/\1/p' | head -n 1; }
JAR="$DATA/jar-clerk"
token=$(curl -fs -c "$JAR" "$BASE/login" | csrf_of)
curl -fs -b "$JAR" -c "$JAR" -o /dev/null --data "csrf_token=$token&username=clerk&password=Demo%402026" "$BASE/login"
form=$(curl -fs -b "$JAR" -c "$JAR" "$BASE/meetings/new?unit=$STREET&kind=weekly")
token=$(csrf_of <<<"$form")
ftoken=$(sed -n 's/.*name="form_token" value="\([0-9a-f]*\)".*/\1/p' <<<"$form" | head -n 1)
where=$(curl -fs -b "$JAR" -c "$JAR" -o /dev/null -w '%{redirect_url}' \
  --data "csrf_token=$token&form_token=$ftoken&unit_id=$STREET&kind=weekly&day=$(TZ=Asia/Shanghai date +%F)&start_time=09:00&end_time=11:00&place=bench&chair=bench&recorder=bench" \
  "$BASE/meetings")
MEETING=$(sed -n 's|.*/meetings/\([0-9]*\).*|\1|p' <<<"$where")
[ -n "$MEETING" ] || { echo "could not create the bench meeting" >&2; exit 1; }
mapfile -t lines < <(curl -fs -b "$JAR" "$BASE/meetings/$MEETING" | grep -o 'id="item-[0-9]*" class="agenda-item"' | sed 's/[^0-9]//g')
for ((n = ${#lines[@]}; n < 40; n++)); do
  curl -fs -b "$JAR" -o /dev/null --data "csrf_token=$token&topic=bench-topic-$n" "$BASE/meetings/$MEETING/items"
done
for item in "${lines[@]:40}"; do
  curl -fs -b "$JAR" -o /dev/null --data "csrf_token=$token&op=remove" "$BASE/meetings/$MEETING/items/$item/move"
done
echo "bench meeting $MEETING: $(curl -fs -b "$JAR" "$BASE/meetings/$MEETING" | grep -c 'class="agenda-item"') agenda items"

# The demo publishes the last October's assessment (src/demo/assessment.rs).
ASSESS_OCT="$(( $(date +%-m) > 10 ? $(date +%Y) : $(date +%Y) - 1 ))-10"
pages=(
  "healthz|/healthz|anon"
  "login page|/login|anon"
  "cockpit (district)|/"
  "cockpit (street)|/|leader"
  "brief (street)|/brief|leader"
  "home (worker)|/|worker"
  "home (street clerk)|/|clerk"
  "home (comm. clerk)|/|cclerk"
  "home (secretary)|/|secretary"
  "tree (district)|/org"
  "tree (street)|/org|leader"
  "tree export|/org/export.xlsx|leader"
  "street page|/org/$STREET"
  "grid page|/org/$GRID"
  "notice|/grids/$GRID/notice"
  "service card|/grids/$GRID/card"
  "patrol calendar|/grids/$GRID/patrols|worker"
  "users list|/users"
  "audit log|/audit"
  "calendar|/calendar"
  "categories|/categories"
  "issues (street)|/issues|leader"
  "issues filtered|/issues?state=closed&category=8|leader"
  "issues (district)|/issues"
  "issues to-do|/issues?todo=dispatch"
  "issue detail|/issues/$ISSUE|leader"
  "issues export|/issues/export.xlsx?state=handling|leader"
  "figures (street)|/issues/figures|leader"
  "figures (district)|/issues/figures"
  "patrol form|/patrols/new|worker"
  "patrols (worker)|/patrols|worker"
  "patrols (street)|/patrols|leader"
  "patrols (district)|/patrols"
  "patrol log|/patrols/${PATROL:-0}|leader"
  "patrols export|/patrols/export.xlsx?kind=problems&from=$(date -d '-30 days' +%F)|leader"
  "coverage (street)|/patrols/coverage|leader"
  "coverage (district)|/patrols/coverage"
  "coverage export|/patrols/coverage/export.xlsx|leader"
  "meeting (40 items)|/meetings/$MEETING|leader"
  "meeting sheet|/meetings/$MEETING/sheet|leader"
  "meeting sheet xlsx|/meetings/$MEETING/sheet.xlsx|leader"
  "meetings (street)|/meetings|leader"
  "inspection rounds (street)|/inspections|leader"
  "inspection rounds (district)|/inspections"
  "inspection notices (street)|/inspections/notices|leader"
  "inspection notices (worker)|/inspections/notices|worker"
  "inspection notices export|/inspections/notices/export.xlsx|leader"
  "inspection notice|/inspections/notices/${NOTICE:--}|leader"
  "inspection notice print|/inspections/notices/${NOTICE:--}/print|leader"
  "meetings (district)|/meetings"
  "register (worker)|/register|worker"
  "register (street)|/register|leader"
  "register export|/register/export.xlsx|leader"
  "register persons export|/register/export/persons.xlsx|leader"
  "register households export|/register/export/households.xlsx|worker"
  "imports|/imports|clerk"
  "import template|/imports/template.xlsx|clerk"
  "week (street)|/meetings/week|leader"
  "week (district)|/meetings/week"
  "livelihood report|/livelihood|leader"
  "livelihood print|/livelihood/print|leader"
  "livelihood export|/livelihood/export.xlsx|leader"
  "livelihood year|/livelihood/year|leader"
  "livelihood indicators|/livelihood/indicators|leader"
  "party branches|/party|leader"
  "party activities|/party/activities|leader"
  "party activity|/party/activities/${ACTIVITY:-0}|leader"
  "party summary (street)|/party/summary|leader"
  "party summary (district)|/party/summary"
  "branch ledger|/party/branches/${BRANCH:-0}/ledger|leader"
  "pairings|/party/branches/${BRANCH:-0}/pairings|leader"
  "pairing|/party/branches/${BRANCH:-0}/pairings/${PAIRING:-0}|leader"
  "pairing edit form|/party/branches/${BRANCH:-0}/pairings/${PAIRING:-0}/edit|leader"
  "pairings export|/party/branches/${BRANCH:-0}/pairings/export.xlsx|leader"
  "members export|/party/branches/${BRANCH:-0}/members/export.xlsx|leader"
  "opinions (street)|/party/opinions|leader"
  "assessment ranking|/assessment?period=$ASSESS_OCT|leader"
  "assessment bulletin|/assessment/bulletin?period=$ASSESS_OCT|leader"
  "assessment export|/assessment/export.xlsx?period=$ASSESS_OCT|leader"
  "assessment (my score)|/assessment/me|worker"
  "assessment schemes|/assessment/schemes|leader"
  "opinions (district)|/party/opinions"
  "opinion|/party/opinions/${OPINION:-0}|leader"
  "activity form|/party/branches/${BRANCH:-0}/activities/new|leader"
  "search (district)|/search?q=%E5%B7%A5%E4%BA%BA%E8%B7%AF"
  "search (street)|/search?q=%E5%B7%A5%E4%BA%BA%E8%B7%AF|leader"
  "search nothing|/search?q=%E6%89%BE%E4%B8%8D%E5%88%B0%E7%9A%84%E8%AF%8D"
  "projects ledger|/projects|leader"
  "projects print|/projects/print|leader"
  "demolition commands|/campaigns/demolition|leader"
  "demolition summary|/campaigns/demolition/${DEMOLITION:-0}|leader"
  "demolition print|/campaigns/demolition/${DEMOLITION:-0}/print|leader"
  "demolition daily|/campaigns/demolition/${DEMOLITION:-0}/daily|leader"
  "demolition households|/campaigns/demolition/${DEMOLITION:-0}/households|leader"
  "campaigns|/campaigns|leader"
  "campaigns export|/campaigns/export.xlsx|leader"
  "campaign figures|/campaigns/${CAMPAIGN:-0}|leader"
  "campaign bulletin|/campaigns/${CAMPAIGN:-0}/print|leader"
  "campaign tallies export|/campaigns/${CAMPAIGN:-0}/export.xlsx|leader"
  "tally form|/campaigns/${CAMPAIGN:-0}/tallies/new|worker"
)

to_ms() { # wrk prints 1.23ms, 456.00us, 1.02s
  awk -v v="$1" 'BEGIN { if (v ~ /us$/) { sub(/us$/, "", v); print v / 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v); print v } else if (v ~ /s$/) { sub(/s$/, "", v); print v * 1000 } else print v }'
}

printf '\n%-18s %10s %9s %9s %8s %6s\n' "page" "req/s" "p50 ms" "p99 ms" "ratio" "stmts"
base_rps=""
for entry in "${pages[@]}"; do
  IFS='|' read -r name path who <<<"$entry"
  [ "$name" = healthz ] || [[ "$name" =~ $ONLY ]] || continue
  cookie=$COOKIE
  [ "$who" = anon ] && cookie="x=1"
  [ "$who" = leader ] && cookie=$LEADER
  [ "$who" = worker ] && cookie=$WORKER
  [ "$who" = clerk ] && cookie=$CLERK
  [ "$who" = cclerk ] && cookie=$CCLERK
  [ "$who" = secretary ] && cookie=$SECRETARY
  # A record the dataset lacks (its id looked up as "-"): say so rather than time a 404.
  if [[ "$path" == */-* ]]; then
    printf '%-18s %s\n' "$name" "skipped: none in the dataset"
    continue
  fi
  # Check the page answers 200 before timing it.
  code=$(curl -s -o /dev/null -w '%{http_code}' -b "$cookie" "$BASE$path")
  [ "$code" = 200 ] || { echo "$path answered $code" >&2; exit 1; }
  # The statements of a warm request (the check above filled the kept figures).
  stmts=$(curl -s -o /dev/null -D - -b "$cookie" "$BASE$path" | tr -d '\r' | awk 'tolower($1) == "x-statements:" { print $2 }')
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H "Cookie: $cookie" "$BASE$path")
  rps=$(awk '/Requests\/sec/ { print $2 }' <<<"$out")
  p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' <<<"$out")")
  p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")")
  errors=$(awk '/Non-2xx/ { print $NF }' <<<"$out")
  [ -z "$base_rps" ] && base_rps=$rps
  ratio=$(awk -v a="$rps" -v b="$base_rps" 'BEGIN { printf "%.2f", a / b }')
  printf '%-18s %10.0f %9.2f %9.2f %8s %6s%s\n' "$name" "$rps" "$p50" "$p99" "$ratio" "${stmts:--}" "${errors:+  non-2xx: $errors}"
done
