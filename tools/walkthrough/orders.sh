#!/usr/bin/env bash
# The README's walkthrough: a new customer orders twice through the gateway, once with a card that
# is approved and once with one that is declined, and watches each order's status stream.
# Run it against `npm start` (or compose): bash tools/walkthrough/orders.sh [gateway URL]
set -euo pipefail
API=${1:-http://127.0.0.1:8080}
json() { node -e "const v = JSON.parse(require('fs').readFileSync(0)); console.log(String($1))"; }
post() { curl -sS -X POST "$API$1" -H 'content-type: application/json' "${@:3}" -d "$2"; }
stock() { curl -sS "$API/api/products/TEA-GREEN" | json v.available; }

EMAIL="walkthrough-$(date +%s%N)@example.com"
post /api/auth/register "{\"email\":\"$EMAIL\",\"password\":\"correct horse battery staple\",\"name\":\"Ada\"}" >/dev/null
TOKEN=$(post /api/auth/login "{\"email\":\"$EMAIL\",\"password\":\"correct horse battery staple\"}" | json v.accessToken)
AUTH="authorization: Bearer $TOKEN"
echo "registered and logged in as $EMAIL; TEA-GREEN available: $(stock)"

order() { # $1: payment token. Places an order with a fresh Idempotency-Key, then sends it again.
  local key body headers
  key=$(node -p 'crypto.randomUUID()')
  body="{\"items\":[{\"sku\":\"TEA-GREEN\",\"quantity\":2}],\"paymentMethod\":\"$1\"}"
  headers=$(mktemp)
  ORDER=$(post /api/orders "$body" -H "$AUTH" -H "idempotency-key: $key" -D "$headers" | json v.orderId)
  echo "POST /api/orders ($1): $(head -1 "$headers" | tr -d '\r'), order $ORDER, trace $(grep -i '^x-trace-id' "$headers" | cut -d' ' -f2 | tr -d '\r')"
  post /api/orders "$body" -H "$AUTH" -H "idempotency-key: $key" -D "$headers" >/dev/null
  echo "the same request again: $(grep -i '^idempotent-replayed' "$headers" | tr -d '\r'), no second order"
  rm -f "$headers"
  echo "status stream of $ORDER:"
  curl -sSN --max-time 60 "$API/api/orders/$ORDER/events" -H "$AUTH" | sed -n 's/^data: /  /p'
  echo "TEA-GREEN available: $(stock)"
}

order tok_visa
order tok_chargeDeclined

for _ in $(seq 50); do # notifications follow the orders' outcomes over Kafka
  COUNT=$(curl -sS "$API/api/notifications" -H "$AUTH" | json 'v.items.filter((n) => n.orderId !== null).length')
  [ "$COUNT" -ge 2 ] && break
  sleep 0.2
done
echo "notifications:"
curl -sS "$API/api/notifications" -H "$AUTH" | json 'v.items.map((n) => "  " + n.type + ": " + n.message).join("\n")'
