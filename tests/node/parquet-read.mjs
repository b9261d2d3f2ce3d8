// Parquet files read by hyparquet: reads {"path"} or {"url"} and prints {"columns":[{name,type,logicalType}],"rows":[[...]],"requests":[...]}.
// Dates print as YYYY-MM-DD, timestamps as ISO 8601 instants, 64-bit integers as decimal text; a URL is read as a
// connector reads it, with a HEAD and then range requests (the footer first), each recorded with its status.
import { asyncBufferFromUrl, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { asyncBufferFromFile } from 'hyparquet/src/node.js';
import { readFileSync } from 'node:fs';

const input = JSON.parse(readFileSync(0, 'utf8'));
const requests = [];
const recordingFetch = async (url, init) => {
  const response = await fetch(url, init);
  requests.push({ method: init?.method ?? 'GET', range: new Headers(init?.headers).get('Range'), status: response.status });
  return response;
};
const file = input.url ? await asyncBufferFromUrl({ url: input.url, fetch: recordingFetch }) : await asyncBufferFromFile(input.path);
const metadata = await parquetMetadataAsync(file);
const columns = metadata.schema.slice(1).map(e => ({ name: e.name, type: e.type, logicalType: e.logical_type?.type ?? e.converted_type ?? null }));
const objects = await parquetReadObjects({ file, metadata });
const cell = (column, value) => {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return column.logicalType === 'DATE' ? value.toISOString().slice(0, 10) : value.toISOString();
  return value;
};
const rows = objects.map(o => columns.map(c => cell(c, o[c.name])));
process.stdout.write(JSON.stringify({ columns, rows, requests }));
