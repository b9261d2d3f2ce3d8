using System.Reflection;
using Concordat.Testing;

namespace Concordat.Tests.Architecture;

/// <summary>
/// The library's public surface, listed in <c>docs/api/public-api.txt</c>, so that a change to it shows up in review.
/// Set CONCORDAT_UPDATE_PUBLIC_API=1 to rewrite the list for a human to review; the test never does so by itself.
/// </summary>
public sealed class PublicApiTests
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    [Fact]
    public void Library_PublicSurface_MatchesTheReviewedList()
    {
        var path = Path.Combine(RepositoryRoot.Find(), "docs", "api", "public-api.txt");
        var actual = Describe(typeof(Concordat.Core.Diagnostic).Assembly);

        if (Environment.GetEnvironmentVariable("CONCORDAT_UPDATE_PUBLIC_API") == "1")
        {
            File.WriteAllText(path, actual);
        }

        Assert.True(File.Exists(path), $"missing {path}; run with CONCORDAT_UPDATE_PUBLIC_API=1 and review it");
        var expected = File.ReadAllText(path).ReplaceLineEndings("\n");
        Assert.True(
            expected == actual,
            $"the public surface changed; run with CONCORDAT_UPDATE_PUBLIC_API=1 and review the diff of docs/api/public-api.txt. First difference:\n{FirstDifference(expected, actual)}");
    }

    [Fact]
    public void Describe_ListsPublicMembersOnly()
    {
        var text = Describe(typeof(Concordat.Core.Diagnostic).Assembly);

        Assert.Contains("type Concordat.Merkle.MerkleNodeId", text, StringComparison.Ordinal);
        Assert.Contains("  Int64 get_StoredIndex()", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Concordat.Decisions.JurisdictionGroups", text, StringComparison.Ordinal);
    }

    private static string Describe(Assembly assembly)
    {
        var lines = new List<string>();
        foreach (var type in assembly.GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            lines.Add($"type {type.FullName}");
            var members = type.GetMembers(Declared)
                .Where(m => m is not MethodBase { IsPrivate: true } and not MethodBase { IsAssembly: true })
                .Select(m => m is Type nested ? $"  nested {nested.Name}" : $"  {m}")
                .Order(StringComparer.Ordinal);
            lines.AddRange(members);
        }

        return string.Join('\n', lines) + "\n";
    }

    private static string FirstDifference(string expected, string actual)
    {
        var expectedLines = expected.Split('\n');
        var actualLines = actual.Split('\n');
        for (var i = 0; i < Math.Max(expectedLines.Length, actualLines.Length); i++)
        {
            var e = i < expectedLines.Length ? expectedLines[i] : "(end)";
            var a = i < actualLines.Length ? actualLines[i] : "(end)";
            if (e != a)
            {
                return $"line {i + 1}: expected `{e}`, found `{a}`";
            }
        }

        return "(none)";
    }
}
