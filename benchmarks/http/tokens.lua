-- wrk script for benchmarks/http/tokens.sh: every request is POST /v1/tokens with a recipient's client credentials
-- (HTTP Basic) and a token request as JSON. The credentials come from the environment (TOKENS_AUTHORIZATION), never
-- from the command line.
wrk.method = "POST"
wrk.body = os.getenv("TOKENS_BODY")
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = os.getenv("TOKENS_AUTHORIZATION")

-- One line of key=value pairs for the script, then exit 1 when any request failed (wrk counts status >= 400 and
-- socket errors), so a throttled, refused or busy answer (429, 403, 503) can never pass for a fast one.
function done(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "summary requests=%d seconds=%.3f requests_per_s=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f p999_ms=%.3f max_ms=%.3f errors_status=%d errors_socket=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, latency.max / 1000,
    e.status, e.connect + e.read + e.write + e.timeout))
  if e.status + e.connect + e.read + e.write + e.timeout > 0 then
    os.exit(1)
  end
end
