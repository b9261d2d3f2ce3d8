// DSSE pre-authentication encoding by @sigstore/core: reads {"payloadType","payload"(base64)} and prints the PAE in base64.
import { dsse } from '@sigstore/core';
import { readFileSync } from 'node:fs';

const { payloadType, payload } = JSON.parse(readFileSync(0, 'utf8'));
process.stdout.write(dsse.preAuthEncoding(payloadType, Buffer.from(payload, 'base64')).toString('base64'));
