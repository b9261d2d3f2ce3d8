using System.Text.Json.Nodes;
using Concordat.Agreements;
using Concordat.Attestations;
using Concordat.Core;
using YamlDotNet.RepresentationModel;

namespace Concordat.Tests.Attestations;

/// <summary>A Hugging Face model card from a model's attestation: a YAML metadata block that parses, then the sections.</summary>
public sealed class ModelCardTests
{
    private static readonly Agreement s_agreement = AgreementReader.Read(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "samples", "agreements", "foundation-evaluation.yaml")), "foundation-evaluation.yaml").Agreement!;

    private static readonly Sha256Digest s_envelope = Sha256Digest.Compute("envelope"u8);

    [Fact]
    public void Write_RegisteredModel_MetadataBlockParsesWithLicenceDatasetsAndTags()
    {
        var card = ModelCard.Write(Statement("Apache-2.0"), s_envelope, [s_agreement]);

        var metadata = Metadata(card);

        Assert.Equal("apache-2.0", ((YamlScalarNode)metadata.Children[new YamlScalarNode("license")]).Value);
        Assert.False(metadata.Children.ContainsKey(new YamlScalarNode("license_name")));
        Assert.Equal(["encyclopedia-corpus"], ((YamlSequenceNode)metadata.Children[new YamlScalarNode("datasets")]).Select(n => ((YamlScalarNode)n).Value));
        Assert.Equal(["concordat", "purpose:fine-tuning", "use:research"], ((YamlSequenceNode)metadata.Children[new YamlScalarNode("tags")]).Select(n => ((YamlScalarNode)n).Value));
    }

    [Fact]
    public void Write_LicenceExpression_IsOtherWithTheLicenceName()
    {
        var card = ModelCard.Write(Statement("Apache-2.0 AND CC-BY-SA-4.0"), s_envelope, []);

        var metadata = Metadata(card);

        Assert.Equal("other", ((YamlScalarNode)metadata.Children[new YamlScalarNode("license")]).Value);
        Assert.Equal("apache-2.0 and cc-by-sa-4.0", ((YamlScalarNode)metadata.Children[new YamlScalarNode("license_name")]).Value);
    }

    [Fact]
    public void Write_RegisteredModel_HasEverySectionWithDigestsPurposeAndLimitations()
    {
        var card = ModelCard.Write(Statement("Apache-2.0"), s_envelope, [s_agreement]);

        var sections = card.Split('\n').Where(l => l.StartsWith("## ", StringComparison.Ordinal)).ToList();

        Assert.Equal(["## Model details", "## Training data", "## Intended use", "## Licence and attribution", "## Limitations"], sections);
        Assert.Contains("# encyclopedia-tuned\n", card, StringComparison.Ordinal);
        Assert.Contains($"  - `encyclopedia-corpus@3/manifest.json` {Sha256Digest.Compute("manifest"u8)}\n", card, StringComparison.Ordinal);
        Assert.Contains($"- agreement `foundation-evaluation` version 1, {AgreementDigest.Compute(s_agreement)}\n", card, StringComparison.Ordinal);
        Assert.Contains("Trained for the purpose `fine-tuning`, for research use.", card, StringComparison.Ordinal);
        Assert.Contains($"envelope `{s_envelope}`", card, StringComparison.Ordinal);
        Assert.Contains("- encyclopedia-corpus@3 (CC-BY-SA-4.0): Contains text from the Open Encyclopedia\n", card, StringComparison.Ordinal);
        Assert.EndsWith("## Limitations\n\n- Evaluated on English text only.\n", card, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_LimitationWithLineBreaks_StaysOneListItem()
    {
        var statement = Statement("Apache-2.0");
        statement.Predicate["limitations"] = new JsonArray("Weak on\n## Training data\nrare cases.");

        var card = ModelCard.Write(statement, s_envelope, []);

        Assert.Single(card.Split('\n'), l => l == "## Training data");
        Assert.EndsWith("- Weak on ## Training data rare cases.\n", card, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_NotAModelStatement_Throws()
    {
        var statement = new InTotoStatement([], AttestationPredicateTypes.Egress, new JsonObject());

        Assert.Throws<ArgumentException>(() => ModelCard.Write(statement, s_envelope, []));
    }

    private static YamlMappingNode Metadata(string card)
    {
        Assert.StartsWith("---\n", card, StringComparison.Ordinal);
        var end = card.IndexOf("\n---\n", 4, StringComparison.Ordinal);
        Assert.True(end > 0, "no closing `---` line");
        var yaml = new YamlStream();
        yaml.Load(new StringReader(card[4..end]));
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }

    // The statement `model register` writes for a model fine-tuned from a dataset version under the sample agreement.
    private static InTotoStatement Statement(string licence)
    {
        var registration = new ModelRegistration(
            "encyclopedia-tuned",
            [AttestationSubject.FromSha256("model.safetensors", Sha256Digest.Compute("weights"u8))],
            Sha256Digest.Compute("config"u8),
            [new ModelInput("corpus.json", new InTotoStatement([AttestationSubject.FromSha256("encyclopedia-corpus@3/manifest.json", Sha256Digest.Compute("manifest"u8))], AttestationPredicateTypes.DatasetVersion, new JsonObject()))],
            "meridian-ai",
            new PurposeId("fine-tuning"),
            [(s_agreement, AgreementDigest.Compute(s_agreement))],
            licence,
            new DateTimeOffset(2026, 3, 11, 0, 0, 0, TimeSpan.Zero))
        {
            Limitations = ["Evaluated on English text only."],
        };
        var statement = ModelRegistrar.CreateStatement(registration, null, null);
        statement.Predicate["use"] = "research";
        statement.Predicate["attributions"] = new JsonArray(new JsonObject { ["input"] = "encyclopedia-corpus@3", ["source"] = "CC-BY-SA-4.0", ["text"] = "Contains text from the Open Encyclopedia" });
        return statement;
    }
}
