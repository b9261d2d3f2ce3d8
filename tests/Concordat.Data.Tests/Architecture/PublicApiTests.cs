using Concordat.Data.Datasets;
using Concordat.Testing;

namespace Concordat.Data.Tests.Architecture;

/// <summary>
/// The public surface of <c>Concordat.Data</c>, listed in <c>docs/api/public-api.Concordat.Data.txt</c>: what the
/// gateway uses, and nothing else. Set CONCORDAT_UPDATE_PUBLIC_API=1 to rewrite the list for a human to review.
/// </summary>
public sealed class PublicApiTests
{
    [Fact]
    public void Data_PublicSurface_MatchesTheReviewedList()
    {
        var difference = PublicApiListing.FindDifference(typeof(DatasetStore).Assembly, "public-api.Concordat.Data.txt");

        Assert.True(difference is null, difference);
    }
}
