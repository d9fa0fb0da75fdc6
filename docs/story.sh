#!/usr/bin/env bash
# The whole resale story with curl, against a running twtix (README: "The whole story with curl").
# Stops at the first answer that is not the one the story expects.
set -euo pipefail
API=${API:-http://localhost:3000}
ADMIN_EMAIL=${ADMIN_EMAIL:-ops@example.test} # must be in the server's ADMIN_EMAILS
START_IN=${START_IN:-30}                     # seconds from now to the event's start
run=$(node -pe 'crypto.randomUUID().slice(0, 8)') # fresh accounts and event on every run

say() { printf '\n# %s\n' "$*"; }
field() { node -pe "JSON.parse(require('fs').readFileSync(0, 'utf8')).$1"; }
at() { node -pe "new Date(Date.now() + $1 * 1000).toISOString()"; }
# api STATUS METHOD PATH BODY [curl options]: prints the answer; any other status ends the story.
api() {
  local want=$1 method=$2 path=$3 body=$4 out status
  shift 4
  local args=(-s -w '\n%{http_code}' -X "$method" "$@")
  if [ -n "$body" ]; then args+=(-H 'Content-Type: application/json' -d "$body"); fi
  out=$(curl "${args[@]}" "$API$path")
  status=${out##*$'\n'}
  out=${out%$'\n'*}
  echo "$method $path → $status $out" >&2 # what the story shows
  if [ "$status" != "$want" ]; then echo "✗ expected $want" >&2 && exit 1; fi
  printf '%s\n' "$out"
}
as() { printf 'Authorization: Bearer %s' "$1"; }
signup() { api 201 POST /api/users/signup "{\"email\":\"$1\",\"password\":\"correct horse\"}" | field token; }
# until_ SECONDS WHAT COMMAND…: polls once a second until COMMAND succeeds.
until_() {
  local left=$1 what=$2
  shift 2
  until "$@"; do
    if [ "$left" -le 0 ]; then echo "✗ still not true: $what" >&2 && exit 1; fi
    left=$((left - 1))
    sleep 1
  done
  echo "✓ $what" >&2
}
# Quiet reads for polling: ORDER's FIELD as its buyer, the seller's payout of ORDER.
order_is() { [ "$(curl -s -H "$(as "$2")" "$API/api/orders/$1" | field "$3")" = "$4" ]; }
payout_is() {
  [ "$(curl -s -H "$(as "$SELLER")" "$API/api/payouts?limit=100" |
    field "find((p) => p.orderId === '$1')?.status")" = "$2" ]
}

say "A seller signs up and onboards for payouts (offline, the link completes it at once)"
SELLER=$(signup "seller-$run@example.com")
LINK=$(api 200 POST /api/payouts/account '' -H "$(as "$SELLER")" | field url)
api 200 GET "$LINK" '' -H "$(as "$SELLER")" >/dev/null

say "The seller creates the event and lists a ticket of it at its face value"
EVENT=$(api 201 POST /api/events "{\"name\":\"Story $run\",\"venue\":\"Nippon Budokan\",\"city\":\"Tokyo\",
  \"startsAt\":\"$(at "$START_IN")\",\"endsAt\":\"$(at $((START_IN + 10)))\"}" -H "$(as "$SELLER")" | field id)
TICKET=$(api 201 POST /api/tickets "{\"eventId\":\"$EVENT\",\"faceValue\":9800,\"price\":9800,
  \"section\":\"Arena A\",\"row\":\"3\",\"seat\":\"12\"}" -H "$(as "$SELLER")" | field id)

say "One yen above the face value is refused: resale is capped at the face value"
api 400 POST /api/tickets "{\"eventId\":\"$EVENT\",\"faceValue\":9800,\"price\":9801}" -H "$(as "$SELLER")" >/dev/null

say "The seller adds the delivery (a transfer code); nobody else sees it yet"
api 200 PUT "/api/tickets/$TICKET/delivery" '{"code":"TRANSFER-8F3K-22QZ"}' -H "$(as "$SELLER")" >/dev/null

say "A buyer orders the ticket and pays the total: 9,800 + 490 buyer fee"
BUYER=$(signup "buyer-$run@example.com")
ORDER=$(api 201 POST /api/orders "{\"ticketId\":\"$TICKET\"}" -H "$(as "$BUYER")" \
  -H "Idempotency-Key: $(node -pe 'crypto.randomUUID()')" | field id)
api 201 POST /api/payments "{\"orderId\":\"$ORDER\",\"token\":\"tok_visa\"}" -H "$(as "$BUYER")" >/dev/null
until_ 30 "the order is complete" order_is "$ORDER" "$BUYER" status complete

say "The delivery goes to the buyer only: the seller gets the same 404 as an unknown order"
api 200 GET "/api/orders/$ORDER/ticket" '' -H "$(as "$BUYER")" >/dev/null
api 404 GET "/api/orders/$ORDER/ticket" '' -H "$(as "$SELLER")" >/dev/null

say "The seller's payout (9,800 − 490 seller fee) is held until the event ends + PAYOUT_DELAY_DAYS"
until_ 30 "the payout is scheduled" payout_is "$ORDER" scheduled

say "The event ends; the payout worker transfers the money (with PAYOUT_DELAY_DAYS=0, at the end)"
until_ $((START_IN + 60)) "the payout is paid" payout_is "$ORDER" paid

say "A second event: one ticket sold and paid, another ordered but not paid yet"
EVENT2=$(api 201 POST /api/events "{\"name\":\"Cancelled $run\",\"venue\":\"Zepp Haneda\",\"city\":\"Tokyo\",
  \"startsAt\":\"$(at 86400)\"}" -H "$(as "$SELLER")" | field id)
listed() { api 201 POST /api/tickets "{\"eventId\":\"$EVENT2\",\"faceValue\":7000,\"price\":6500}" -H "$(as "$SELLER")" | field id; }
PAID=$(api 201 POST /api/orders "{\"ticketId\":\"$(listed)\"}" -H "$(as "$BUYER")" | field id)
api 201 POST /api/payments "{\"orderId\":\"$PAID\",\"token\":\"tok_visa\"}" -H "$(as "$BUYER")" >/dev/null
until_ 30 "the order is complete" order_is "$PAID" "$BUYER" status complete
BUYER2=$(signup "buyer2-$run@example.com")
OPEN=$(api 201 POST /api/orders "{\"ticketId\":\"$(listed)\"}" -H "$(as "$BUYER2")" | field id)

say "An admin (ADMIN_EMAILS) cancels the event: everyone is refunded, open orders cancelled"
ADMIN=$(curl -s -H 'Content-Type: application/json' \
  -d "{\"email\":\"$ADMIN_EMAIL\",\"password\":\"correct horse\"}" "$API/api/users/signin" | field 'token ?? ""')
if [ -z "$ADMIN" ]; then ADMIN=$(signup "$ADMIN_EMAIL"); fi
api 200 POST "/api/events/$EVENT2/cancel" '' -H "$(as "$ADMIN")" >/dev/null
until_ 30 "the unpaid order is cancelled" order_is "$OPEN" "$BUYER2" status cancelled
until_ 30 "the paid order is refunded" order_is "$PAID" "$BUYER" 'refundedAt !== null' true
until_ 30 "its payout is cancelled" payout_is "$PAID" cancelled
say "Done: the story holds"
