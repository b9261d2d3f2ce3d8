using System.Reflection;
using Concordat.Testing;

namespace Concordat.Architecture.Tests;

/// <summary>
/// The public surface of every shipped assembly is listed under <c>docs/api/</c>, so that a change to it shows up in
/// review: the library's and Concordat.Data's beside their own tests, the others here, in
/// <c>docs/api/public-api.&lt;Assembly&gt;.txt</c>. Set CONCORDAT_UPDATE_PUBLIC_API=1 to rewrite the lists for a human
/// to review.
/// </summary>
public sealed class PublicApiTests
{
    // Invariant: with the library (public-api.txt, Concordat.Tests) and Concordat.Data (its own tests), every
    // project under src/ is listed once.
    private static readonly string[] s_listedElsewhere = ["Concordat", "Concordat.Data"];

    public static TheoryData<string> ListedHere() => [.. AllowedReferences.Keys.Except(s_listedElsewhere).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(ListedHere))]
    public void Assembly_PublicSurface_MatchesTheReviewedList(string name)
    {
        var difference = PublicApiListing.FindDifference(Assembly.Load(name), $"public-api.{name}.txt");

        Assert.True(difference is null, difference);
    }
}
