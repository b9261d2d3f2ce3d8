// SPDX licence expressions by spdx-expression-parse: reads a JSON array of expressions and prints a JSON array of
// the trees it builds ({license, plus?, exception?} or {left, conjunction, right}), or {"error": message} for each
// expression it rejects.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

const parse = createRequire(import.meta.url)('spdx-expression-parse');
const expressions = JSON.parse(readFileSync(0, 'utf8'));
const trees = expressions.map((e) => {
  try {
    return parse(e);
  } catch (error) {
    return { error: String(error.message) };
  }
});
process.stdout.write(JSON.stringify(trees));
