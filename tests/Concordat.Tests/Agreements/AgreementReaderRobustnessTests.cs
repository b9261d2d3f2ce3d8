using Concordat.Agreements;
using FsCheck;
using FsCheck.Fluent;

namespace Concordat.Tests.Agreements;

public sealed class AgreementReaderRobustnessTests
{
    private static readonly string[] s_samples =
        [.. Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "samples", "agreements"), "*.yaml").Order(StringComparer.Ordinal).Select(File.ReadAllText)];

    private static readonly char[] s_alphabet = ":-[]{},#&*!|>'\"%@` \n\t?abcAB01.~\\\u00e9\u2028\0".ToCharArray();

    [Fact]
    public void Read_RandomText_NeverThrows()
    {
        var text = Gen.ArrayOf(Gen.Elements(s_alphabet)).Select(chars => new string(chars)).ToArbitrary();

        Prop.ForAll(text, t => Check(t)).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Read_MutatedSample_NeverThrows()
    {
        var mutations = Gen.Zip(Gen.Elements(s_samples), Gen.Choose(0, int.MaxValue)).ToArbitrary();

        Prop.ForAll(mutations, pair =>
        {
            var (sample, seed) = pair;
            var random = new Random(seed);
            var chars = sample.ToList();
            for (var i = random.Next(1, 8); i > 0; i--)
            {
                var at = random.Next(chars.Count);
                switch (random.Next(3))
                {
                    case 0:
                        chars.RemoveAt(at);
                        break;
                    case 1:
                        chars.Insert(at, s_alphabet[random.Next(s_alphabet.Length)]);
                        break;
                    default:
                        chars[at] = s_alphabet[random.Next(s_alphabet.Length)];
                        break;
                }
            }

            Check(new string([.. chars]));
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Read_DeeplyNested_ReportsTooDeepInsteadOfOverflowing()
    {
        var text = "concordat: " + new string('[', 300) + new string(']', 300) + "\n";

        var result = AgreementReader.Read(text, "deep.yaml");

        Assert.Contains(result.Diagnostics, d => d.Code == AgreementDiagnosticCodes.TooDeep.Code);
    }

    private static void Check(string text)
    {
        var result = AgreementReader.Read(text, "fuzz.yaml");

        Assert.True(result.Agreement is not null || result.HasErrors, "no agreement and no error");
        Assert.All(result.Diagnostics, d => Assert.False(string.IsNullOrEmpty(d.Message)));
    }
}
