using Concordat.Agreements;

namespace Concordat.Tests.Agreements;

public sealed class SampleAgreementsTests
{
    public static TheoryData<string> Samples() => [.. Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "samples", "agreements"), "*.yaml").Select(f => Path.GetFileName(f))];

    [Theory]
    [MemberData(nameof(Samples))]
    public void Read_Sample_HasNoDiagnostics(string fileName)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "samples", "agreements", fileName);

        var result = AgreementReader.Read(File.ReadAllText(path), fileName);

        Assert.True(result.Diagnostics.Count == 0, string.Join("\n", result.Diagnostics));
        Assert.NotNull(result.Agreement);
    }
}
