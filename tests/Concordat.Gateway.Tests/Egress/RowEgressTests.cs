using System.Text;
using Concordat.Agreements;
using Concordat.Gateway.Datasets;
using Concordat.Gateway.Egress;
using Concordat.Gateway.Hosting;
using Concordat.Gateway.Tests.Datasets;
using Concordat.Testing;

namespace Concordat.Gateway.Tests.Egress;

public sealed class RowEgressTests : IDisposable
{
    private readonly TempWorkspace _workspace = new();
    private readonly Agreement _agreement = ReadSample();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public void CoveringPurposes_NarrowPurpose_IncludesEveryBroaderOne()
    {
        var covering = RowEgress.CoveringPurposes(_agreement, new PurposeId("evaluation"));

        Assert.Equal(["evaluation", "research"], covering.Select(p => p.Value).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task WriteAsync_SampleGrant_AppliesItsFieldAndRowRulesToTheImportedVersion()
    {
        var store = new DatasetStore(_workspace.Root, new FakeTimeProvider());
        var workspace = GatewayWorkspace.OpenOrCreate(Path.Combine(_workspace.Root, "gateway"));
        var dataset = _agreement.Datasets.Single(d => d.Id.Value == "cardiology-records");
        var csv = "patient_id,name,birth_date,postcode,ejection_fraction,diagnosis_code,admitted_at,consent_basis,residency\r\n" +
            "P1,Anna Schmidt,1961-04-09,10115,38.5,I50.9,2025-02-01T10:00:00Z,research;training,DE\r\n" +
            "P2,Jan de Vries,1970-01-01,1012 AB,41.0,I50.1,2025-02-02T10:00:00Z,training,NL\r\n" +
            "P3,Marie Dubois,1955-12-31,75001,35.0,I50.9,2025-02-03T10:00:00Z,research,FR\r\n";
        var imported = await new DatasetImporter(store).ImportAsync(dataset, RowFormat.Csv, new MemoryStream(Encoding.UTF8.GetBytes(csv)), CancellationToken.None);
        Assert.True(imported.IsImported, string.Join("; ", imported.Diagnostics));
        var grant = _agreement.Grants.Single(g => g.Id.Value == "research-rows");
        var request = new RowEgressRequest(dataset.Id, grant.Recipient, new PurposeId("research"), RowFormat.Csv, _agreement, grant);
        var destination = new MemoryStream();

        var rows = await new RowEgress(store, workspace).WriteAsync(request, destination, CancellationToken.None);

        Assert.Equal(1, rows);
        var lines = Encoding.UTF8.GetString(destination.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("patient_id,birth_date,postcode,ejection_fraction,diagnosis_code,admitted_at,consent_basis,residency", lines[0]);
        Assert.Matches("^[a-z2-7]{32},1961,10,38.5,I50.9,2025-02-01T10:00:00Z,research;training,DE$", lines[1]);
        Assert.Equal(2, lines.Length);
    }

    private static Agreement ReadSample()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "samples", "agreements", "hospital-research.yaml");
        var result = AgreementReader.Read(File.ReadAllText(path), path);
        return result.Agreement ?? throw new InvalidOperationException(string.Join("; ", result.Diagnostics));
    }
}
