using System.Text;
using Concordat.Log;
using Concordat.Merkle;

namespace Concordat.Testing.Log;

/// <summary>Entries, batches and a naive reference root for log tests.</summary>
public static class LogTestData
{
    /// <summary>The canonical bytes of test entry <paramref name="n"/>.</summary>
    public static byte[] Entry(long n) => Encoding.UTF8.GetBytes($"{{\"body\":{{\"n\":{n}}},\"time\":\"2026-01-01T00:00:00Z\",\"type\":\"test/v1\"}}");

    /// <summary>A batch of <paramref name="count"/> test entries starting at <paramref name="start"/>, integrated on a copy of <paramref name="frontier"/>.</summary>
    internal static LogBatch Batch(TreeFrontier frontier, long start, int count)
    {
        var next = frontier.Clone();
        var nodes = new List<TreeNode>();
        var entries = new List<ReadOnlyMemory<byte>>();
        for (var i = 0; i < count; i++)
        {
            var entry = Entry(start + i);
            entries.Add(entry);
            next.Append(Rfc6962.HashLeaf(entry), nodes);
        }

        // Hashes of a batch that does not start at the frontier's size are not a real tree's, which is fine for
        // storage tests: storage stores what it is given.
        return new LogBatch(start, entries, nodes);
    }

    /// <summary>Appends canonical entry bytes (the log's internal entry point) from a test or benchmark.</summary>
    public static Task<LogAppendResult> AppendAsync(TransparencyLog log, byte[] entry)
    {
        ArgumentNullException.ThrowIfNull(log);
        return log.AppendCanonicalAsync(entry, default);
    }

    /// <summary>The RFC 6962 root of <paramref name="entries"/>, by the recursive definition (RFC 6962 §2.1).</summary>
    public static byte[] ReferenceRoot(IEnumerable<byte[]> entries) => ReferenceRoot(entries.ToList());

    private static byte[] ReferenceRoot(List<byte[]> leaves)
    {
        if (leaves.Count == 0)
        {
            return Rfc6962.EmptyRoot.ToArray();
        }

        if (leaves.Count == 1)
        {
            return Rfc6962.HashLeaf(leaves[0]);
        }

        var k = 1;
        while (k * 2 < leaves.Count)
        {
            k *= 2;
        }

        return Rfc6962.HashChildren(ReferenceRoot(leaves.Take(k).ToList()), ReferenceRoot(leaves.Skip(k).ToList()));
    }
}
