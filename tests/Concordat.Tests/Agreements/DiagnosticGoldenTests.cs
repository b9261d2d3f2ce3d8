using Concordat.Agreements;
using Concordat.Core;
using Concordat.Testing;

namespace Concordat.Tests.Agreements;

/// <summary>
/// Broken documents and their rendered diagnostics, so that any change to what users see shows up in review.
/// Set CONCORDAT_UPDATE_GOLDEN=1 to rewrite the expected files for a human to review; the test never does so by itself.
/// </summary>
public sealed class DiagnosticGoldenTests
{
    private static readonly string s_folder = Path.Combine(RepositoryRoot.Find(), "tests", "Concordat.Tests", "Agreements", "golden");

    public static TheoryData<string> Documents() => [.. Directory.GetFiles(s_folder, "*.yaml").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Documents))]
    public void Render_BrokenDocument_MatchesGoldenFile(string fileName)
    {
        var text = File.ReadAllText(Path.Combine(s_folder, fileName));
        var expectedPath = Path.Combine(s_folder, Path.ChangeExtension(fileName, ".expected.txt"));

        var result = AgreementReader.Read(text, fileName);
        var rendered = DiagnosticRenderer.Render(result.Diagnostics, text);

        Assert.NotEmpty(result.Diagnostics);
        if (Environment.GetEnvironmentVariable("CONCORDAT_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(expectedPath, rendered);
        }

        Assert.True(File.Exists(expectedPath), $"missing golden file {expectedPath}; run with CONCORDAT_UPDATE_GOLDEN=1 and review it");
        Assert.Equal(File.ReadAllText(expectedPath), rendered);
    }

    [Fact]
    public void Documents_CoverEverySyntaxValidationAndLintArea()
    {
        var codes = Directory.GetFiles(s_folder, "*.yaml")
            .SelectMany(f => AgreementReader.Read(File.ReadAllText(f), Path.GetFileName(f)).Diagnostics)
            .Select(d => d.Code[..4])
            .ToHashSet();

        Assert.Superset(new HashSet<string> { "AGR1", "AGR2", "AGR3" }, codes);
    }
}
