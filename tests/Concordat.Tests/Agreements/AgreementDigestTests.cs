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

    private static YamlNode SyntaxOf(string text) => YamlSyntaxReader.Read(text, "x.yaml", [])!;
}
