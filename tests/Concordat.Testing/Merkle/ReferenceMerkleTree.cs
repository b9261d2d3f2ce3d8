using System.Security.Cryptography;

namespace Concordat.Testing.Merkle;

/// <summary>
/// A deliberately naive, recursive RFC 6962 §2.1 Merkle tree over a list of leaves: MTH, PATH and PROOF exactly as the
/// RFC defines them, with SHA-256 done here (not through the library) so that the fast code is checked against an
/// independent reading of the spec. Subtree roots are memoised only to keep the cross-checks fast.
/// </summary>
public sealed class ReferenceMerkleTree
{
    private readonly List<byte[]> _leaves = [];
    private readonly Dictionary<(int Begin, int End), byte[]> _roots = [];

    public ReferenceMerkleTree(IEnumerable<byte[]> leaves) => _leaves.AddRange(leaves);

    public int Count => _leaves.Count;

    public byte[] LeafHash(int index) => HashLeaf(_leaves[index]);

    /// <summary>MTH(D[begin:end]).</summary>
    public byte[] Root(int begin, int end)
    {
        if (_roots.TryGetValue((begin, end), out var cached))
        {
            return cached;
        }

        var n = end - begin;
        byte[] root;
        if (n == 0)
        {
            root = SHA256.HashData([]);
        }
        else if (n == 1)
        {
            root = HashLeaf(_leaves[begin]);
        }
        else
        {
            var k = LargestPowerOfTwoBelow(n);
            root = HashChildren(Root(begin, begin + k), Root(begin + k, end));
        }

        _roots[(begin, end)] = root;
        return root;
    }

    /// <summary>PATH(m, D[0:size]).</summary>
    public List<byte[]> Path(int m, int size) => Path(m, 0, size);

    /// <summary>PROOF(m, D[0:size]).</summary>
    public List<byte[]> Proof(int m, int size) => SubProof(m, 0, size, true);

    private List<byte[]> Path(int m, int begin, int end)
    {
        var n = end - begin;
        if (n <= 1)
        {
            return [];
        }

        var k = LargestPowerOfTwoBelow(n);
        if (m < k)
        {
            var path = Path(m, begin, begin + k);
            path.Add(Root(begin + k, end));
            return path;
        }
        else
        {
            var path = Path(m - k, begin + k, end);
            path.Add(Root(begin, begin + k));
            return path;
        }
    }

    private List<byte[]> SubProof(int m, int begin, int end, bool b)
    {
        var n = end - begin;
        if (m == n)
        {
            return b ? [] : [Root(begin, end)];
        }

        var k = LargestPowerOfTwoBelow(n);
        if (m <= k)
        {
            var proof = SubProof(m, begin, begin + k, b);
            proof.Add(Root(begin + k, end));
            return proof;
        }
        else
        {
            var proof = SubProof(m - k, begin + k, end, false);
            proof.Add(Root(begin, begin + k));
            return proof;
        }
    }

    private static int LargestPowerOfTwoBelow(int n)
    {
        var k = 1;
        while (k << 1 < n)
        {
            k <<= 1;
        }

        return k;
    }

    private static byte[] HashLeaf(byte[] leaf) => SHA256.HashData([0x00, .. leaf]);

    private static byte[] HashChildren(byte[] left, byte[] right) => SHA256.HashData([0x01, .. left, .. right]);
}
