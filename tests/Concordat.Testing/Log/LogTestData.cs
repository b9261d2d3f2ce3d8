using System.Text;
using Concordat.Crypto;
using Concordat.Log;
using Concordat.Merkle;
using Concordat.Testing.Merkle;

namespace Concordat.Testing.Log;

/// <summary>Entries, batches and a naive reference root for log tests.</summary>
public static class LogTestData
{
    /// <summary>Gets a fixed test log key named <c>log.example</c>.</summary>
    public static NoteSignerKey LogKey { get; } = CreateKey("log.example", 7);

    /// <summary>Makes a fixed signer key from a repeated seed byte.</summary>
    public static NoteSignerKey CreateKey(string name, byte seed)
    {
        var text = NoteKey.FormatSignerKey(name, Ed25519PrivateKey.FromSeed(Enumerable.Repeat(seed, 32).ToArray()));
        return NoteKey.TryParseSignerKey(text, out var key, out var error) ? key : throw new InvalidOperationException(error);
    }

    /// <summary>Appends test entries <paramref name="first"/> to <paramref name="first"/> + <paramref name="count"/> - 1.</summary>
    public static async Task AppendRangeAsync(TransparencyLog log, int first, int count)
    {
        ArgumentNullException.ThrowIfNull(log);
        for (var i = first; i < first + count; i++)
        {
            if ((await log.AppendCanonicalAsync(Entry(i), default)).IsPushback)
            {
                throw new InvalidOperationException($"entry {i} was pushed back");
            }
        }
    }

    /// <summary>The canonical bytes of test entry <paramref name="n"/>.</summary>
    public static byte[] Entry(long n) => Encoding.UTF8.GetBytes($"{{\"body\":{{\"n\":{n}}},\"time\":\"2026-01-01T00:00:00Z\",\"type\":\"test/v1\"}}");

    /// <summary>A batch of <paramref name="count"/> test entries starting at <paramref name="start"/>, integrated on a copy of <paramref name="tree"/>.</summary>
    public static LogBatch Batch(CompactMerkleTree tree, long start, int count)
    {
        ArgumentNullException.ThrowIfNull(tree);
        var next = CompactMerkleTree.FromFrontier(tree.Size, tree.Frontier);
        var nodes = new List<MerkleNode>();
        var entries = new List<ReadOnlyMemory<byte>>();
        for (var i = 0; i < count; i++)
        {
            var entry = Entry(start + i);
            entries.Add(entry);
            next.Append(MerkleHash.OfLeaf(entry), nodes);
        }

        // Hashes of a batch that does not start at the tree's size are not a real tree's, which is fine for
        // storage tests: storage stores what it is given.
        return new LogBatch(start, entries, nodes);
    }

    /// <summary>Appends canonical entry bytes (the log's internal entry point) from a test or benchmark.</summary>
    public static Task<LogAppendResult> AppendAsync(TransparencyLog log, byte[] entry)
    {
        ArgumentNullException.ThrowIfNull(log);
        return log.AppendCanonicalAsync(entry, default);
    }

    /// <summary>The RFC 6962 root of <paramref name="entries"/>, by the naive reference tree.</summary>
    public static MerkleHash ReferenceRoot(IEnumerable<byte[]> entries)
    {
        var leaves = entries.ToList();
        return MerkleHash.FromBytes(new ReferenceMerkleTree(leaves).Root(0, leaves.Count));
    }
}
