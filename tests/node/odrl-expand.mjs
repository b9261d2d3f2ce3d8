// ODRL policies expanded by jsonld.js (an independent JSON-LD processor) against the vendored ODRL 2.2 context, and
// checked against the vendored ODRL 2.2 vocabulary: reads a JSON array of policies and prints, for each, the expanded
// document and every ODRL IRI (or value of an action, operand, operator or conflict) that the vocabulary does not
// define ({expanded, undefined}), or
// {error} when safe-mode expansion refuses it (a term the context does not define).
import jsonld from 'jsonld';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const vendor = fileURLToPath(new URL('../vendor/w3c-odrl/', import.meta.url));
const context = JSON.parse(readFileSync(vendor + 'ODRL22.jsonld', 'utf8'));
const defined = new Set(JSON.parse(readFileSync(vendor + 'ODRL22.json', 'utf8')).map((term) => term['@id']));
const odrl = 'http://www.w3.org/ns/odrl/2/';

// Offline: the one remote document a policy names is the vendored context.
const documentLoader = async (url) => {
  if (url === 'http://www.w3.org/ns/odrl.jsonld' || url === 'https://www.w3.org/ns/odrl.jsonld') {
    return { contextUrl: null, documentUrl: url, document: context };
  }
  throw new Error(`no network: ${url}`);
};

// The properties whose values are ODRL terms (actions, operands, operators, conflict strategies), never other IRIs.
const termValued = ['action', 'leftOperand', 'operator', 'conflict'].map((p) => odrl + p);

const iris = (node, found) => {
  if (Array.isArray(node)) {
    node.forEach((n) => iris(n, found));
  } else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key.startsWith(odrl)) found.add(key);
      if (termValued.includes(key)) value.forEach((v) => found.add(v['@id'] ?? JSON.stringify(v)));
      if ((key === '@id' || key === '@type') && typeof value === 'string' && value.startsWith(odrl)) found.add(value);
      if (key === '@type' && Array.isArray(value)) value.filter((v) => v.startsWith(odrl)).forEach((v) => found.add(v));
      iris(value, found);
    }
  }
  return found;
};

const policies = JSON.parse(readFileSync(0, 'utf8'));
const results = [];
for (const policy of policies) {
  // Safe mode: a key or value that does not expand to an absolute IRI (a term the context does not define) is an error.
  try {
    const expanded = await jsonld.expand(policy, { documentLoader, safe: true });
    results.push({ expanded, undefined: [...iris(expanded, new Set())].filter((iri) => !defined.has(iri)).sort() });
  } catch (error) {
    results.push({ error: `${error.message} ${JSON.stringify(error.details?.event?.details ?? {})}` });
  }
}
process.stdout.write(JSON.stringify(results));
