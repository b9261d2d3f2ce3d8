using System.Text;
using System.Text.Json;
using Concordat.Agreements;
using Concordat.Core;
using Concordat.Data.Datasets;
using Concordat.Data.Egress;
using Concordat.Data.Tests.Datasets;
using Concordat.Privacy;
using Concordat.Testing.Datasets;
using FsCheck;
using FsCheck.Fluent;

namespace Concordat.Data.Tests.Egress;

public sealed class EgressWriterTests
{
    private static readonly byte[] s_master = Enumerable.Range(7, 32).Select(i => (byte)i).ToArray();

    private static readonly DatasetDefinition s_definition = SyntheticPatients.Definition("visits") with
    {
        Fields =
        [
            new FieldDefinition(new FieldName("id"), FieldType.String, FieldClassification.DirectIdentifier),
            new FieldDefinition(new FieldName("name"), FieldType.String, FieldClassification.DirectIdentifier),
            new FieldDefinition(new FieldName("dob"), FieldType.Date, FieldClassification.QuasiIdentifier),
            new FieldDefinition(new FieldName("postcode"), FieldType.Postcode, FieldClassification.QuasiIdentifier),
            new FieldDefinition(new FieldName("age"), FieldType.Integer, FieldClassification.QuasiIdentifier),
            new FieldDefinition(new FieldName("bmi"), FieldType.Decimal, FieldClassification.Sensitive),
            new FieldDefinition(new FieldName("smoker"), FieldType.Boolean, FieldClassification.Sensitive),
            new FieldDefinition(new FieldName("consent"), FieldType.String, FieldClassification.Plain),
            new FieldDefinition(new FieldName("residency"), FieldType.String, FieldClassification.Plain),
        ],
        ConsentField = new FieldName("consent"),
        ResidencyField = new FieldName("residency"),
    };

    private const string Row1 = "[\"NHS-1\",\"Zoë O\\\"Brien\",\"1984-07-23\",\"SW1A 1AA\",42,27.5,true,\"research;training\",\"GB\"]";
    private const string Row2 = "[\"NHS-2\",\"Ben, Jr\",\"1990-01-02\",\"N1 9GU\",7,null,false,\"evaluation\",\"DE\"]";
    private const string Row3 = "[\"NHS-3\",null,null,null,null,null,null,\"\",\"GB\"]";

    [Fact]
    public async Task WriteAsync_NoRules_SendsEveryRowUnchangedAsNdjson()
    {
        var output = await WriteAsync(Plan([]), [Row1, Row2], RowFormat.Ndjson);

        Assert.Equal(
            "{\"id\":\"NHS-1\",\"name\":\"Zoë O\\\"Brien\",\"dob\":\"1984-07-23\",\"postcode\":\"SW1A 1AA\",\"age\":42,\"bmi\":27.5,\"smoker\":true,\"consent\":\"research;training\",\"residency\":\"GB\"}\n" +
            "{\"id\":\"NHS-2\",\"name\":\"Ben, Jr\",\"dob\":\"1990-01-02\",\"postcode\":\"N1 9GU\",\"age\":7,\"bmi\":null,\"smoker\":false,\"consent\":\"evaluation\",\"residency\":\"DE\"}\n",
            output.Text);
    }

    [Fact]
    public async Task WriteAsync_EveryFieldRule_AppliesEachToItsField()
    {
        var plan = Plan(
        [
            new FieldRule(new FieldName("id"), FieldRuleKind.Pseudonymise, null),
            new FieldRule(new FieldName("name"), FieldRuleKind.Mask, "2"),
            new FieldRule(new FieldName("dob"), FieldRuleKind.Generalise, "year"),
            new FieldRule(new FieldName("postcode"), FieldRuleKind.Generalise, "prefix:3"),
            new FieldRule(new FieldName("age"), FieldRuleKind.Generalise, "range:10"),
            new FieldRule(new FieldName("bmi"), FieldRuleKind.Drop, null),
            new FieldRule(new FieldName("smoker"), FieldRuleKind.Allow, null),
            new FieldRule(new FieldName("consent"), FieldRuleKind.Drop, null),
            new FieldRule(new FieldName("residency"), FieldRuleKind.Drop, null),
        ]);
        using var pseudonymiser = new Pseudonymiser(Key("lab"));

        var output = await WriteAsync(plan, [Row1, Row3], RowFormat.Ndjson);

        Assert.Equal(
            $"{{\"id\":\"{pseudonymiser.Pseudonymise("NHS-1")}\",\"name\":\"*********en\",\"dob\":\"1984\",\"postcode\":\"SW1\",\"age\":\"40-49\",\"smoker\":true}}\n" +
            $"{{\"id\":\"{pseudonymiser.Pseudonymise("NHS-3")}\",\"name\":null,\"dob\":null,\"postcode\":null,\"age\":null,\"smoker\":null}}\n",
            output.Text);
    }

    [Fact]
    public async Task WriteBatchesAsync_EveryFieldRule_CellsAreTheNdjsonValues()
    {
        var plan = Plan(
        [
            new FieldRule(new FieldName("id"), FieldRuleKind.Pseudonymise, null),
            new FieldRule(new FieldName("name"), FieldRuleKind.Mask, "2"),
            new FieldRule(new FieldName("dob"), FieldRuleKind.Generalise, "year"),
            new FieldRule(new FieldName("postcode"), FieldRuleKind.Generalise, "prefix:3"),
            new FieldRule(new FieldName("age"), FieldRuleKind.Generalise, "range:10"),
        ],
        new RowRules(RequireConsent: true, []),
        ["research"]);
        string[] rows = [Row1, Row2, Row3, Row1, Row3, Row1];
        var expected = (await WriteAsync(plan, rows, RowFormat.Ndjson)).Lines.Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        var cells = new List<string?[]>();
        var handed = new List<int>();
        using var batch = new EgressBatch(plan.Fields.Count, 2);
        using var reader = Reader(rows);

        var receipt = await EgressWriter.WriteBatchesAsync(plan, reader, batch, (full, _) =>
        {
            handed.Add(full.Count);
            for (var row = 0; row < full.Count; row++)
            {
                cells.Add([.. Enumerable.Range(0, full.ColumnCount).Select(c => full.IsNull(c, row) ? null : Encoding.UTF8.GetString(full.GetValue(c, row)))]);
            }

            return ValueTask.FromResult(full);
        }, CancellationToken.None);

        Assert.Equal((3L, 3L, true), (receipt.RowsSent, receipt.RowsFilteredByConsent, receipt.IsComplete));
        Assert.Equal([2, 1], handed);
        Assert.Equal(
            expected.Select(e => e.EnumerateObject().Select(p => p.Value.ValueKind switch
            {
                JsonValueKind.Null => null,
                JsonValueKind.String => p.Value.GetString(),
                _ => p.Value.GetRawText(),
            }).ToArray()),
            cells);
    }

    [Fact]
    public async Task WriteAsync_CsvWithPseudonymisedFields_WritesPseudonymsUnquotedAndNullsEmpty()
    {
        var plan = Plan(
        [
            new FieldRule(new FieldName("id"), FieldRuleKind.Pseudonymise, null),
            new FieldRule(new FieldName("name"), FieldRuleKind.Pseudonymise, null),
        ]);
        using var pseudonymiser = new Pseudonymiser(Key("lab"));

        var output = await WriteAsync(plan, [Row3], RowFormat.Csv);

        Assert.Equal(
            "id,name,dob,postcode,age,bmi,smoker,consent,residency\r\n" +
            $"{pseudonymiser.Pseudonymise("NHS-3")},,,,,,,,GB\r\n",
            output.Text);
    }

    [Fact]
    public async Task WriteAsync_Csv_WritesHeaderAndQuotesPerRfc4180()
    {
        var plan = Plan([new FieldRule(new FieldName("dob"), FieldRuleKind.Generalise, "month")]);
        var row = "[\"a\\\"b\",\"x,y\",\"2001-02-03\",\"N1\",1,0.5,true,\"line\\r\\nbreak\",\"plain\"]";

        var output = await WriteAsync(plan, [row, Row3], RowFormat.Csv);

        Assert.Equal(
            "id,name,dob,postcode,age,bmi,smoker,consent,residency\r\n" +
            "\"a\"\"b\",\"x,y\",2001-02,N1,1,0.5,true,\"line\r\nbreak\",plain\r\n" +
            "NHS-3,,,,,,,,GB\r\n",
            output.Text);
    }

    [Fact]
    public async Task WriteAsync_RequireConsent_SendsOnlyRowsWhoseConsentCoversThePurpose()
    {
        var plan = Plan([], new RowRules(RequireConsent: true, []), purposes: ["training", "research"]);

        var output = await WriteAsync(plan, [Row1, Row2, Row3], RowFormat.Ndjson);

        Assert.Single(output.Lines);
        Assert.Contains("\"id\":\"NHS-1\"", output.Text, StringComparison.Ordinal);
        Assert.Equal((1L, 2L, 0L), (output.Receipt.RowsSent, output.Receipt.RowsFilteredByConsent, output.Receipt.RowsFilteredByResidency));
    }

    [Fact]
    public async Task WriteAsync_Residency_SendsOnlyRowsResidentInAcceptedJurisdictions()
    {
        var plan = Plan([], new RowRules(RequireConsent: false, [new Jurisdiction("EU")]), residencies: ["de", "FR"]);

        var output = await WriteAsync(plan, [Row1, Row2, Row3], RowFormat.Ndjson);

        Assert.Contains("\"id\":\"NHS-2\"", Assert.Single(output.Lines), StringComparison.Ordinal);
        Assert.Equal((1L, 0L, 2L), (output.Receipt.RowsSent, output.Receipt.RowsFilteredByConsent, output.Receipt.RowsFilteredByResidency));
    }

    [Fact]
    public async Task WriteAsync_Always_ReceiptHashIsSha256OfExactlyTheBytesSent()
    {
        var rows = Enumerable.Range(0, 3000).Select(i => $"[\"NHS-{i}\",\"name {i}\",\"1984-07-23\",\"N1\",{i},1.5,true,\"research\",\"GB\"]").ToArray();
        var plan = Plan([new FieldRule(new FieldName("id"), FieldRuleKind.Pseudonymise, null)]);

        var output = await WriteAsync(plan, rows, RowFormat.Csv);

        Assert.Equal(Sha256Digest.Compute(output.Bytes), output.Receipt.Sha256);
        Assert.Equal(output.Bytes.Length, output.Receipt.BytesSent);
        Assert.Equal(3000, output.Receipt.RowsSent);
        Assert.True(output.Receipt.IsComplete);
        Assert.True(output.Writes > 1);
    }

    [Fact]
    public async Task WriteAsync_CancelledMidStream_StopsAndReceiptCoversWhatWasWritten()
    {
        var rows = Enumerable.Range(0, 5000).Select(i => $"[\"NHS-{i}\",\"n\",null,null,{i},null,null,null,null]").ToArray();
        using var cancellation = new CancellationTokenSource();
        var destination = new RecordingStream(afterFirstWrite: cancellation.Cancel);

        var receipt = await EgressWriter.WriteAsync(Plan([]), Reader(rows), destination, RowFormat.Ndjson, cancellation.Token);

        Assert.False(receipt.IsComplete);
        Assert.Equal(1, destination.Writes);
        Assert.InRange(receipt.RowsSent, 1, 4999);
        Assert.Equal(destination.ToArray().Length, receipt.BytesSent);
        Assert.Equal(Sha256Digest.Compute(destination.ToArray()), receipt.Sha256);
        Assert.Equal(receipt.RowsSent, destination.ToArray().Count(b => b == (byte)'\n'));
    }

    [Fact]
    public async Task WriteAsync_SchemaDiffersFromPlan_Throws()
    {
        var schema = new[] { new DatasetSchemaField(new FieldName("id"), FieldType.String) };
        using var rows = new DatasetRowReader(new MemoryStream("[\"x\"]\n"u8.ToArray()), schema);

        await Assert.ThrowsAsync<InvalidOperationException>(() => EgressWriter.WriteAsync(Plan([]), rows, new MemoryStream(), RowFormat.Csv, CancellationToken.None));
    }

    [Fact]
    public async Task WriteAsync_TwoRecipients_PseudonymsAgreeWithinAndDifferAcross()
    {
        var rule = new FieldRule(new FieldName("id"), FieldRuleKind.Pseudonymise, null);
        var rows = new[] { Row1, Row2, Row1 };

        var lab = (await WriteAsync(Plan([rule], recipient: "lab"), rows, RowFormat.Ndjson)).Lines.Select(IdOf).ToArray();
        var insurer = (await WriteAsync(Plan([rule], recipient: "insurer"), rows, RowFormat.Ndjson)).Lines.Select(IdOf).ToArray();

        Assert.Equal(lab[0], lab[2]);
        Assert.NotEqual(lab[0], lab[1]);
        Assert.Empty(lab.Intersect(insurer));
    }

    [Fact]
    public async Task WriteAsync_AnyText_CsvOutputReadsBackToTheSameValues()
    {
        await Task.Run(() => Prop.ForAll<NonNull<string>, NonNull<string>>((a, b) =>
        {
            var first = Clean(a.Get);
            var second = Clean(b.Get);
            var row = $"[{Json(first)},{Json(second)},null,null,null,null,null,null,null]";
            var output = WriteAsync(Plan([]), [row], RowFormat.Csv).GetAwaiter().GetResult();
            using var reader = new CsvRecordReader(new MemoryStream(output.Bytes), _ => { });
            reader.ReadAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
            reader.ReadAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
            return reader.FieldCount == 9 &&
                Encoding.UTF8.GetString(reader.GetField(0)) == first &&
                Encoding.UTF8.GetString(reader.GetField(1)) == second;
        }).QuickCheckThrowOnFailure());
    }

    [Fact]
    public async Task WriteAsync_AnyText_NdjsonOutputParsesBackToTheSameValues()
    {
        await Task.Run(() => Prop.ForAll<NonNull<string>>(a =>
        {
            var text = Clean(a.Get);
            var row = $"[{Json(text)},null,null,null,null,null,null,null,null]";
            var output = WriteAsync(Plan([]), [row], RowFormat.Ndjson).GetAwaiter().GetResult();
            using var document = JsonDocument.Parse(Assert.Single(output.Lines));
            return document.RootElement.GetProperty("id").GetString() == text;
        }).QuickCheckThrowOnFailure());
    }

    [Theory]
    [InlineData(50)]
    [InlineData(20_000)]
    public async Task WriteAsync_RowsFromTheStore_StreamsTheImportedVersion(int count)
    {
        // 20,000 rows take many reads of the stored file and many writes, so rows are cut at every buffer boundary.
        using var workspace = new TempWorkspace();
        var store = new DatasetStore(workspace.Root, TimeProvider.System);
        var definition = SyntheticPatients.Definition();
        var csv = new SyntheticPatients(3).ToCsvBytes(count);
        var import = await store.ImportAsync(definition, new MemoryStream(csv), RowFormat.Csv, "p.csv", CancellationToken.None);
        Assert.True(EgressPlan.TryCompile(definition, [], null, [], null, null, out var plan, out _));
        var destination = new RecordingStream();

        await using var rows = store.OpenRows(import.Manifest!);
        var receipt = await EgressWriter.WriteAsync(plan, rows, destination, RowFormat.Csv, CancellationToken.None);

        Assert.Equal(count, receipt.RowsSent);
        Assert.Equal(csv, destination.ToArray());
        Assert.Equal(Sha256Digest.FromBytes(System.Security.Cryptography.SHA256.HashData(csv)), receipt.Sha256);
        Assert.True(destination.Writes >= csv.Length / (2 * EgressWriter.FlushThreshold), $"{destination.Writes} writes");
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("ndjson")]
    public async Task WriteAsync_ManyRows_AllocatesNothingPerRow(string formatName)
    {
        var format = formatName == "csv" ? RowFormat.Csv : RowFormat.Ndjson;
        // Rows read from memory complete synchronously, so every allocation of the stream is on this thread.
        const int Count = 20_000;
        var plan = Plan(
        [
            new FieldRule(new FieldName("id"), FieldRuleKind.Pseudonymise, null),
            new FieldRule(new FieldName("name"), FieldRuleKind.Mask, "2"),
            new FieldRule(new FieldName("dob"), FieldRuleKind.Generalise, "year"),
            new FieldRule(new FieldName("postcode"), FieldRuleKind.Pseudonymise, null),
        ]);
        var rows = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(Row1 + "\n" + Row2 + "\n", Count / 2)));
        await WriteToNullAsync();

        var before = GC.GetAllocatedBytesForCurrentThread();
        var sent = await WriteToNullAsync();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(Count, sent);
        Assert.True(allocated < Count, $"{allocated} bytes allocated for {Count} rows");

        async Task<long> WriteToNullAsync()
        {
            using var reader = new DatasetRowReader(new MemoryStream(rows), [.. s_definition.Fields.Select(f => new DatasetSchemaField(f.Name, f.Type))]);
            return (await EgressWriter.WriteAsync(plan, reader, Stream.Null, format, CancellationToken.None)).RowsSent;
        }
    }

    [Fact]
    public async Task WriteAsync_EscapedAndPlainValuesInOneRow_KeepsEachValue()
    {
        // Escaped strings are copied out and unescaped, plain ones read in place: both kinds in one row, many times.
        var row = "[\"a\\\"b\",\"plain\",\"1984-07-23\",\"x\\\\y\",1,2.5,true,\"tab\\there\",\"GB\"]";
        var output = await WriteAsync(Plan([]), Enumerable.Repeat(row, 5_000), RowFormat.Ndjson);

        Assert.Equal(5_000, output.Receipt.RowsSent);
        Assert.All(output.Lines, line =>
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            Assert.Equal("a\"b", root.GetProperty("id").GetString());
            Assert.Equal("plain", root.GetProperty("name").GetString());
            Assert.Equal("x\\y", root.GetProperty("postcode").GetString());
            Assert.Equal("tab\there", root.GetProperty("consent").GetString());
            Assert.Equal(2.5, root.GetProperty("bmi").GetDouble());
        });
    }

    private static string IdOf(string line)
    {
        using var document = JsonDocument.Parse(line);
        return document.RootElement.GetProperty("id").GetString()!;
    }

    private static string Clean(string text) => new([.. text.Where(c => !char.IsSurrogate(c))]);

    private static string Json(string text) => JsonSerializer.Serialize(text);

    private static PseudonymKey Key(string recipient) => PseudonymKey.Derive(s_master, new PartyId(recipient), new DatasetId("visits"));

    private static EgressPlan Plan(
        IReadOnlyList<FieldRule> rules,
        RowRules? rowRules = null,
        string[]? purposes = null,
        string[]? residencies = null,
        string recipient = "lab")
    {
        var compiled = EgressPlan.TryCompile(
            s_definition,
            rules,
            rowRules,
            [.. (purposes ?? []).Select(p => new PurposeId(p))],
            residencies?.Select(r => new Jurisdiction(r)).ToArray(),
            Key(recipient),
            out var plan,
            out var diagnostics);
        Assert.True(compiled, string.Join("; ", diagnostics));
        return plan!;
    }

    private static DatasetRowReader Reader(IEnumerable<string> rows) =>
        new(new MemoryStream(Encoding.UTF8.GetBytes(string.Concat(rows.Select(r => r + "\n")))), [.. s_definition.Fields.Select(f => new DatasetSchemaField(f.Name, f.Type))]);

    private static async Task<Output> WriteAsync(EgressPlan plan, IEnumerable<string> rows, RowFormat format)
    {
        var destination = new RecordingStream();
        using var reader = Reader(rows);
        var receipt = await EgressWriter.WriteAsync(plan, reader, destination, format, CancellationToken.None);
        return new Output(receipt, destination.ToArray(), destination.Writes);
    }

    private sealed record Output(EgressReceipt Receipt, byte[] Bytes, int Writes)
    {
        public string Text => Encoding.UTF8.GetString(Bytes);

        public string[] Lines => Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private sealed class RecordingStream(Action? afterFirstWrite = null) : MemoryStream
    {
        public int Writes { get; private set; }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await base.WriteAsync(buffer, cancellationToken);
            if (++Writes == 1)
            {
                afterFirstWrite?.Invoke();
            }
        }
    }
}
