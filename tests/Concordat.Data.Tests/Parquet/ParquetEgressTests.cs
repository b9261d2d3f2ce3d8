using System.Text;
using System.Text.Json;
using Concordat.Agreements;
using Concordat.Data.Datasets;
using Concordat.Data.Egress;
using Concordat.Data.Parquet;
using Concordat.Data.Tests.Datasets;
using Concordat.Privacy;
using Concordat.Testing.Datasets;
using Concordat.Testing.Peers;
using Parquet;

namespace Concordat.Data.Tests.Parquet;

public sealed class ParquetEgressTests
{
    private static readonly byte[] s_master = Enumerable.Range(11, 32).Select(i => (byte)i).ToArray();

    private static readonly DatasetDefinition s_definition = SyntheticPatients.Definition("visits") with
    {
        Fields =
        [
            new FieldDefinition(new FieldName("id"), FieldType.String, FieldClassification.DirectIdentifier),
            new FieldDefinition(new FieldName("name"), FieldType.String, FieldClassification.DirectIdentifier),
            new FieldDefinition(new FieldName("dob"), FieldType.Date, FieldClassification.QuasiIdentifier),
            new FieldDefinition(new FieldName("seen"), FieldType.DateTime, FieldClassification.Plain),
            new FieldDefinition(new FieldName("postcode"), FieldType.Postcode, FieldClassification.QuasiIdentifier),
            new FieldDefinition(new FieldName("age"), FieldType.Integer, FieldClassification.QuasiIdentifier),
            new FieldDefinition(new FieldName("bmi"), FieldType.Decimal, FieldClassification.Sensitive),
            new FieldDefinition(new FieldName("smoker"), FieldType.Boolean, FieldClassification.Sensitive),
            new FieldDefinition(new FieldName("consent"), FieldType.String, FieldClassification.Plain),
        ],
        ConsentField = new FieldName("consent"),
    };

    private static readonly string[] s_rows =
    [
        "[\"NHS-1\",\"Zoë O\\\"Brien\",\"1984-07-23\",\"2024-03-01T10:15:30.25+01:00\",\"SW1A 1AA\",42,27.5,true,\"research;training\"]",
        "[\"NHS-2\",\"Ben, Jr\",\"1990-01-02\",\"2024-03-02T00:00:00Z\",\"N1 9GU\",-7,0.125,false,\"research\"]",
        "[\"NHS-3\",null,null,null,null,null,null,null,\"research\"]",
        "[\"NHS-4\",\"Left Out\",\"2000-02-29\",\"2024-03-03T00:00:00Z\",\"E1 6AN\",3,1,true,\"evaluation\"]",
    ];

    private static readonly FieldRule[] s_rules =
    [
        new(new FieldName("id"), FieldRuleKind.Pseudonymise, null),
        new(new FieldName("name"), FieldRuleKind.Mask, "2"),
        new(new FieldName("postcode"), FieldRuleKind.Generalise, "prefix:2"),
    ];

    [Fact]
    public async Task WriteAsync_EveryType_ParquetReadsTheRowsEndpointValuesCellForCell()
    {
        using var plan = Plan(s_rules, "lab", "research");
        var expected = await NdjsonAsync(plan);

        var read = ReadWithHyparquet(await ParquetAsync(plan));

        Assert.Equal(3, expected.Count);
        read.AssertMatches(expected);
    }

    [Fact]
    public async Task WriteAsync_Types_FollowTheSchemaAndTransformedColumnsAreText()
    {
        using var plan = Plan(s_rules, "lab", "research");

        var read = ReadWithHyparquet(await ParquetAsync(plan));

        Assert.Equal(
            ["id:BYTE_ARRAY:STRING", "name:BYTE_ARRAY:STRING", "dob:INT32:DATE", "seen:INT64:TIMESTAMP", "postcode:BYTE_ARRAY:STRING", "age:INT64:INTEGER", "bmi:BYTE_ARRAY:STRING", "smoker:BOOLEAN:", "consent:BYTE_ARRAY:STRING"],
            read.Columns.Select(c => $"{c.Name}:{c.Type}:{c.LogicalType}"));
    }

    [Fact]
    public void DeltaSchemaString_AgreesWithTheFileTypes()
    {
        using var plan = Plan(s_rules, "lab", "research");

        using var schema = JsonDocument.Parse(ParquetEgress.DeltaSchemaString(plan));

        Assert.Equal("struct", schema.RootElement.GetProperty("type").GetString());
        Assert.Equal(
            ["id:string", "name:string", "dob:date", "seen:timestamp", "postcode:string", "age:long", "bmi:string", "smoker:boolean", "consent:string"],
            schema.RootElement.GetProperty("fields").EnumerateArray().Select(f => $"{f.GetProperty("name").GetString()}:{f.GetProperty("type").GetString()}"));
    }

    [Fact]
    public async Task WriteAsync_SamePlanTwice_WritesTheSameBytes()
    {
        using var first = Plan(s_rules, "lab", "research");
        using var second = Plan(s_rules, "lab", "research");

        Assert.Equal(await ParquetAsync(first), await ParquetAsync(second));
    }

    [Fact]
    public async Task WriteAsync_TwoRecipients_GetDifferentPseudonymsAndDigests()
    {
        using var lab = Plan(s_rules, "lab", "research");
        using var insurer = Plan(s_rules, "insurer", "research");

        var labIds = ReadWithHyparquet(await ParquetAsync(lab)).Rows.Select(r => r[0]).ToArray();
        var insurerIds = ReadWithHyparquet(await ParquetAsync(insurer)).Rows.Select(r => r[0]).ToArray();

        Assert.Empty(labIds.Intersect(insurerIds));
        Assert.NotEqual(lab.ComputeDigest(Manifest(1)), insurer.ComputeDigest(Manifest(1)));
    }

    [Fact]
    public void ComputeDigest_PurposeVersionOrRuleChanges_ChangesTheDigest()
    {
        using var plan = Plan(s_rules, "lab", "research");
        using var otherPurpose = Plan(s_rules, "lab", "evaluation");
        using var otherRules = Plan(s_rules[..2], "lab", "research");

        var digests = new[]
        {
            plan.ComputeDigest(Manifest(1)),
            plan.ComputeDigest(Manifest(2)),
            otherPurpose.ComputeDigest(Manifest(1)),
            otherRules.ComputeDigest(Manifest(1)),
        };

        Assert.Equal(digests.Length, digests.Distinct().Count());
        Assert.Equal(digests[0], plan.ComputeDigest(Manifest(1)));
    }

    [Fact]
    public async Task WriteAsync_MoreRowsThanARowGroup_WritesSeveralRowGroups()
    {
        using var plan = Plan([], "lab", "research");
        var rows = Enumerable.Repeat(s_rows[1], RowGroupWriter.RowGroupRows + 10).ToArray();

        var bytes = await ParquetAsync(plan, rows);

        await using var reader = await ParquetReader.CreateAsync(new MemoryStream(bytes));
        Assert.Equal(2, reader.RowGroupCount);
        Assert.Equal(RowGroupWriter.RowGroupRows + 10, reader.Metadata!.NumRows);
    }

    [Fact]
    public async Task GetOrWriteAsync_SecondCall_ServesTheCachedFile()
    {
        using var directory = new TempWorkspace();
        var store = new DatasetStore(Path.Combine(directory.Root, "datasets"), TimeProvider.System);
        var import = await store.ImportAsync(s_definition, new MemoryStream(Encoding.UTF8.GetBytes(NdjsonSource())), RowFormat.Ndjson, "visits.ndjson", CancellationToken.None);
        Assert.True(import.IsSuccess, string.Join("; ", import.Diagnostics));
        var manifest = import.Manifest!;
        var cache = new ParquetEgressCache(Path.Combine(directory.Root, "parquet"));
        using var plan = Plan(s_rules, "lab", "research");

        var first = await cache.GetOrWriteAsync(plan, manifest, store, CancellationToken.None);
        var written = File.GetLastWriteTimeUtc(first.Path);
        var second = await cache.GetOrWriteAsync(plan, manifest, store, CancellationToken.None);

        Assert.Equal(first, second);
        Assert.Equal(written, File.GetLastWriteTimeUtc(second.Path));
        Assert.Equal((3L, new FileInfo(first.Path).Length), (first.Rows, first.Size));
        Assert.Equal(first.Sha256, Concordat.Core.Sha256Digest.Compute(File.ReadAllBytes(first.Path)));
        Assert.True(cache.TryGet(manifest.DatasetId, plan.ComputeDigest(manifest), out var found));
        Assert.Equal(first, found);
    }

    [Fact]
    public async Task GetOrWriteAsync_DatasetClearedDuringTheWrite_WrittenAgainAndOtherDatasetsKept()
    {
        using var directory = new TempWorkspace();
        var cache = new ParquetEgressCache(Path.Combine(directory.Root, "parquet"));
        var (erased, other) = (new DatasetId("visits"), new DatasetId("claims"));
        var digest = Concordat.Core.Sha256Digest.Compute("plan"u8);
        await cache.GetOrWriteAsync(other, digest, (stream, token) => WriteAsync(stream, "other rows", token), CancellationToken.None);
        var writes = 0;

        var file = await cache.GetOrWriteAsync(erased, digest, async (stream, token) =>
        {
            // An erasure clears the dataset's files while the first write still reads rows it removes.
            if (++writes == 1)
            {
                cache.Clear(erased);
            }

            return await WriteAsync(stream, writes == 1 ? "rows before the erasure" : "rows after the erasure", token);
        }, CancellationToken.None);

        Assert.Equal(2, writes);
        Assert.Equal("rows after the erasure", await File.ReadAllTextAsync(file.Path));
        Assert.True(cache.TryGet(erased, digest, out var found));
        Assert.Equal(file, found);
        Assert.True(cache.TryGet(other, digest, out var kept));
        Assert.Equal("other rows", await File.ReadAllTextAsync(kept.Path));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(directory.Root, "parquet"), "*.tmp*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Clear_OneDataset_ItsFilesGoOthersStay()
    {
        using var directory = new TempWorkspace();
        var cache = new ParquetEgressCache(Path.Combine(directory.Root, "parquet"));
        var digest = Concordat.Core.Sha256Digest.Compute("plan"u8);
        await cache.GetOrWriteAsync(new DatasetId("visits"), digest, (stream, token) => WriteAsync(stream, "a", token), CancellationToken.None);
        await cache.GetOrWriteAsync(new DatasetId("claims"), digest, (stream, token) => WriteAsync(stream, "b", token), CancellationToken.None);

        cache.Clear(new DatasetId("visits"));

        Assert.False(cache.TryGet(new DatasetId("visits"), digest, out _));
        Assert.True(cache.TryGet(new DatasetId("claims"), digest, out _));
    }

    private static async Task<EgressReceipt> WriteAsync(Stream stream, string text, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        await stream.WriteAsync(bytes, cancellationToken);
        return new EgressReceipt(1, bytes.Length, Concordat.Core.Sha256Digest.Compute(bytes), 0, 0, true);
    }

    private static string NdjsonSource()
    {
        var names = s_definition.Fields.Select(f => f.Name.Value).ToArray();
        var lines = s_rows.Select(row =>
        {
            var values = JsonDocument.Parse(row).RootElement.EnumerateArray().ToArray();
            return "{" + string.Join(",", names.Select((n, i) => $"\"{n}\":{values[i].GetRawText()}")) + "}\n";
        });
        return string.Concat(lines);
    }

    private static DatasetManifest Manifest(int version) => new(
        new DatasetId("visits"),
        new DatasetVersion(version),
        DateTimeOffset.UnixEpoch,
        4,
        Concordat.Core.Sha256Digest.Compute([]),
        [.. s_definition.Fields.Select(f => new DatasetSchemaField(f.Name, f.Type))],
        []);

    private static EgressPlan Plan(IReadOnlyList<FieldRule> rules, string recipient, string purpose)
    {
        var compiled = EgressPlan.TryCompile(
            s_definition,
            rules,
            new RowRules(RequireConsent: true, []),
            [new PurposeId(purpose)],
            null,
            PseudonymKey.Derive(s_master, new PartyId(recipient), new DatasetId("visits")),
            out var plan,
            out var diagnostics);
        Assert.True(compiled, string.Join("; ", diagnostics));
        return plan!;
    }

    private static DatasetRowReader Reader(IEnumerable<string> rows) =>
        new(new MemoryStream(Encoding.UTF8.GetBytes(string.Concat(rows.Select(r => r + "\n")))), [.. s_definition.Fields.Select(f => new DatasetSchemaField(f.Name, f.Type))]);

    private static async Task<List<JsonElement>> NdjsonAsync(EgressPlan plan)
    {
        var output = new MemoryStream();
        using var rows = Reader(s_rows);
        await EgressWriter.WriteAsync(plan, rows, output, RowFormat.Ndjson, CancellationToken.None);
        return [.. Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)];
    }

    private static async Task<byte[]> ParquetAsync(EgressPlan plan, IEnumerable<string>? rows = null)
    {
        var output = new MemoryStream();
        using var reader = Reader(rows ?? s_rows);
        var receipt = await ParquetEgress.WriteAsync(plan, reader, output, CancellationToken.None);
        Assert.True(receipt.IsComplete);
        Assert.Equal(output.Length, receipt.BytesSent);
        return output.ToArray();
    }

    private static ParquetRead ReadWithHyparquet(byte[] file)
    {
        using var directory = new TempWorkspace();
        var path = Path.Combine(directory.Root, "file.parquet");
        File.WriteAllBytes(path, file);
        return ParquetRead.HyparquetFile(path);
    }
}
