-- Shared by the wrk scripts of benchmarks/http (loaded with dofile from HTTP_BENCH_SUMMARY): one line of key=value
-- pairs for the calling script, then exit 1 when any request failed (wrk counts status >= 400 and socket errors), so a
-- throttled, refused or busy answer (429, 403, 503) can never pass for a fast one.
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
