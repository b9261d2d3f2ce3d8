#!/usr/bin/env python3
"""An independent verifier of Concordat evidence packs, written from docs/formats/evidence-pack.md alone.

It uses the Python standard library and `cryptography` (Ed25519), never Concordat's code. It checks the signed
manifest against every file, the checkpoint's signature by the log key, the entries against the checkpoint's root
(frontier + leaf hashes + RFC 9162 consistency proof), and the per-entry RFC 9162 inclusion proofs. It does not
check proof of enforcement (step 9 of the format: decisions re-made, tokens and egress and their obligations held to
them), which needs the agreement language's engine; the project's verifier does.

usage: evidence_verify.py PACK.zip LOG-KEY
prints one JSON object {"verified": bool, "counts": {...}, "problems": [...]} and exits 0 when verified, 4 otherwise.
"""

import base64
import hashlib
import json
import sys
import zipfile

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

MANIFEST = "manifest.dsse.json"
PREDICATE_TYPE = "https://concordat.example/attestations/evidence-pack/v1"
PAYLOAD_TYPE = "application/vnd.in-toto+json"


def node(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def leaf(entry):
    return hashlib.sha256(b"\x00" + entry).digest()


def parse_verifier_key(text):
    """A C2SP note verifier key `name+hash+base64(0x01 || public key)`, its key id checked."""
    name, key_id, encoded = text.strip().split("+", 2)
    raw = base64.b64decode(encoded)
    if len(raw) != 33 or raw[0] != 1:
        raise ValueError("not an Ed25519 note key")
    expected = hashlib.sha256(name.encode() + b"\n" + raw).digest()[:4]
    if expected.hex() != key_id:
        raise ValueError("the key hash does not match the name and key")
    return name, bytes.fromhex(key_id), Ed25519PublicKey.from_public_bytes(raw[1:])


def pae(payload_type, payload):
    t = payload_type.encode()
    return b"DSSEv1 %d %s %d %s" % (len(t), t, len(payload), payload)


def open_note(note, name, key_id, key):
    """Returns the checkpoint text when one signature line is the log key's and verifies."""
    text, sep, signatures = note.partition("\n\n")
    if not sep:
        return None
    body = (text + "\n").encode()
    for line in signatures.splitlines():
        if not line.startswith("\u2014 "):
            continue
        signer, _, sig = line[2:].partition(" ")
        raw = base64.b64decode(sig)
        if signer == name and raw[:4] == key_id:
            try:
                key.verify(raw[4:], body)
                return text + "\n"
            except InvalidSignature:
                return None
    return None


def verify_inclusion(leaf_hash, index, size, proof, root):
    # RFC 9162 section 2.1.3.2
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf_hash
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(size1, size2, root1, root2, proof):
    # RFC 9162 section 2.1.4.2
    if size1 == size2:
        return not proof and root1 == root2
    if size1 == 0 or size1 > size2 or not proof:
        return False
    if size1 & (size1 - 1) == 0:
        proof = [root1] + proof
    fn, sn = size1 - 1, size2 - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node(c, fr)
            sr = node(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == root1 and sr == root2 and sn == 0


def range_root(begin, frontier, leaves):
    """The root of the tree of begin + len(leaves) leaves, from the frontier of [0, begin) and the leaves after it."""
    sizes = [1 << bit for bit in range(63, -1, -1) if begin >> bit & 1]
    if len(sizes) != len(frontier):
        return None
    stack = list(zip(sizes, frontier))
    for h in leaves:
        stack.append((1, h))
        while len(stack) > 1 and stack[-1][0] == stack[-2][0]:
            (size, right), (_, left) = stack.pop(), stack.pop()
            stack.append((size * 2, node(left, right)))
    if not stack:
        return hashlib.sha256(b"").digest()
    acc = stack[-1][1]
    for _, h in reversed(stack[:-1]):
        acc = node(h, acc)
    return acc


def main(path, key_text):
    problems, counts = [], {}

    def count(kind, by=1):
        counts[kind] = counts.get(kind, 0) + by

    name, key_id, key = parse_verifier_key(key_text)
    with zipfile.ZipFile(path) as pack:
        names = [i.filename for i in pack.infolist()]
        if len(set(names)) != len(names):
            return report(["duplicate names"], counts)
        files = {n: pack.read(n) for n in names}

    # The manifest: a DSSE envelope over an in-toto statement, signed by the log key.
    envelope = json.loads(files.get(MANIFEST, b"{}"))
    payload = base64.b64decode(envelope.get("payload", ""))
    signed = False
    if envelope.get("payloadType") == PAYLOAD_TYPE:
        for signature in envelope.get("signatures", []):
            if signature.get("keyid") == f"{name}+{key_id.hex()}":
                try:
                    key.verify(base64.b64decode(signature["sig"]), pae(PAYLOAD_TYPE, payload))
                    signed = True
                except InvalidSignature:
                    pass
    if not signed:
        return report(["manifest: no valid signature by the log key"], counts)
    statement = json.loads(payload)
    if statement.get("_type") != "https://in-toto.io/Statement/v1" or statement.get("predicateType") != PREDICATE_TYPE:
        return report(["manifest: not an evidence-pack statement"], counts)
    listed = {s["name"]: s["digest"]["sha256"] for s in statement["subject"]}
    for n, content in files.items():
        if n == MANIFEST:
            continue
        if n not in listed:
            problems.append(f"added: {n}")
        elif hashlib.sha256(content).hexdigest() != listed.pop(n):
            problems.append(f"changed: {n}")
        else:
            count("files")
    problems += [f"removed: {n}" for n in sorted(listed)]

    # The compliance report: present, a concordat-compliance-report/v1 of the pack's agreement, items counted.
    agreement = json.loads(files.get("pack.json", b"{}")).get("agreement")
    compliance = json.loads(files.get("reports/compliance.json", b"{}"))
    if compliance.get("format") != "concordat-compliance-report/v1" or compliance.get("agreement") != agreement or not isinstance(compliance.get("regimes"), list):
        problems.append("reports/compliance.json: not a compliance report of the pack's agreement")
    else:
        count("complianceReports")
        count("complianceItems", sum(len(r["items"]) for r in compliance["regimes"]))

    # The lint report: one concordat-agreement-lint/v1 per agreement file of the pack, by increasing version. Its
    # warnings come from the agreement language's linter, which this verifier does not carry: it checks the shape and
    # that each version is there; the project's verifier recomputes the warnings (EVD8017).
    lint = json.loads(files.get("reports/lint.json", b"{}"))
    prefix = f"agreements/{agreement}/v"
    numbers = sorted(int(n[len(prefix):-len(".yaml")]) for n in files if n.startswith(prefix) and n.endswith(".yaml") and n[len(prefix):-len(".yaml")].isdigit())
    versions = lint.get("versions") if isinstance(lint, dict) else None
    if not isinstance(versions, list) or [v.get("version") for v in versions if isinstance(v, dict)] != numbers \
            or any(v.get("format") != "concordat-agreement-lint/v1" or not isinstance(v.get("warnings"), list) for v in versions):
        problems.append("reports/lint.json: not the lint of each agreement version of the pack")
    else:
        count("lintReports")
        count("lintWarnings", sum(len(v["warnings"]) for v in versions))

    # The checkpoint, signed by the log key.
    text = open_note(files["log/checkpoint"].decode(), name, key_id, key)
    if text is None:
        return report(problems + ["checkpoint: not signed by the log key"], counts)
    lines = text.split("\n")
    if lines[0] != name:
        return report(problems + ["checkpoint: origin is not the key's name"], counts)
    size, root = int(lines[1]), base64.b64decode(lines[2])
    count("checkpoints")

    # The range: frontier + leaf hashes recompute the root at `end`, tied to the checkpoint by consistency.
    rng = json.loads(files["log/range.json"])
    begin, end = rng["begin"], rng["end"]
    blob = files["log/leaf-hashes.bin"]
    leaves = [blob[i:i + 32] for i in range(0, len(blob), 32)]
    if len(blob) != (end - begin) * 32 or end > size:
        return report(problems + ["range: leaf hashes do not match begin and end"], counts)
    if end > 0:
        at_end = range_root(begin, [base64.b64decode(h) for h in rng["frontier"]], leaves)
        tied = at_end == root if end == size else verify_consistency(end, size, at_end, root, [base64.b64decode(h) for h in rng["consistency"]])
        if not tied:
            return report(problems + ["range: the entries do not recompute the checkpoint's root"], counts)
        count("rangeProofs")

    # The entries: each the leaf the log holds at its index.
    by_index = {}
    previous = -1
    for line in files["log/entries.ndjson"].decode().splitlines():
        item = json.loads(line)
        index, entry = item["index"], base64.b64decode(item["entry"])
        if not (begin <= index < end) or index <= previous or leaf(entry) != leaves[index - begin]:
            problems.append(f"entry {index}: not the log's leaf at that index")
            continue
        previous = index
        by_index[index] = leaf(entry)
        count("entries")
        count("entries:" + json.loads(entry)["type"])

    for line in files["log/inclusion-proofs.ndjson"].decode().splitlines():
        item = json.loads(line)
        index = item["index"]
        proof = [base64.b64decode(h) for h in item["proof"]]
        if index in by_index and verify_inclusion(by_index[index], index, size, proof, root):
            count("inclusionProofs")
        else:
            problems.append(f"inclusion proof of entry {index} does not verify")

    return report(problems, counts)


def report(problems, counts):
    print(json.dumps({"verified": not problems, "counts": counts, "problems": problems}, sort_keys=True))
    return 0 if not problems else 4


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
