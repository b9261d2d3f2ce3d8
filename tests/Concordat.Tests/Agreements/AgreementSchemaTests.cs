using System.Text.Json;
using Concordat.Agreements;
using Concordat.Agreements.Reading;
using Concordat.Testing;

namespace Concordat.Tests.Agreements;

public sealed class AgreementSchemaTests
{
    private static readonly JsonElement s_schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Find(), "docs", "formats", "agreement.schema.json"))).RootElement;

    [Fact]
    public void Schema_IsJsonSchema202012WithNoAdditionalProperties()
    {
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", s_schema.GetProperty("$schema").GetString());
        Assert.False(s_schema.GetProperty("additionalProperties").GetBoolean());
    }

    [Fact]
    public void Schema_TopLevelKeys_AreExactlyTheKeysTheReaderAccepts()
    {
        var schemaKeys = s_schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal);
        var required = s_schema.GetProperty("required").EnumerateArray().Select(r => r.GetString()!).Order(StringComparer.Ordinal);

        Assert.Equal(AgreementKeys.Agreement.All.Order(StringComparer.Ordinal), schemaKeys);
        Assert.Equal(AgreementKeys.Agreement.Required.Order(StringComparer.Ordinal), required);
    }

    [Theory]
    [InlineData("party", "Party")]
    [InlineData("approver", "Approver")]
    [InlineData("dataset", "Dataset")]
    [InlineData("grant", "Grant")]
    [InlineData("prohibition", "Prohibition")]
    [InlineData("purpose", "Purpose")]
    [InlineData("window", "Window")]
    public void Schema_Definitions_ListTheKeysTheReaderAccepts(string definition, string keySet)
    {
        var keys = (KeySet)typeof(AgreementKeys).GetField(keySet)!.GetValue(null)!;

        var schemaKeys = s_schema.GetProperty("$defs").GetProperty(definition).GetProperty("properties").EnumerateObject().Select(p => p.Name);

        Assert.Equal(keys.All.Order(StringComparer.Ordinal), schemaKeys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Schema_EnumValues_AreTheReadersSpellings()
    {
        var defs = s_schema.GetProperty("$defs");
        static IEnumerable<string> Enum(JsonElement e) => e.GetProperty("enum").EnumerateArray().Select(v => v.GetString()!);

        Assert.Equal(AgreementEnumText.Names<DataAction>(), Enum(defs.GetProperty("action")));
        Assert.Equal(AgreementEnumText.Names<SensitivityLevel>(), Enum(defs.GetProperty("sensitivity")));
        Assert.Equal(AgreementEnumText.Names<PartnershipModel>(), Enum(s_schema.GetProperty("properties").GetProperty("partnership")));
        Assert.Equal(AgreementEnumText.Names<EngagementKind>(), Enum(s_schema.GetProperty("properties").GetProperty("engagement")));
        Assert.Equal(AgreementEnumText.Names<PartyRole>(), Enum(defs.GetProperty("party").GetProperty("properties").GetProperty("roles").GetProperty("items")));
    }
}
