// Cedar's decisions for a batch: reads {"sets":[{"policies":{id:text},"entities":[...],"requests":[...]}]} (schema-free
// Cedar JSON entities; a request is {principal, action, resource, context}), parses each policy set once, and prints one
// JSON line per request, {"decision","reasons","errors"} (reasons: the determining policy ids), then one line
// {"parseMs","decideMs","requests"}. Each call gets only the request's entities: principal, action, resource, the
// entities the context names, and their ancestors.
import { setFlagsFromString } from 'node:v8';

// Invariant: JavaScript stays out of TurboFan (WebAssembly, where Cedar runs, is unaffected): node 20's V8 crashed
// deoptimizing optimized code on batches of this size (V8_Fatal in DoComputeBuiltinContinuation).
setFlagsFromString('--no-turbofan');
const cedar = await import('@cedar-policy/cedar-wasm/nodejs');
const { readFileSync } = await import('node:fs');

const { sets } = JSON.parse(readFileSync(0, 'utf8'));
const key = (uid) => `${uid.type}::${uid.id}`;
const lines = [];
let parseMs = 0;
let decideMs = 0;
let count = 0;

for (let s = 0; s < sets.length; s++) {
  const set = sets[s];
  const id = `set-${s}`;
  let start = performance.now();
  const parsed = cedar.preparsePolicySet(id, { staticPolicies: set.policies });
  parseMs += performance.now() - start;
  if (parsed.type !== 'success') {
    process.stderr.write(`set ${s}: ${JSON.stringify(parsed.errors)}\n`);
    process.exit(1);
  }

  const store = new Map(set.entities.map((e) => [key(e.uid), e]));
  const closure = (roots) => {
    const seen = new Map();
    const pending = [...roots];
    while (pending.length > 0) {
      const uid = pending.pop();
      const k = key(uid);
      const entity = store.get(k);
      if (!seen.has(k) && entity !== undefined) {
        seen.set(k, entity);
        for (const parent of entity.parents) {
          pending.push(parent);
        }
      }
    }

    return [...seen.values()];
  };

  for (const request of set.requests) {
    const roots = [request.principal, request.action, request.resource];
    for (const value of Object.values(request.context)) {
      if (value !== null && typeof value === 'object' && '__entity' in value) {
        roots.push(value.__entity);
      }
    }

    const entities = closure(roots);
    start = performance.now();
    const answer = cedar.statefulIsAuthorized({ ...request, preparsedPolicySetId: id, entities });
    decideMs += performance.now() - start;
    count++;
    if (answer.type !== 'success') {
      process.stderr.write(`set ${s}: ${JSON.stringify(answer.errors)}\n`);
      process.exit(1);
    }

    const { decision, diagnostics } = answer.response;
    const errors = [];
    for (const e of diagnostics.errors) {
      errors.push(`${e.policyId}: ${e.error.message}`);
    }

    lines.push(JSON.stringify({ decision, reasons: diagnostics.reason, errors }));
  }
}

lines.push(JSON.stringify({ parseMs, decideMs, requests: count }));
process.stdout.write(lines.join('\n') + '\n');
