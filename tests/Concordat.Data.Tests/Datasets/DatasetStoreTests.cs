using System.Text;
using Concordat.Agreements;
using Concordat.Core;
using Concordat.Data.Datasets;
using Concordat.Testing;
using Concordat.Testing.Datasets;
using FsCheck;
using FsCheck.Fluent;

namespace Concordat.Data.Tests.Datasets;

public sealed class DatasetStoreTests : IDisposable
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 21, 23, 30, 0, TimeSpan.Zero);
    private readonly TempWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task ImportAsync_SampleCsv_StoresVersionOneWithManifest()
    {
        var bytes = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "samples", "datasets", "patients.csv"));
        var sut = CreateSut();

        var result = await sut.ImportAsync(SyntheticPatients.Definition(), new MemoryStream(bytes), RowFormat.Csv, "patients.csv", CancellationToken.None);

        Assert.Empty(result.Diagnostics);
        var manifest = Assert.IsType<DatasetManifest>(result.Manifest);
        Assert.Equal(new DatasetVersion(1), manifest.Version);
        Assert.Equal(200, manifest.RowCount);
        Assert.Equal(s_now, manifest.ImportedAt);
        var source = Assert.Single(manifest.Sources);
        Assert.Equal(Sha256Digest.Compute(bytes), source.Sha256);
        Assert.Equal(bytes.Length, source.Bytes);
        Assert.Equal(200, source.Rows);
        var versionDirectory = Path.Combine(_workspace.DatasetsDirectory, "patients", "1");
        Assert.Equal(Sha256Digest.Compute(await File.ReadAllBytesAsync(Path.Combine(versionDirectory, "rows.ndjson"))), manifest.RowsSha256);
        Assert.Equal(manifest.ToCanonicalJson(), await File.ReadAllBytesAsync(Path.Combine(versionDirectory, "manifest.json")));
    }

    [Fact]
    public async Task ImportAsync_TwoImports_GetVersionsOneAndTwoAndLatestIsTwo()
    {
        var sut = CreateSut();
        var definition = SyntheticPatients.Definition();

        await sut.ImportAsync(definition, new MemoryStream(new SyntheticPatients(1).ToCsvBytes(3)), RowFormat.Csv, "a.csv", CancellationToken.None);
        await sut.ImportAsync(definition, new MemoryStream(new SyntheticPatients(2).ToCsvBytes(5)), RowFormat.Csv, "b.csv", CancellationToken.None);

        Assert.Equal([new DatasetVersion(1), new DatasetVersion(2)], sut.ListVersions(definition.Id));
        var latest = sut.GetLatest(definition.Id);
        Assert.NotNull(latest);
        Assert.Equal(new DatasetVersion(2), latest.Version);
        Assert.Equal(5, latest.RowCount);
        Assert.Equal(3, sut.GetVersion(definition.Id, new DatasetVersion(1))!.RowCount);
    }

    [Fact]
    public async Task ImportAsync_CsvInAnyColumnOrder_WritesNormalisedRowsInSchemaOrder()
    {
        var csv = "\uFEFFflag,when,n,amount,code,label,day\r\n" +
            "TRUE,2025-03-01T08:30:00+01:00,+007,-1.50,sw1a 1aa,\"a, \"\"quoted\"\"\r\nvalue\",2024-02-29\r\n" +
            "false,2025-03-01T08:30:00.25Z,0,2,N1,,\n";

        var (result, rows) = await ImportTextAsync(csv, RowFormat.Csv);

        Assert.Empty(result.Diagnostics);
        Assert.Equal(
            "[\"a, \\\"quoted\\\"\\r\\nvalue\",7,-1.50,true,\"2024-02-29\",\"2025-03-01T08:30:00+01:00\",\"SW1A 1AA\"]\n" +
            "[\"\",0,2,false,null,\"2025-03-01T08:30:00.25Z\",\"N1\"]\n",
            rows);
    }

    [Fact]
    public async Task ImportAsync_Ndjson_WritesNormalisedRows()
    {
        var ndjson = "{\"label\":\"caf\\u00e9 \\\"x\\\"\",\"n\":42,\"amount\":3.25,\"flag\":true,\"day\":\"2024-01-31\",\"when\":\"2024-01-31T00:00:00Z\",\"code\":\"ox3 9du\"}\r\n" +
            "\n" +
            "{\"code\":null,\"when\":null,\"day\":null,\"flag\":false,\"amount\":null,\"n\":-1,\"label\":null}";

        var (result, rows) = await ImportTextAsync(ndjson, RowFormat.Ndjson);

        Assert.Empty(result.Diagnostics);
        Assert.Equal(2, result.Manifest!.RowCount);
        Assert.Equal(
            "[\"café \\\"x\\\"\",42,3.25,true,\"2024-01-31\",\"2024-01-31T00:00:00Z\",\"OX3 9DU\"]\n" +
            "[null,-1,null,false,null,null,null]\n",
            rows);
    }

    [Theory]
    [InlineData("label,n,amount,flag,day,when,code\r\nx,1,1.0,true,2024-01-01,2024-01-01T00:00:00Z,N1\r\ny,2,1.0,true\r\n", "GW6204", "row 2 of `in.csv` has 4 fields but the header has 7", 3, 1)]
    [InlineData("label,n,amount,flag,day,when,code\r\nx,1,1.0,true,2024-01-01,2024-01-01T00:00:00Z,N1\r\ny,two,1.0,true,2024-01-01,2024-01-01T00:00:00Z,N1\r\n", "GW6205", "row 2 of `in.csv`: column `n` is not an integer", 3, 3)]
    [InlineData("label,n,amount,flag,day,when,code\r\nx,1,1e5,true,2024-01-01,2024-01-01T00:00:00Z,N1\r\n", "GW6205", "row 1 of `in.csv`: column `amount` is not a decimal number", 2, 5)]
    [InlineData("label,n,amount,flag,day,when,code\r\nx,1,1.0,yes,2024-01-01,2024-01-01T00:00:00Z,N1\r\n", "GW6205", "row 1 of `in.csv`: column `flag` is not `true` or `false`", 2, 9)]
    [InlineData("label,n,amount,flag,day,when,code\r\nx,1,1.0,true,2023-02-29,2024-01-01T00:00:00Z,N1\r\n", "GW6205", "row 1 of `in.csv`: column `day` is not a date (`YYYY-MM-DD`)", 2, 14)]
    [InlineData("label,n,amount,flag,day,when,code\r\nx,1,1.0,true,2024-01-01,2024-01-01 00:00:00,N1\r\n", "GW6205", "row 1 of `in.csv`: column `when` is not an RFC 3339 date-time", 2, 25)]
    [InlineData("label,n,amount,flag,day,when,code\r\nx,1,1.0,true,2024-01-01,2024-01-01T00:00:00Z,N1;DROP\r\n", "GW6205", "row 1 of `in.csv`: column `code` is not a postcode", 2, 46)]
    [InlineData("label,n,amount,flag,day,when,code,extra\r\n", "GW6206", "`in.csv` has a column `extra` the dataset's schema lacks", 1, 35)]
    [InlineData("label,n,amount,flag,day,when\r\n", "GW6207", "`in.csv` lacks the column `code`", 1, 1)]
    [InlineData("label,n,amount,flag,day,when,code,n\r\n", "GW6208", "`in.csv` names the column `n` twice", 1, 35)]
    [InlineData("label,n,amount,flag,day,when,code\r\nx\"y,1,1.0,true,2024-01-01,2024-01-01T00:00:00Z,N1\r\n", "GW6203", "`in.csv` is not RFC 4180 CSV: a quote inside an unquoted field; quote the whole field and double the quote", 2, 2)]
    [InlineData("label,n,amount,flag,day,when,code\r\n\"x\"y,1,1.0,true,2024-01-01,2024-01-01T00:00:00Z,N1\r\n", "GW6203", "`in.csv` is not RFC 4180 CSV: text after a closing quote; a quoted field ends at the quote", 2, 4)]
    [InlineData("label,n,amount,flag,day,when,code\r\n\"x,1,1.0\r\n", "GW6203", "`in.csv` is not RFC 4180 CSV: a quoted field is not closed before the end of the file", 3, 1)]
    [InlineData("", "GW6210", "`in.csv` has no header record", 1, 1)]
    public async Task ImportAsync_BadCsv_NamesRowAndColumnAndStoresNothing(string csv, string code, string message, int line, int column)
    {
        var (result, _) = await ImportTextAsync(csv, RowFormat.Csv);

        Assert.Null(result.Manifest);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(code, diagnostic.Code);
        Assert.Equal(message, diagnostic.Message);
        Assert.Equal(("in.csv", line, column), (diagnostic.Span!.File, diagnostic.Span.Line, diagnostic.Span.Column));
        AssertNothingStored();
    }

    [Fact]
    public async Task ImportAsync_CsvWithInvalidUtf8_NamesRowAndColumn()
    {
        var bytes = Encoding.UTF8.GetBytes("label,n,amount,flag,day,when,code\r\nab").Concat(new byte[] { 0xC3, 0x28 })
            .Concat(Encoding.UTF8.GetBytes(",1,1.0,true,2024-01-01,2024-01-01T00:00:00Z,N1\r\n")).ToArray();

        var result = await CreateSut().ImportAsync(Definition(), new MemoryStream(bytes), RowFormat.Csv, "in.csv", CancellationToken.None);

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("GW6202", diagnostic.Code);
        Assert.Equal("row 1 of `in.csv`: column `label` is not valid UTF-8", diagnostic.Message);
        Assert.Equal(2, diagnostic.Span!.Line);
        AssertNothingStored();
    }

    [Theory]
    [InlineData("{\"label\":\"x\",\"n\":\"1\",\"amount\":1,\"flag\":true,\"day\":null,\"when\":null,\"code\":null}", "GW6205", "row 1 of `in.ndjson`: field `n` is not an integer")]
    [InlineData("{\"label\":1,\"n\":1,\"amount\":1,\"flag\":true,\"day\":null,\"when\":null,\"code\":null}", "GW6205", "row 1 of `in.ndjson`: field `label` is not text")]
    [InlineData("{\"label\":[],\"n\":1,\"amount\":1,\"flag\":true,\"day\":null,\"when\":null,\"code\":null}", "GW6205", "row 1 of `in.ndjson`: field `label` is not text")]
    [InlineData("{\"label\":\"x\",\"n\":1,\"amount\":1,\"flag\":true,\"day\":null,\"when\":null}", "GW6207", "row 1 of `in.ndjson` lacks the field `code`")]
    [InlineData("{\"label\":\"x\",\"n\":1,\"amount\":1,\"flag\":true,\"day\":null,\"when\":null,\"code\":null,\"ssn\":\"1\"}", "GW6206", "row 1 of `in.ndjson` has a field `ssn` the dataset's schema lacks")]
    [InlineData("{\"label\":\"x\",\"label\":\"y\",\"n\":1,\"amount\":1,\"flag\":true,\"day\":null,\"when\":null,\"code\":null}", "GW6208", "row 1 of `in.ndjson` names the field `label` twice")]
    [InlineData("[1,2]", "GW6209", "row 1 of `in.ndjson` is not a JSON object")]
    [InlineData("{\"label\":", "GW6209", "row 1 of `in.ndjson` is not valid JSON")]
    [InlineData("{} {}", "GW6209", "row 1 of `in.ndjson` is not valid JSON")]
    public async Task ImportAsync_BadNdjson_NamesRowAndFieldAndStoresNothing(string ndjson, string code, string message)
    {
        var (result, _) = await ImportTextAsync(ndjson, RowFormat.Ndjson, "in.ndjson");

        Assert.Null(result.Manifest);
        Assert.Contains(result.Diagnostics, d => d.Code == code && d.Message == message);
        AssertNothingStored();
    }

    [Theory]
    [InlineData("cardiology-records\n", false)]
    [InlineData("cardiology-records", true)]
    public void IsValidId_TrailingNewline_IsRefused(string id, bool valid)
    {
        Assert.Equal(valid, DatasetStore.IsValidId(new DatasetId(id)));
    }

    [Fact]
    public async Task ImportAsync_SecondSourceBad_StoresNothingFromEither()
    {
        var sut = CreateSut();
        var good = new DatasetSource("good.csv", new MemoryStream(new SyntheticPatients(1).ToCsvBytes(10)), RowFormat.Csv);
        var bad = new DatasetSource("bad.csv", new MemoryStream("patient_id\r\nx\r\n"u8.ToArray()), RowFormat.Csv);

        var result = await sut.ImportAsync(SyntheticPatients.Definition(), [good, bad], CancellationToken.None);

        Assert.False(result.IsSuccess);
        Assert.All(result.Diagnostics, d => Assert.Equal("bad.csv", d.Span!.File));
        Assert.Null(sut.GetLatest(new DatasetId("patients")));
        AssertNothingStored();
    }

    [Fact]
    public async Task ImportAsync_ManyBadRows_StopsAfterTheLimit()
    {
        var csv = "label,n,amount,flag,day,when,code\r\n" + string.Concat(Enumerable.Repeat("x,no,1,true,,,\r\n", 500));

        var (result, _) = await ImportTextAsync(csv, RowFormat.Csv);

        Assert.Equal(DatasetImport.MaxDiagnostics + 1, result.Diagnostics.Count);
        Assert.Equal("GW6211", result.Diagnostics[^1].Code);
    }

    [Fact]
    public async Task ImportAsync_Cancelled_ThrowsAndStoresNothing()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            CreateSut().ImportAsync(SyntheticPatients.Definition(), new MemoryStream(new SyntheticPatients(1).ToCsvBytes(10)), RowFormat.Csv, "a.csv", cancellation.Token));

        AssertNothingStored();
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("Patients")]
    [InlineData("")]
    [InlineData("-lead")]
    [InlineData("a b")]
    [InlineData("x'; DROP TABLE datasets;--")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public async Task ImportAsync_MalformedDatasetId_FailsWithoutTouchingTheFileSystem(string id)
    {
        var definition = SyntheticPatients.Definition() with { Id = new DatasetId(id) };
        var sut = CreateSut();

        var result = await sut.ImportAsync(definition, new MemoryStream(new SyntheticPatients(1).ToCsvBytes(1)), RowFormat.Csv, "a.csv", CancellationToken.None);

        Assert.Equal("GW6201", Assert.Single(result.Diagnostics).Code);
        Assert.Empty(_workspace.Entries());
        Assert.Null(sut.GetLatest(definition.Id));
        Assert.Empty(sut.ListVersions(definition.Id));
    }

    [Fact]
    public void RemoveAbandonedImports_LeftoverStagingDirectory_IsRemoved()
    {
        var staging = Path.Combine(_workspace.DatasetsDirectory, "patients", ".import-0123");
        Directory.CreateDirectory(staging);
        File.WriteAllText(Path.Combine(staging, "rows.ndjson"), "[]\n");

        CreateSut().RemoveAbandonedImports();

        Assert.False(Directory.Exists(staging));
    }

    [Fact]
    public void Parse_CanonicalJson_RoundTrips()
    {
        var manifest = new DatasetManifest(
            new DatasetId("patients"),
            new DatasetVersion(3),
            s_now,
            12,
            Sha256Digest.Compute("rows"u8),
            [new DatasetSchemaField(new FieldName("id"), FieldType.String), new DatasetSchemaField(new FieldName("at"), FieldType.DateTime)],
            [new DatasetSourceRecord("q\"uote\n.csv", RowFormat.Csv, Sha256Digest.Compute("src"u8), 99, 12)]);

        var json = manifest.ToCanonicalJson();
        var parsed = DatasetManifest.Parse(json);

        Assert.Equal(manifest with { Schema = [], Sources = [] }, parsed with { Schema = [], Sources = [] });
        Assert.Equal(manifest.Schema, parsed.Schema);
        Assert.Equal(manifest.Sources, parsed.Sources);
        Assert.StartsWith("{\"datasetId\":\"patients\",\"formatVersion\":1,\"importedAt\":\"2026-11-21T23:30:00Z\",\"rowCount\":12,", Encoding.UTF8.GetString(json));
        Assert.Contains("\"name\":\"q\\\"uote\\n.csv\"", Encoding.UTF8.GetString(json), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportAsync_MutatedCsv_NeverThrowsAndLeavesNothingOnFailure()
    {
        var valid = new SyntheticPatients(9).ToCsvBytes(5);

        await Task.Run(() => Prop.ForAll<int[]>(edits =>
        {
            var bytes = (byte[])valid.Clone();
            foreach (var edit in edits.Take(8))
            {
                var at = (int)((uint)edit % (uint)bytes.Length);
                bytes[at] = (byte)((uint)edit >> 8);
            }

            using var workspace = new TempWorkspace();
            var store = new DatasetStore(workspace.Root, new FakeTimeProvider(s_now));
            var result = store.ImportAsync(SyntheticPatients.Definition(), new MemoryStream(bytes), RowFormat.Csv, "m.csv", CancellationToken.None).GetAwaiter().GetResult();
            var staged = workspace.Entries().Any(e => e.Contains(".import-", StringComparison.Ordinal));
            return result.IsSuccess != result.Diagnostics.Count > 0 && !staged && (result.IsSuccess || store.GetLatest(new DatasetId("patients")) is null);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(60)));
    }

    private static DatasetDefinition Definition() => SyntheticPatients.Definition("things") with
    {
        Fields =
        [
            new FieldDefinition(new FieldName("label"), FieldType.String, FieldClassification.Plain),
            new FieldDefinition(new FieldName("n"), FieldType.Integer, FieldClassification.Plain),
            new FieldDefinition(new FieldName("amount"), FieldType.Decimal, FieldClassification.Plain),
            new FieldDefinition(new FieldName("flag"), FieldType.Boolean, FieldClassification.Plain),
            new FieldDefinition(new FieldName("day"), FieldType.Date, FieldClassification.Plain),
            new FieldDefinition(new FieldName("when"), FieldType.DateTime, FieldClassification.Plain),
            new FieldDefinition(new FieldName("code"), FieldType.Postcode, FieldClassification.Plain),
        ],
        ConsentField = null,
        ResidencyField = null,
    };

    private DatasetStore CreateSut() => new(_workspace.Root, new FakeTimeProvider(s_now));

    private async Task<(DatasetImportResult Result, string Rows)> ImportTextAsync(string text, RowFormat format, string name = "in.csv")
    {
        var result = await CreateSut().ImportAsync(Definition(), new MemoryStream(Encoding.UTF8.GetBytes(text)), format, name, CancellationToken.None);
        var rows = result.Manifest is null
            ? ""
            : await File.ReadAllTextAsync(Path.Combine(_workspace.DatasetsDirectory, "things", result.Manifest.Version.ToString(), "rows.ndjson"));
        return (result, rows);
    }

    private void AssertNothingStored() =>
        Assert.All(_workspace.Entries(), e => Assert.True(Directory.Exists(Path.Combine(_workspace.Root, e)) && !e.Contains(".import-", StringComparison.Ordinal) && e.Split('/').Length <= 2, e));
}
