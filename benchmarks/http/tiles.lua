-- wrk script for benchmarks/http/tiles.sh: every request is a GET of the URL wrk is given (one full tile), anonymous.
dofile(os.getenv("HTTP_BENCH_SUMMARY"))
