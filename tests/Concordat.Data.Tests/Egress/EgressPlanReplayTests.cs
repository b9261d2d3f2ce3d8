using Concordat.Agreements;
using Concordat.Data.Datasets;
using Concordat.Data.Egress;
using Concordat.Data.Tests.Datasets;
using Concordat.Testing;
using Concordat.Testing.Datasets;

namespace Concordat.Data.Tests.Egress;

public sealed class EgressPlanReplayTests : IDisposable
{
    private static readonly FieldName s_key = new("patient_id");
    private readonly TempWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Theory]
    [InlineData("research", true)]
    [InlineData("training", false)]
    [InlineData("", false)]
    public async Task CarriesAnyAsync_ConsentOfTheSubjectsRows_DecidesWhetherTheEgressCarriedIt(string consent, bool carried)
    {
        var (store, manifest, subject) = await ImportAsync(consent);
        using var plan = Compile(new RowRules(true, []));

        var result = await plan.CarriesAnyAsync(store, manifest, s_key, new HashSet<string> { subject }, CancellationToken.None);

        Assert.Equal(carried, result);
    }

    [Fact]
    public async Task CarriesAnyAsync_NoRowRulesButSubjectAbsent_False()
    {
        var (store, manifest, _) = await ImportAsync("research");
        using var plan = Compile(null);

        var result = await plan.CarriesAnyAsync(store, manifest, s_key, new HashSet<string> { "NHS-0000000000" }, CancellationToken.None);

        Assert.False(result);
    }

    private static EgressPlan Compile(RowRules? rowRules)
    {
        Assert.True(EgressPlan.TryCompile(SyntheticPatients.Definition(), [], rowRules, [new PurposeId("research")], null, null, out var plan, out var diagnostics), string.Join("; ", diagnostics));
        return plan;
    }

    private async Task<(DatasetStore Store, DatasetManifest Manifest, string Subject)> ImportAsync(string consent)
    {
        var store = new DatasetStore(_workspace.Root, new FakeTimeProvider(new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.Zero)));
        using var csv = new StringWriter();
        new SyntheticPatients(3).WriteCsv(csv, 4, consent);
        var result = await store.ImportAsync(SyntheticPatients.Definition(), new MemoryStream(System.Text.Encoding.UTF8.GetBytes(csv.ToString())), RowFormat.Csv, "p.csv", CancellationToken.None);
        var manifest = result.Manifest!;
        using var rows = new StreamReader(store.OpenStoredRows(manifest));
        return (store, manifest, (await rows.ReadLineAsync())!.Split('"')[1]);
    }
}
