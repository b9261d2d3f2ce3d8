-- wrk script for benchmarks/http/tokens.sh: every request is POST /v1/tokens with a recipient's client credentials
-- (HTTP Basic) and a token request as JSON. The credentials come from the environment (TOKENS_AUTHORIZATION), never
-- from the command line.
wrk.method = "POST"
wrk.body = os.getenv("TOKENS_BODY")
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = os.getenv("TOKENS_AUTHORIZATION")

dofile(os.getenv("HTTP_BENCH_SUMMARY"))
