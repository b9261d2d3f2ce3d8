using System.Text;
using Concordat.Agreements;
using Concordat.Data.Aggregates;
using Concordat.Data.Datasets;
using Concordat.Data.RecipientTables;
using Concordat.Data.Tests.Datasets;
using Concordat.Privacy;
using Concordat.Testing;
using static Concordat.Data.Tests.Aggregates.AggregateFixture;

namespace Concordat.Data.Tests.RecipientTables;

public sealed class RecipientTableStoreTests : IDisposable
{
    private static readonly PartyId s_lab = new("lab");
    private readonly TempWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    private RecipientTableStore CreateSut() => new(_workspace.Root, new FakeTimeProvider(new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero)));

    private static PseudonymKey Key(PartyId recipient) => PseudonymKey.Derive(Master, recipient, Definition.Id);

    private static RecipientTableSchema Schema()
    {
        Assert.True(RecipientTableSchema.TryParse("customer:string,segment:string", "customer", out var schema, out var problem), problem);
        return schema;
    }

    private static RecipientTableSchema SchemaKeepingSegment()
    {
        Assert.True(RecipientTableSchema.TryParse("customer:string,segment:string", "customer", out var schema, out var problem, "segment"), problem);
        return schema;
    }

    private static async Task<RecipientTableManifest> UploadAsync(RecipientTableStore store, string csv, PartyId? recipient = null, RecipientTableSchema? schema = null)
    {
        using var key = Key(recipient ?? s_lab);
        var (manifest, problems) = await store.ImportAsync(recipient ?? s_lab, "mine", schema ?? Schema(), new MemoryStream(Encoding.UTF8.GetBytes(csv)), RowFormat.Csv, key, default);
        Assert.True(manifest is not null, string.Join("; ", problems));
        return manifest;
    }

    private static AggregateTerms JoinTerms(params string[] joinDimensions) =>
        new(null) { Scope = new AggregateScope([], [], [new FieldName("id")], null, null) { JoinDimensions = [.. joinDimensions.Select(d => new FieldName(d))] } };

    private const string BySegment = "\"dimensions\": [{\"field\": \"segment\", \"from\": \"join\", \"domain\": [\"gold\", \"silver\", \"none\"]}]";

    [Fact]
    public async Task ImportAsync_Rows_StoresOnlyTheDistinctKeyPseudonyms()
    {
        var store = CreateSut();

        var manifest = await UploadAsync(store, "customer,segment\r\np1,gold\r\np2,silver\r\np1,gold\r\np4,none\r\n");

        Assert.Equal((4L, 3), (manifest.Rows, manifest.Keys));
        var stored = string.Concat(Directory.EnumerateFiles(_workspace.Root, "*", SearchOption.AllDirectories).Select(File.ReadAllText));
        Assert.DoesNotContain("p1", stored.Split('\n', '"', ','), StringComparer.Ordinal);
        Assert.DoesNotContain("gold", stored, StringComparison.Ordinal);
        using var pseudonymiser = new Pseudonymiser(Key(s_lab));
        Assert.Contains(pseudonymiser.Pseudonymise("p1"), stored, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "customer")]
    [InlineData("customer:string", null)]
    [InlineData("customer:strings", "customer")]
    [InlineData("customer:string,customer:integer", "customer")]
    [InlineData("customer:decimal", "customer")]
    [InlineData("1customer:string", "1customer")]
    public void TryParse_BadDeclaration_SaysWhatIsWrong(string? fields, string? key)
    {
        Assert.False(RecipientTableSchema.TryParse(fields, key, out _, out var problem));
        Assert.StartsWith("`", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_AnotherRecipient_FindsNoTable()
    {
        var store = CreateSut();
        await UploadAsync(store, "customer,segment\r\np1,gold\r\n");
        using var other = Key(new PartyId("other"));

        Assert.Null(store.Open(new PartyId("other"), "mine", other));
    }

    [Fact]
    public async Task RunAsync_JoinedWithTheTable_CountsOnlyEntitiesWhoseKeyItHolds()
    {
        var store = CreateSut();
        await UploadAsync(store, "customer,segment\r\np1,gold\r\np3,silver\r\np9,none\r\n");
        using var key = Key(s_lab);
        using var joined = store.Open(s_lab, "mine", key)!;
        var query = Query($$"""{ {{Exact}}, "measures": [{"name": "people", "kind": "count-distinct"}], "join": {"table": "mine", "on": "id"} }""");
        var terms = new AggregateTerms(null) { Scope = new AggregateScope([], [], [new FieldName("id")], null, null) };
        Assert.True(AggregatePlan.TryCompile(query, EgressOf(), Definition, terms, out var plan, out var problems, joined), string.Join("; ", problems));

        var result = await RunAsync(plan, [Row("p1", "north", 1, 1), Row("p2", "north", 1, 1), Row("p3", "south", 1, 1), Row("p3", "south", 1, 1)]);

        Assert.Equal([2m], Values(result, string.Empty));
    }

    [Fact]
    public async Task ImportAsync_KeptDimension_StoresEachKeysValueBesideItsPseudonymOnly()
    {
        var store = CreateSut();

        var manifest = await UploadAsync(store, "customer,segment\r\np1,gold\r\np2,silver\r\np1,gold\r\n", schema: SchemaKeepingSegment());

        Assert.Equal([new FieldName("segment")], manifest.Dimensions);
        var stored = string.Concat(Directory.EnumerateFiles(_workspace.Root, "*", SearchOption.AllDirectories).Select(File.ReadAllText));
        Assert.Contains("gold", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("\"p1\"", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("\"p2\"", stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportAsync_KeptDimensionWithTwoValuesForOneKey_RejectedNamingTheColumnAndStoresNothing()
    {
        var store = CreateSut();
        using var key = Key(s_lab);

        var (manifest, problems) = await store.ImportAsync(s_lab, "mine", SchemaKeepingSegment(), new MemoryStream(Encoding.UTF8.GetBytes("customer,segment\r\np1,gold\r\np1,silver\r\n")), RowFormat.Csv, key, default);

        Assert.Null(manifest);
        var problem = Assert.Single(problems);
        Assert.Equal("GW6214", problem.Code);
        Assert.Contains("`segment`", problem.Message, StringComparison.Ordinal);
        Assert.Null(store.Open(s_lab, "mine", key));
    }

    [Theory]
    [InlineData("customer")]
    [InlineData("region")]
    [InlineData("segment,segment")]
    public void TryParse_BadDimensions_NamesThem(string dimensions)
    {
        Assert.False(RecipientTableSchema.TryParse("customer:string,segment:string", "customer", out _, out var problem, dimensions));
        Assert.StartsWith("`dimensions`", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_GroupedByTheTablesColumn_CountsEachEntityInItsKeysGroup()
    {
        var store = CreateSut();
        await UploadAsync(store, "customer,segment\r\np1,gold\r\np2,gold\r\np3,silver\r\np4,\r\n", schema: SchemaKeepingSegment());
        using var key = Key(s_lab);
        using var joined = store.Open(s_lab, "mine", key)!;
        var query = Query($$"""{ {{Exact}}, {{BySegment}}, "measures": [{"name": "people", "kind": "count-distinct"}, {"name": "spent", "kind": "sum", "field": "amount", "lower": 0, "upper": 100}], "join": {"table": "mine", "on": "id"} }""");
        Assert.True(AggregatePlan.TryCompile(query, EgressOf(), Definition, JoinTerms("segment"), out var plan, out var problems, joined), string.Join("; ", problems));

        var result = await RunAsync(plan, [Row("p1", "north", 1, 10), Row("p2", "north", 1, 20), Row("p3", "south", 1, 5), Row("p3", "south", 1, 5), Row("p4", "south", 1, 7), Row("p5", "west", 1, 9)]);

        Assert.Equal([2m, 30m], Values(result, "gold"));
        Assert.Equal([1m, 5m], Values(result, "silver"));
        Assert.Equal([0m, 0m], Values(result, "none"));
    }

    [Fact]
    public async Task TryCompile_TableColumnTheGrantDoesNotList_RefusedNamingTheDimension()
    {
        var store = CreateSut();
        await UploadAsync(store, "customer,segment\r\np1,gold\r\n", schema: SchemaKeepingSegment());
        using var key = Key(s_lab);
        using var joined = store.Open(s_lab, "mine", key)!;
        var query = Query($$"""{ {{Exact}}, {{BySegment}}, "measures": [{"name": "people", "kind": "count-distinct"}], "join": {"table": "mine", "on": "id"} }""");

        Assert.False(AggregatePlan.TryCompile(query, EgressOf(), Definition, JoinTerms(), out _, out var problems, joined));

        var problem = Assert.Single(problems);
        Assert.Equal("GW6511", problem.Code);
        Assert.StartsWith("`dimensions[0].field`", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TryCompile_TableColumnNotKeptAtUpload_RefusedNamingTheDimension()
    {
        var store = CreateSut();
        await UploadAsync(store, "customer,segment\r\np1,gold\r\n");
        using var key = Key(s_lab);
        using var joined = store.Open(s_lab, "mine", key)!;
        var query = Query($$"""{ {{Exact}}, {{BySegment}}, "measures": [{"name": "people", "kind": "count-distinct"}], "join": {"table": "mine", "on": "id"} }""");

        Assert.False(AggregatePlan.TryCompile(query, EgressOf(), Definition, JoinTerms("segment"), out _, out var problems, joined));

        var problem = Assert.Single(problems);
        Assert.Equal("GW6512", problem.Code);
        Assert.StartsWith("`dimensions[0].field`", problem.Message, StringComparison.Ordinal);
    }
}
