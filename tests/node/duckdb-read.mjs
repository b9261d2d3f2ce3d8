// Parquet files read by DuckDB through a URL: reads {"url"} and prints {"columns":[{name,type,logicalType}],"rows":[[...]],"requests":[...]}
// in parquet-read.mjs's shape. DuckDB reads URLs only through its httpfs extension, downloaded on first use, which these
// machines cannot reach; so the file is fetched as a connector fetches it (HEAD for the size, the footer first by a
// range request, then the rest by range requests), each request recorded with its status, and DuckDB's own Parquet
// reader reads the bytes fetched from a temporary file. Dates print as YYYY-MM-DD, timestamps as ISO 8601 instants
// (microseconds kept), 64-bit integers as decimal text.
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const input = JSON.parse(readFileSync(0, 'utf8'));
const requests = [];
const get = async (method, range) => {
  const headers = range ? { Range: range } : {};
  const response = await fetch(input.url, { method, headers });
  requests.push({ method, range: range ?? null, status: response.status });
  if (!response.ok) throw new Error(`${method} ${range ?? ''} answered ${response.status}`);
  return response;
};

const size = Number((await get('HEAD')).headers.get('content-length'));
const bytes = new Uint8Array(size);
const tail = Math.min(size, 8);
bytes.set(new Uint8Array(await (await get('GET', `bytes=${size - tail}-${size - 1}`)).arrayBuffer()), size - tail);
const footer = new DataView(bytes.buffer).getUint32(size - 8, true);
const footerStart = size - 8 - footer;
bytes.set(new Uint8Array(await (await get('GET', `bytes=${footerStart}-${size - 9}`)).arrayBuffer()), footerStart);
const chunk = 64 * 1024;
for (let start = 0; start < footerStart; start += chunk) {
  const end = Math.min(footerStart, start + chunk) - 1;
  bytes.set(new Uint8Array(await (await get('GET', `bytes=${start}-${end}`)).arrayBuffer()), start);
}

const folder = mkdtempSync(join(tmpdir(), 'duckdb-read-'));
try {
  const path = join(folder, 'file.parquet');
  writeFileSync(path, bytes);
  const connection = await (await DuckDBInstance.create(':memory:')).connect();
  const quoted = path.replaceAll("'", "''");
  const described = (await connection.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${quoted}')`)).getRowObjectsJS();
  const columns = described.map(d => ({
    name: d.column_name,
    type: d.column_type,
    logicalType: d.column_type.startsWith('TIMESTAMP') ? 'TIMESTAMP' : d.column_type === 'DATE' ? 'DATE' : null,
  }));
  const ident = name => `"${name.replaceAll('"', '""')}"`;
  const select = columns.map(c =>
    c.logicalType === 'TIMESTAMP' ? `epoch_us(${ident(c.name)})` :
    c.type === 'BOOLEAN' ? ident(c.name) :
    `CAST(${ident(c.name)} AS VARCHAR)`).join(', ');
  const rows = (await connection.runAndReadAll(`SELECT ${select} FROM read_parquet('${quoted}')`)).getRowsJS()
    .map(row => row.map((value, i) => columns[i].logicalType === 'TIMESTAMP' && value !== null ? instant(BigInt(value)) : value));
  process.stdout.write(JSON.stringify({ columns, rows, requests }));
} finally {
  rmSync(folder, { recursive: true, force: true });
}

// An instant in Unix microseconds as ISO 8601 with six fractional digits.
function instant(micros) {
  const millis = micros / 1000n - (micros % 1000n < 0n ? 1n : 0n);
  const rest = ((micros % 1000n) + 1000n) % 1000n;
  return new Date(Number(millis)).toISOString().replace('Z', `${rest.toString().padStart(3, '0')}Z`);
}
