using Concordat.Merkle;

namespace Concordat.Tests.Merkle;

public sealed class Rfc6962Tests
{
    [Fact]
    public void EmptyRoot_IsSha256OfNothing()
    {
        var expected = System.Security.Cryptography.SHA256.HashData([]);

        Assert.Equal(expected, Rfc6962.EmptyRoot.ToArray());
    }

    [Fact]
    public void HashLeaf_EmptyLeaf_MatchesPublishedVector()
    {
        // Spec: RFC 6962 reference vectors (certificate-transparency-go merkle tests): leaf hash of the empty leaf.
        var hash = Rfc6962.HashLeaf([]);

        Assert.Equal("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d", Convert.ToHexStringLower(hash));
    }
}
