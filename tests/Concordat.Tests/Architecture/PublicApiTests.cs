using Concordat.Testing;

namespace Concordat.Tests.Architecture;

/// <summary>
/// The library's public surface, listed in <c>docs/api/public-api.txt</c>, so that a change to it shows up in review.
/// Set CONCORDAT_UPDATE_PUBLIC_API=1 to rewrite the list for a human to review; the test never does so by itself.
/// </summary>
public sealed class PublicApiTests
{
    [Fact]
    public void Library_PublicSurface_MatchesTheReviewedList()
    {
        var difference = PublicApiListing.FindDifference(typeof(Concordat.Core.Diagnostic).Assembly, "public-api.txt");

        Assert.True(difference is null, difference);
    }

    [Fact]
    public void Describe_ListsPublicMembersOnly()
    {
        var text = PublicApiListing.Describe(typeof(Concordat.Core.Diagnostic).Assembly);

        Assert.Contains("type Concordat.Merkle.MerkleNodeId", text, StringComparison.Ordinal);
        Assert.Contains("  Int64 get_StoredIndex()", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Concordat.Decisions.JurisdictionGroups", text, StringComparison.Ordinal);
    }
}
