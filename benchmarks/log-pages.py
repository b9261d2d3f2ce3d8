#!/usr/bin/env python3
"""Pages a log commit dirties, by SQLite table layout: a model of the log's tables in Python's sqlite3.

Writes COMMITS commits of BATCH entries of ENTRY bytes, each with the hashes a log of that size stores (leaf and
completed interior nodes, keyed by stored index, cut into runs), with automatic checkpoints off, and prints the
WAL frames (pages) written per commit. Load-independent; see docs/benchmarks.md ("SQLite schema 5").

    python3 benchmarks/log-pages.py [layout ...]     # layouts: v4 v4-nohead v5 v5-run120 one
"""
import os, shutil, sqlite3, sys, tempfile

COMMITS, WARM, BATCH, ENTRY, PAGE = 3000, 2000, 64, 256, 4096


def stored_index(level, index):
    m = ((index + 1) << level) - 1
    return 2 * m - bin(m).count('1') + level


def completed_nodes(leaf):
    nodes, level, index = [(0, leaf)], 0, leaf
    while index & 1:
        index >>= 1
        level += 1
        nodes.append((level, index))
    return nodes


def runs(hashes, per_run):
    i = 0
    while i < len(hashes):
        j = i + 1
        while j < len(hashes) and j - i < per_run and hashes[j] == hashes[i] + (j - i):
            j += 1
        yield hashes[i], j - i
        i = j


def varint(n):
    out = bytearray()
    while n >= 0x80:
        out.append(n & 0x7F | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


V4 = '''CREATE TABLE log_head (id INTEGER PRIMARY KEY CHECK (id = 1), tree_size INTEGER NOT NULL);
INSERT INTO log_head VALUES (1, 0);
CREATE TABLE log_entries (idx INTEGER PRIMARY KEY, entry BLOB NOT NULL);
CREATE TABLE log_hash_runs (start INTEGER PRIMARY KEY, hashes BLOB NOT NULL);'''
V5 = '''CREATE TABLE log_entry_bundles (start INTEGER PRIMARY KEY, count INTEGER NOT NULL, entries BLOB NOT NULL);
CREATE TABLE log_hash_runs (start INTEGER PRIMARY KEY, hashes BLOB NOT NULL);'''


def write_v4(db, size, entries, hashes, head=True, per_run=60):
    db.executemany('INSERT INTO log_entries VALUES (?, ?)', [(size + i, e) for i, e in enumerate(entries)])
    db.executemany('INSERT INTO log_hash_runs VALUES (?, ?)', [(s, b'h' * 32 * n) for s, n in runs(hashes, per_run)])
    if head:
        db.execute('UPDATE log_head SET tree_size = ? WHERE id = 1', (size + len(entries),))


def write_v5(db, size, entries, hashes, per_run=60):
    db.execute('INSERT INTO log_entry_bundles VALUES (?, ?, ?)', (size, len(entries), b''.join(varint(len(e)) + e for e in entries)))
    db.executemany('INSERT INTO log_hash_runs VALUES (?, ?)', [(s, b'h' * 32 * n) for s, n in runs(hashes, per_run)])


def write_one(db, size, entries, hashes):
    db.execute('INSERT INTO log_entry_bundles VALUES (?, ?, ?)', (size, len(entries), b'h' * 32 * len(hashes) + b''.join(varint(len(e)) + e for e in entries)))


LAYOUTS = {
    'v4': (V4, write_v4),
    'v4-nohead': (V4, lambda *a: write_v4(*a, head=False)),
    'v5': (V5, write_v5),
    'v5-run120': (V5, lambda *a: write_v5(*a, per_run=120)),
    'one': (V5, write_one),
}


def measure(name):
    schema, write = LAYOUTS[name]
    folder = tempfile.mkdtemp(prefix='log-pages-')
    try:
        path = os.path.join(folder, 'log.db')
        db = sqlite3.connect(path, isolation_level=None)
        db.executescript(f'PRAGMA page_size = {PAGE}; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA wal_autocheckpoint = 0;')
        db.executescript(schema)
        size, entry, start = 0, b'x' * ENTRY, 0
        for k in range(WARM + COMMITS):
            if k == WARM:
                db.execute('PRAGMA wal_checkpoint(TRUNCATE)')
                start = os.path.getsize(path + '-wal')
            hashes = [stored_index(level, index) for i in range(BATCH) for level, index in completed_nodes(size + i)]
            db.execute('BEGIN IMMEDIATE')
            write(db, size, [entry] * BATCH, hashes)
            db.execute('COMMIT')
            size += BATCH
        frames = (os.path.getsize(path + '-wal') - start) / (PAGE + 24)
        print(f'{name}: {frames / COMMITS:.2f} pages per commit of {BATCH} entries of {ENTRY} bytes')
    finally:
        shutil.rmtree(folder)


for layout in sys.argv[1:] or LAYOUTS:
    measure(layout)
