using System.Text;
using Concordat.Agreements;
using Concordat.Core;

namespace Concordat.Tests.Agreements;

/// <summary>The rules of an agreement's bytes and characters, checked before the YAML is parsed.</summary>
public sealed class AgreementTextTests
{
    [Fact]
    public void Read_Latin1Byte_ReportsNotUtf8AtItsLineAndColumn()
    {
        var bytes = Latin1Title(0xE9);

        var result = AgreementReader.Read(bytes, "latin1.yaml");

        Assert.Null(result.Agreement);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(AgreementDiagnosticCodes.NotUtf8.Code, diagnostic.Code);
        Assert.Equal(4, diagnostic.Span!.Line);
        Assert.Equal("title: Demo agr".Length + 1, diagnostic.Span.Column);
        Assert.Contains("0xE9", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TwoFilesDifferingInAnInvalidByte_NeitherReadsSoNoDigestIsShared()
    {
        var first = AgreementReader.Read(Latin1Title(0xE9), "a.yaml");
        var second = AgreementReader.Read(Latin1Title(0xE8), "b.yaml");

        Assert.Null(first.Agreement);
        Assert.Null(second.Agreement);
    }

    [Fact]
    public void Read_ValidUtf8Bytes_ReadsAsTheText()
    {
        var text = AgreementReaderTests.Minimal.Replace("Demo agreement", "Démo agreement", StringComparison.Ordinal);

        var fromBytes = AgreementReader.Read(Encoding.UTF8.GetBytes(text), "demo.yaml");
        var fromText = AgreementReader.Read(text, "demo.yaml");

        Assert.Empty(fromBytes.Diagnostics);
        Assert.Equal(AgreementDigest.Compute(fromText.Agreement!), AgreementDigest.Compute(fromBytes.Agreement!));
    }

    [Theory]
    [InlineData("\u202E", "a bidirectional control")]
    [InlineData("\u2066", "a bidirectional control")]
    [InlineData("\u0007", "a control character")]
    [InlineData("\u001B", "a control character")]
    [InlineData("\u0090", "a control character")]
    public void Read_ForbiddenCharacterInAText_ReportsItsPlace(string character, string what)
    {
        var text = AgreementReaderTests.Minimal.Replace("title: Demo agreement", $"title: \"Demo {character}agreement\"", StringComparison.Ordinal);

        var result = AgreementReader.Read(text, "demo.yaml");

        Assert.Null(result.Agreement);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(AgreementDiagnosticCodes.ForbiddenCharacter.Code, diagnostic.Code);
        Assert.Contains(what, diagnostic.Message, StringComparison.Ordinal);
        Assert.Equal((4, "title: \"Demo ".Length + 1), (diagnostic.Span!.Line, diagnostic.Span.Column));
    }

    [Fact]
    public void Read_TabsAndCarriageReturns_AreAllowed()
    {
        var text = AgreementReaderTests.Minimal.Replace("\n", "\r\n", StringComparison.Ordinal).Replace("title: Demo agreement", "title: \"Demo\tagreement\"", StringComparison.Ordinal);

        var result = AgreementReader.Read(text, "demo.yaml");

        Assert.NotNull(result.Agreement);
    }

    [Fact]
    public void Read_LargerThanTheCap_ReportsTooLargeWithoutParsing()
    {
        var text = AgreementReaderTests.Minimal + "\n#" + new string('x', 1024 * 1024) + "\n";

        var result = AgreementReader.Read(Encoding.UTF8.GetBytes(text), "big.yaml");

        Assert.Equal(AgreementDiagnosticCodes.TooLarge.Code, Assert.Single(result.Diagnostics).Code);
    }

    [Fact]
    public void Read_ManyUnknownKeys_ReportsAtMostTheCapAndSaysHowManyWereLeftOut()
    {
        var keys = new StringBuilder(AgreementReaderTests.Minimal).Append('\n');
        for (var i = 0; i < 5_000; i++)
        {
            keys.Append("unknown").Append(i).Append(": 1\n");
        }

        var result = AgreementReader.Read(keys.ToString(), "many.yaml");

        Assert.Equal(AgreementReader.MaxDiagnostics + 1, result.Diagnostics.Count);
        var last = result.Diagnostics[^1];
        Assert.Equal(AgreementDiagnosticCodes.TooManyProblems.Code, last.Code);
        Assert.Equal(DiagnosticSeverity.Error, last.Severity);
        Assert.Contains($"{5_000 - AgreementReader.MaxDiagnostics} more problems", last.Message, StringComparison.Ordinal);
    }

    private static byte[] Latin1Title(byte accent)
    {
        var text = Encoding.UTF8.GetBytes(AgreementReaderTests.Minimal.Replace("Demo agreement", "Demo agrXement", StringComparison.Ordinal));
        var at = Array.IndexOf(text, (byte)'X');
        text[at] = accent;
        return text;
    }
}
