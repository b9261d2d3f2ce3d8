// Validates JSON documents against a JSON Schema (draft 2020-12) with ajv, in strict mode with every format known to
// ajv-formats. Input on standard input: { "schema": {...}, "documents": { "name": value, ... } }. Output: one JSON
// object naming each document with the list of ajv's errors ("instancePath message"), empty when it is valid.
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const { schema, documents } = JSON.parse(Buffer.concat(chunks).toString("utf8"));

const ajv = new Ajv2020({ strict: true, allErrors: true });
addFormats(ajv);
const validate = ajv.compile(schema);
const results = {};
for (const [name, document] of Object.entries(documents)) {
  results[name] = validate(document) ? [] : validate.errors.map((e) => `${e.instancePath} ${e.message}`);
}
process.stdout.write(JSON.stringify(results));
