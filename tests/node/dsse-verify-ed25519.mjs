// A DSSE verifier written from the DSSE specification (protocol.md), independent of Concordat: reads
// {"envelope": {...}, "publicKey": "<base64 of the 32-byte Ed25519 key>", "keyid": "..."} and prints `verified`
// when a signature naming that keyid verifies over PAE(payloadType, payload) with node's crypto, `rejected` otherwise.
import { createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';

const { envelope, publicKey, keyid } = JSON.parse(readFileSync(0, 'utf8'));
const body = Buffer.from(envelope.payload, 'base64');
const type = Buffer.from(envelope.payloadType, 'utf8');
// PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, LEN in ASCII decimal.
const pae = Buffer.concat([
  Buffer.from(`DSSEv1 ${type.length} `, 'ascii'), type,
  Buffer.from(` ${body.length} `, 'ascii'), body,
]);
const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(publicKey, 'base64').toString('base64url') }, format: 'jwk' });
const ok = envelope.signatures.some(s => s.keyid === keyid && verify(null, pae, key, Buffer.from(s.sig, 'base64')));
process.stdout.write(ok ? 'verified' : 'rejected');
