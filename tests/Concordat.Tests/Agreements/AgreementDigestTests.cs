using Concordat.Agreements;
using Concordat.Agreements.Syntax;
using Concordat.Core;
using FsCheck;
using FsCheck.Fluent;

namespace Concordat.Tests.Agreements;

public sealed class AgreementDigestTests
{
    private static readonly string[] s_documents =
    [
        .. Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "samples", "agreements"), "*.yaml").Order(StringComparer.Ordinal).Select(File.ReadAllText),
        AgreementReaderTests.Minimal,
    ];

    [Fact]
    public void Compute_MinimalAgreement_IsPinned()
    {
        var agreement = AgreementReader.Read(AgreementReaderTests.Minimal, "demo.yaml").Agreement!;

        var canonical = System.Text.Encoding.UTF8.GetString(AgreementDigest.CanonicalBytes(agreement));
        var digest = AgreementDigest.Compute(agreement);

        Assert.Equal(
            """{"concordat":1,"datasets":[{"fields":[{"name":"author","type":"string"},{"name":"text","type":"string"}],"id":"corpus","owner":"provider-org","tags":{"sensitivity":"internal"}}],"effective":{"from":"2026-01-01T00:00:00Z","until":"2028-01-01T00:00:00Z"},"engagement":"data-sharing","grants":[{"actions":["read-rows"],"datasets":["corpus"],"id":"g1","purposes":["training"],"recipient":"lab"}],"id":"demo","parties":[{"id":"lab","jurisdiction":"GB","legalName":"The Lab","roles":["recipient"]},{"id":"provider-org","jurisdiction":"FR","legalName":"Provider Org","roles":["provider"]}],"partnership":"bilateral","purposes":[{"id":"research"},{"broader":"research","id":"training"}],"termination":{"deleteWithinDays":30,"noticeDays":30},"title":"Demo agreement","version":2}""",
            canonical);
        Assert.Equal(Sha256Digest.Compute(System.Text.Encoding.UTF8.GetBytes(canonical)), digest);
    }

    [Fact]
    public void Compute_EquivalentSpellings_HaveOneDigest()
    {
        var a = AgreementReader.Read(AgreementReaderTests.Minimal, "a.yaml").Agreement!;
        var spelledDifferently = AgreementReaderTests.Minimal
            .Replace("from: 2026-01-01T00:00:00Z", "from: \"2026-01-01T00:00:00.000Z\"", StringComparison.Ordinal)
            .Replace("actions: [read-rows]", "actions: [read-rows, read-rows]\n    jurisdictions: []", StringComparison.Ordinal)
            .Replace("roles: [recipient]", "roles: ['recipient']", StringComparison.Ordinal);

        var b = AgreementReader.Read(spelledDifferently, "b.yaml").Agreement!;

        Assert.Equal(AgreementDigest.Compute(a), AgreementDigest.Compute(b));
    }

    [Theory]
    [InlineData("PT90M", "PT1H30M")]
    [InlineData("PT3600S", "PT1H")]
    [InlineData("PT86400S", "P1D")]
    [InlineData("P2W", "P14D")]
    [InlineData("P1DT24H", "P2D")]
    [InlineData("PT61S", "PT1M1S")]
    [InlineData("P0DT36H1S", "P1DT12H1S")]
    [InlineData("P007D", "P7D")]
    public void CanonicalBytes_Duration_IsTheDocumentedCanonicalForm(string written, string canonical)
    {
        var text = AgreementReaderTests.Minimal.Replace("actions: [read-rows]", $"actions: [read-rows]\n    tokenLifetime: {written}", StringComparison.Ordinal);

        var agreement = AgreementReader.Read(text, "demo.yaml").Agreement!;

        var json = System.Text.Encoding.UTF8.GetString(AgreementDigest.CanonicalBytes(agreement));
        Assert.Contains($"\"tokenLifetime\":\"{canonical}\"", json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("approvers: null\n")]
    [InlineData("approvers: ~\n")]
    [InlineData("approvers:\n")]
    [InlineData("purposes:\n  - { id: research, description: null }\n  - { id: training, broader: research }\n")]
    [InlineData("grants:\n  - id: g1\n    recipient: lab\n    datasets: [corpus]\n    purposes: [training]\n    actions: [read-rows]\n    window: ~\n    tokenLifetime: null\n")]
    public void Compute_ExplicitNullOnOptionalKey_IsTheKeyLeftOut(string yaml)
    {
        var key = yaml[..yaml.IndexOf(':', StringComparison.Ordinal)];
        var text = key == "approvers" ? AgreementReaderTests.Minimal + "\n" + yaml : ReplaceSection(AgreementReaderTests.Minimal, key, yaml);

        var result = AgreementReader.Read(text, "demo.yaml");

        Assert.True(result.Agreement is not null, string.Join("\n", result.Diagnostics));
        Assert.Equal(AgreementDigest.Compute(AgreementReader.Read(AgreementReaderTests.Minimal, "demo.yaml").Agreement!), AgreementDigest.Compute(result.Agreement));
    }

    [Theory]
    [InlineData("title: null", "AGR2003")]
    [InlineData("title: ~", "AGR2003")]
    public void Read_ExplicitNullOnRequiredKey_IsTheKeyMissing(string line, string code)
    {
        var result = AgreementReader.Read(AgreementReaderTests.Minimal.Replace("title: Demo agreement", line, StringComparison.Ordinal), "demo.yaml");

        Assert.Null(result.Agreement);
        Assert.Contains(result.Diagnostics, d => d.Code == code && d.Message.Contains("`title`", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("version: 0x2", "`version`: `0x2` is an octal or hexadecimal integer")]
    [InlineData("version: 0o2", "`version`: `0o2` is an octal or hexadecimal integer")]
    [InlineData("title: 0x10", "`title` must be a string, found an integer")]
    [InlineData("title: 0o17", "`title` must be a string, found an integer")]
    public void Read_OctalOrHexInteger_IsAnIntegerAndRefused(string line, string message)
    {
        var key = line[..line.IndexOf(':', StringComparison.Ordinal)];
        var original = key == "version" ? "version: 2" : "title: Demo agreement";

        var result = AgreementReader.Read(AgreementReaderTests.Minimal.Replace(original, line, StringComparison.Ordinal), "demo.yaml");

        Assert.Null(result.Agreement);
        Assert.Contains(result.Diagnostics, d => d.IsError && d.Message == message);
    }

    [Fact]
    public void Read_QuotedOctalOrHexText_IsAString()
    {
        var result = AgreementReader.Read(AgreementReaderTests.Minimal.Replace("title: Demo agreement", "title: \"0x10\"", StringComparison.Ordinal), "demo.yaml");

        Assert.Equal("0x10", result.Agreement?.Title);
    }

    [Fact]
    public void Compute_Reformatted_DigestUnchanged()
    {
        var cases = Gen.Zip(Gen.Elements(s_documents), Gen.Choose(0, int.MaxValue)).ToArbitrary();

        Prop.ForAll(cases, pair =>
        {
            var (text, seed) = pair;
            var original = AgreementReader.Read(text, "original.yaml").Agreement!;
            var reformatted = new YamlReformatter(new Random(seed)).Write(SyntaxOf(text));

            var result = AgreementReader.Read(reformatted, "reformatted.yaml");

            Assert.True(result.Agreement is not null, string.Join("\n", result.Diagnostics.Where(d => d.IsError)) + "\n" + reformatted);
            Assert.Equal(AgreementDigest.Compute(original), AgreementDigest.Compute(result.Agreement));
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Compute_ChangedMeaning_DigestChanges()
    {
        var cases = Gen.Zip(Gen.Elements(s_documents), Gen.Choose(0, int.MaxValue)).ToArbitrary();
        var valid = 0;

        Prop.ForAll(cases, pair =>
        {
            var (text, seed) = pair;
            var original = AgreementReader.Read(text, "original.yaml").Agreement!;
            var formatter = new YamlReformatter(new Random(seed));
            var mutated = formatter.Write(formatter.Mutate(SyntaxOf(text)));

            var result = AgreementReader.Read(mutated, "mutated.yaml");

            if (result.Agreement is not null)
            {
                valid++;
                Assert.NotEqual(AgreementDigest.Compute(original), AgreementDigest.Compute(result.Agreement));
            }
        }).QuickCheckThrowOnFailure();

        Assert.True(valid > 10, $"only {valid} mutations kept the document valid: the property was barely exercised");
    }

    /// <summary>Replaces the top-level section <paramref name="key"/> (its line and the indented lines under it) with <paramref name="section"/>.</summary>
    private static string ReplaceSection(string text, string key, string section)
    {
        var lines = text.Split('\n').ToList();
        var start = lines.FindIndex(l => l.StartsWith(key + ":", StringComparison.Ordinal));
        var end = lines.FindIndex(start + 1, l => l.Length > 0 && !char.IsWhiteSpace(l[0]) && !l.StartsWith('-'));
        lines.RemoveRange(start, (end < 0 ? lines.Count : end) - start);
        lines.Insert(start, section.TrimEnd('\n'));
        return string.Join('\n', lines);
    }

    private static YamlNode SyntaxOf(string text) => YamlSyntaxReader.Read(text, "x.yaml", [])!;
}
