-- wrk script of scripts/bench-serve.sh: each request asks for a random agent of the
-- synthetic tenant (agent-0 … agent-(AGENTS-1)); PATH_SUFFIX picks the route's tail.
local agents = tonumber(os.getenv("AGENTS") or "50000")
local suffix = os.getenv("PATH_SUFFIX") or "/outbound?channel=sms"
local body = os.getenv("BODY_FILE")

if body then
  local file = assert(io.open(body, "rb"))
  wrk.method = "POST"
  wrk.body = file:read("*a")
  wrk.headers["Content-Type"] = "application/json"
  file:close()
end

function setup(thread)
  thread:set("seed", math.random(1, 1e9))
end

function init(args)
  math.randomseed(seed or os.time())
end

function request()
  if body then return wrk.format(nil, "/v1/outbound/check") end
  return wrk.format("GET", "/v1/agents/agent-" .. math.random(0, agents - 1) .. suffix)
end

-- One line the script reads: rate, p50 and p99 in milliseconds, and every kind of error.
function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format("RESULT rps=%.0f p50=%.3f p99=%.3f non2xx=%d errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    errors.status, errors.connect + errors.read + errors.write + errors.timeout))
end
