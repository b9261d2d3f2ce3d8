using Concordat.Agreements;
using Concordat.Core;
using Concordat.Tests.Agreements;

namespace Concordat.Tests.Core;

/// <summary>
/// Every shape check of the library refuses a value with a trailing newline: .NET's <c>$</c> also matches before a
/// final <c>\n</c>, so a check anchored with it would pass <c>"id\n"</c>.
/// </summary>
public sealed class TrailingNewlineTests
{
    [Theory]
    [InlineData("id: demo", "id: \"demo\\n\"")]
    [InlineData("{ id: lab, legalName", "{ id: \"lab\\n\", legalName")]
    [InlineData("{ name: text, type: string }", "{ name: \"text\\n\", type: string }")]
    [InlineData("jurisdiction: GB", "jurisdiction: \"GB\\n\"")]
    [InlineData("from: 2026-01-01T00:00:00Z", "from: \"2026-01-01T00:00:00Z\\n\"")]
    public void Read_IdOrValueWithTrailingNewline_IsAnError(string find, string replace)
    {
        var text = AgreementReaderTests.Minimal.Replace(find, replace, StringComparison.Ordinal);

        var result = AgreementReader.Read(text, "demo.yaml");

        Assert.NotEqual(AgreementReaderTests.Minimal, text);
        Assert.Null(result.Agreement);
        Assert.Contains(result.Diagnostics, d => d.IsError);
    }

    [Fact]
    public void Rfc3339_TrailingNewline_IsRefused()
    {
        Assert.True(Rfc3339.TryParseUtc("2026-01-01T00:00:00Z", out _, out _));
        Assert.False(Rfc3339.TryParseUtc("2026-01-01T00:00:00Z\n", out _, out _));
    }

    [Fact]
    public void IsoDuration_TrailingNewline_IsRefused()
    {
        Assert.True(IsoDuration.TryParse("PT1H", out _, out _));
        Assert.False(IsoDuration.TryParse("PT1H\n", out _, out _));
    }
}
