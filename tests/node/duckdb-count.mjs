// For benchmarks/http/deltasharing.sh: reads {"url"} of a Parquet file, fetches it as duckdb-read.mjs does (HEAD for the
// size, the footer by range requests, then 64 KiB ranges) and counts its rows with DuckDB's own Parquet reader; prints
// {"rows","requests","seconds"}, the seconds covering the fetches and the count. Nothing is printed per row, so it
// reads 1 M rows without the cost of writing them out.
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const input = JSON.parse(readFileSync(0, 'utf8'));
const started = process.hrtime.bigint();
let requests = 0;
const get = async (method, range) => {
  const response = await fetch(input.url, { method, headers: range ? { Range: range } : {} });
  requests++;
  if (!response.ok) throw new Error(`${method} ${range ?? ''} answered ${response.status}`);
  return response;
};

const size = Number((await get('HEAD')).headers.get('content-length'));
const bytes = new Uint8Array(size);
bytes.set(new Uint8Array(await (await get('GET', `bytes=${size - 8}-${size - 1}`)).arrayBuffer()), size - 8);
const footerStart = size - 8 - new DataView(bytes.buffer).getUint32(size - 8, true);
bytes.set(new Uint8Array(await (await get('GET', `bytes=${footerStart}-${size - 9}`)).arrayBuffer()), footerStart);
for (let start = 0; start < footerStart; start += 64 * 1024) {
  const end = Math.min(start + 64 * 1024, footerStart) - 1;
  bytes.set(new Uint8Array(await (await get('GET', `bytes=${start}-${end}`)).arrayBuffer()), start);
}

const folder = mkdtempSync(join(tmpdir(), 'duckdb-count-'));
try {
  const path = join(folder, 'file.parquet');
  writeFileSync(path, bytes);
  const connection = await (await DuckDBInstance.create(':memory:')).connect();
  const reader = await connection.runAndReadAll(`SELECT count(*) FROM read_parquet('${path.replaceAll("'", "''")}')`);
  const rows = Number(reader.getRows()[0][0]);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  process.stdout.write(JSON.stringify({ rows, requests, seconds }) + '\n');
} finally {
  rmSync(folder, { recursive: true, force: true });
}
