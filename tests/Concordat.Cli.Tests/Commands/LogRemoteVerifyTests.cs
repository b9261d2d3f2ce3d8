using System.Net;
using System.Text.Json.Nodes;
using Concordat.Crypto;
using Concordat.Merkle;
using Concordat.Notes;
using Concordat.Testing.Log;
using Concordat.Tiles;

namespace Concordat.Cli.Tests.Commands;

/// <summary>
/// <c>log export --tiles</c> and <c>log verify --url</c>: a partner checks a log it does not run, from its tiles
/// (a folder or HTTP), with pinned keys and the checkpoint it saved last time.
/// </summary>
public sealed class LogRemoteVerifyTests : IDisposable
{
    private static readonly NoteSignerKey s_logKey = LogTestData.CreateKey("log.example.org", 41);
    private static readonly NoteSignerKey s_witnessKey = LogTestData.CreateKey("witness.example", 42);

    private readonly string _root = Directory.CreateTempSubdirectory("concordat-cli-tiles-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static string LogKey => s_logKey.VerifierKey.ToString();

    private string State => Path.Combine(_root, "state.json");

    [Fact]
    public async Task ExportTiles_ThenVerifyTheFolder_VerifiesEveryEntry()
    {
        var workspace = Path.Combine(_root, "ws");
        var tiles = Path.Combine(_root, "tiles");
        Assert.Equal(0, (await CliRunner.RunAsync("log", "init", "--workspace", workspace, "--origin", "log.example.org")).ExitCode);
        for (var i = 0; i < 3; i++)
        {
            var body = Path.Combine(_root, $"body{i}.json");
            await File.WriteAllTextAsync(body, $"{{\"n\":{i}}}");
            Assert.Equal(0, (await CliRunner.RunAsync("log", "append", "--workspace", workspace, "--type", "test/v1", body)).ExitCode);
        }

        Assert.Equal(0, (await CliRunner.RunAsync("log", "checkpoint", "--workspace", workspace)).ExitCode);

        var export = await CliRunner.RunAsync("log", "export", "--tiles", "--workspace", workspace, "--out", tiles, "--json");
        var again = await CliRunner.RunAsync("log", "export", "--tiles", "--workspace", workspace, "--out", tiles, "--json");
        var verify = await CliRunner.RunAsync("log", "verify", "--url", tiles, "--log-key", Path.Combine(workspace, "log.pub"), "--full", "--json");

        Assert.Equal(0, export.ExitCode);
        Assert.True(File.Exists(Path.Combine(tiles, "tile", "entries", "000.p", "3")));
        Assert.True(File.Exists(Path.Combine(tiles, "tile", "0", "000.p", "3")));
        Assert.Equal(0, again.ExitCode);
        Assert.Equal(0, verify.ExitCode);
        Assert.Equal(3, JsonNode.Parse(verify.Out)!["entriesChecked"]!.GetValue<long>());
    }

    [Fact]
    public async Task Verify_GrowingLogWithState_IsConsistentAndSavesTheNewCheckpoint()
    {
        var folder = await WriteLogAsync("a", Entries(300));
        Assert.Equal(0, (await VerifyAsync(folder, "--state", State)).ExitCode);
        folder = await WriteLogAsync("b", Entries(700));

        var verify = await VerifyAsync(folder, "--state", State, "--json");

        Assert.Equal(0, verify.ExitCode);
        Assert.Equal(300, JsonNode.Parse(verify.Out)!["consistentWithSize"]!.GetValue<long>());
        Assert.Equal(700, JsonNode.Parse(await File.ReadAllTextAsync(State))!["treeSize"]!.GetValue<long>());
    }

    [Fact]
    public async Task Verify_ChangedEntry_IsFoundWithFull()
    {
        var folder = await WriteLogAsync("a", Entries(300));
        var bundle = Path.Combine(folder, "tile", "entries", "000");
        var bytes = await File.ReadAllBytesAsync(bundle);
        bytes[^3] ^= 0x01;
        await File.WriteAllBytesAsync(bundle, bytes);

        var quick = await VerifyAsync(folder);
        var full = await VerifyAsync(folder, "--full");

        Assert.Equal(0, quick.ExitCode);
        Assert.Equal(4, full.ExitCode);
        Assert.Contains("LOG4204", full.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_EntryRemovedFromTheTree_IsAForkOfTheSavedCheckpoint()
    {
        Assert.Equal(0, (await VerifyAsync(await WriteLogAsync("a", Entries(10)), "--state", State)).ExitCode);
        var withoutEntry3 = Entries(12).Where((_, i) => i != 3).ToList();

        var verify = await VerifyAsync(await WriteLogAsync("b", withoutEntry3), "--state", State);

        Assert.Equal(4, verify.ExitCode);
        Assert.Contains("LOG4206", verify.Error, StringComparison.Ordinal);
        Assert.Equal(10, JsonNode.Parse(await File.ReadAllTextAsync(State))!["treeSize"]!.GetValue<long>());
    }

    [Fact]
    public async Task Verify_EntriesRemovedFromTheEnd_IsARollback()
    {
        Assert.Equal(0, (await VerifyAsync(await WriteLogAsync("a", Entries(10)), "--state", State)).ExitCode);

        var verify = await VerifyAsync(await WriteLogAsync("b", Entries(9)), "--state", State);

        Assert.Equal(4, verify.ExitCode);
        Assert.Contains("LOG4207", verify.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_SplitView_TwoSignedCheckpointsOfOneSizeDiffer()
    {
        var first = await WriteLogAsync("a", Entries(10));
        var second = await WriteLogAsync("b", [.. Entries(9), LogTestData.Entry(1000)]);
        Assert.Equal(0, (await VerifyAsync(first, "--state", State)).ExitCode);

        var alone = await VerifyAsync(second);
        var afterFirst = await VerifyAsync(second, "--state", State);

        Assert.Equal(0, alone.ExitCode);
        Assert.Equal(4, afterFirst.ExitCode);
        Assert.Contains("LOG4206", afterFirst.Error, StringComparison.Ordinal);
        Assert.Contains("split view", afterFirst.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_WrongLogKeyOrMissingCosignature_IsNotVerified()
    {
        var folder = await WriteLogAsync("a", Entries(5), cosign: true);
        var witness = CosignatureV1.FormatVerifierKey(s_witnessKey.Name, s_witnessKey.PrivateKey.PublicKey);
        var other = LogTestData.CreateKey("log.example.org", 43).VerifierKey.ToString();

        var cosigned = await VerifyAsync(folder, "--witness-key", witness);
        var wrongKey = await CliRunner.RunAsync("log", "verify", "--url", folder, "--log-key", other);
        var uncosigned = await VerifyAsync(await WriteLogAsync("b", Entries(5)), "--witness-key", witness);

        Assert.Equal(0, cosigned.ExitCode);
        Assert.Contains("1 witness cosignatures", cosigned.Out, StringComparison.Ordinal);
        Assert.Equal(4, wrongKey.ExitCode);
        Assert.Contains("LOG4208", wrongKey.Error, StringComparison.Ordinal);
        Assert.Equal(4, uncosigned.ExitCode);
        Assert.Contains("LOG4208", uncosigned.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_OverHttp_ReadsTheTilesAndReportsAnUnreachableLog()
    {
        var folder = await WriteLogAsync("a", Entries(600));
        using var server = new FolderServer(folder);

        var verify = await VerifyAsync(server.Prefix, "--full");
        server.Dispose();
        var down = await VerifyAsync(server.Prefix);

        Assert.Equal(0, verify.ExitCode);
        Assert.Equal(1, down.ExitCode);
        Assert.Contains("LOG4200", down.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_TokenOwnEntriesProvedIncluded_SavesThemInTheState()
    {
        var entries = EntriesWithOwn(300, own: [7, 150, 299]);
        var folder = await WriteLogAsync("a", entries);
        using var server = new FolderServer(folder) { Mine = Mine(folder, entries, [7, 150, 299]) };

        var verify = await VerifyAsync(server.Prefix, "--token", "cda_partner-token", "--state", State);

        Assert.Equal(0, verify.ExitCode);
        Assert.Contains("3 own entries proved included (3 new)", verify.Out, StringComparison.Ordinal);
        Assert.Equal("Bearer cda_partner-token", Assert.Single(server.MineAuthorizations));
        Assert.Equal(3, JsonNode.Parse(await File.ReadAllTextAsync(State))!["ownEntries"]!.AsObject().Count);
        Assert.DoesNotContain("cda_partner-token", verify.Out + verify.Error + await File.ReadAllTextAsync(State), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_OwnEntryListedBeforeThenHidden_IsNotIncluded()
    {
        var entries = EntriesWithOwn(300, own: [7, 150]);
        var folder = await WriteLogAsync("a", entries);
        using var server = new FolderServer(folder) { Mine = Mine(folder, entries, [7, 150]) };
        var first = await VerifyAsync(server.Prefix, "--token", "t", "--state", State);

        server.Mine = Mine(folder, entries, [7]);
        var hidden = await VerifyAsync(server.Prefix, "--token", "t", "--state", State);

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(4, hidden.ExitCode);
        Assert.Contains("LOG4205", hidden.Error, StringComparison.Ordinal);
        Assert.Contains("own entry 150", hidden.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_OwnEntryChangedOrNotInTheTree_IsNotIncluded()
    {
        var entries = EntriesWithOwn(40, own: [3]);
        var folder = await WriteLogAsync("a", entries);
        var changed = JsonNode.Parse(Mine(folder, entries, [3]))!;
        var altered = System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(entries[3]).Replace("northwind", "northwine", StringComparison.Ordinal));
        changed["entries"]![0]!["bytes"] = Convert.ToBase64String(altered);
        changed["entries"]![0]!["leafHash"] = MerkleHash.OfLeaf(altered).ToBase64();
        using var server = new FolderServer(folder) { Mine = changed.ToJsonString() };

        var verify = await VerifyAsync(server.Prefix, "--token", "t");

        Assert.Equal(4, verify.ExitCode);
        Assert.Contains("LOG4205", verify.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_MineProvesAgainstAnotherTreeOfTheSameSize_IsASplitView()
    {
        var entries = EntriesWithOwn(40, own: [3]);
        var folder = await WriteLogAsync("a", entries);
        var other = EntriesWithOwn(40, own: [3, 5]);
        var otherFolder = await WriteLogAsync("b", other);
        using var server = new FolderServer(folder) { Mine = Mine(otherFolder, other, [3, 5]) };

        var verify = await VerifyAsync(server.Prefix, "--token", "t");

        Assert.Equal(4, verify.ExitCode);
        Assert.Contains("LOG4206", verify.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_TokenWithAFolder_IsRefused()
    {
        var folder = await WriteLogAsync("a", Entries(3));

        var verify = await VerifyAsync(folder, "--token", "t");

        Assert.Equal(3, verify.ExitCode);
        Assert.Contains("--token needs --url", verify.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Monitor_Once_PrintsOnlyTheNewOwnEntries()
    {
        var entries = EntriesWithOwn(50, own: [4, 20]);
        var folder = await WriteLogAsync("a", entries);
        using var server = new FolderServer(folder) { Mine = Mine(folder, entries, [4]) };
        var first = await CliRunner.RunAsync(["log", "monitor", "--url", server.Prefix, "--log-key", LogKey, "--state", State, "--token", "t", "--once"]);

        server.Mine = Mine(folder, entries, [4, 20]);
        var second = await CliRunner.RunAsync(["log", "monitor", "--url", server.Prefix, "--log-key", LogKey, "--state", State, "--token", "t", "--once"]);

        Assert.Equal(0, first.ExitCode);
        Assert.Contains("new own entry 4: gateway.egress/v1", first.Out, StringComparison.Ordinal);
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("new own entry 20: gateway.egress/v1", second.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("new own entry 4:", second.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_MalformedState_IsRefusedAndKept()
    {
        await File.WriteAllTextAsync(State, "{\"format\":\"other\"}");

        var verify = await VerifyAsync(await WriteLogAsync("a", Entries(3)), "--state", State);

        Assert.Equal(3, verify.ExitCode);
        Assert.Contains("LOG4209", verify.Error, StringComparison.Ordinal);
        Assert.Equal("{\"format\":\"other\"}", await File.ReadAllTextAsync(State));
    }

    [Fact]
    public async Task KeyCosigner_PublicKey_PrintsTheCosignatureV1VerifierKey()
    {
        var pub = Path.Combine(_root, "witness.pub");
        await File.WriteAllTextAsync(pub, s_witnessKey.VerifierKey + "\n");

        var printed = await CliRunner.RunAsync("key", "cosigner", "--key", pub);

        Assert.Equal(0, printed.ExitCode);
        Assert.Equal(CosignatureV1.FormatVerifierKey(s_witnessKey.Name, s_witnessKey.PrivateKey.PublicKey), printed.Out.Trim());
        Assert.NotEqual(s_witnessKey.VerifierKey.ToString(), printed.Out.Trim());
    }

    // Entries of which those at `own` concern the partner's recipient, as the gateway's egress entries do.
    private static List<byte[]> EntriesWithOwn(int count, long[] own) => [.. Enumerable.Range(0, count).Select(i => own.Contains(i)
        ? System.Text.Encoding.UTF8.GetBytes($$"""{"body":{"n":{{i}},"recipient":"northwind"},"time":"2026-01-01T00:00:00Z","type":"gateway.egress/v1"}""")
        : LogTestData.Entry(i))];

    // What the gateway's /v1/log/mine answers for `own`: each entry with its leaf hash and inclusion proof in the folder's checkpoint.
    private static string Mine(string folder, List<byte[]> entries, long[] own)
    {
        var tree = new MemoryMerkleHashSource();
        foreach (var entry in entries)
        {
            tree.Append(MerkleHash.OfLeaf(entry));
        }

        var listed = new JsonArray();
        foreach (var index in own)
        {
            var proof = MerkleProofs.CreateInclusionProofAsync(tree, index, entries.Count).AsTask().GetAwaiter().GetResult();
            listed.Add(new JsonObject
            {
                ["index"] = index,
                ["bytes"] = Convert.ToBase64String(entries[(int)index]),
                ["leafHash"] = MerkleHash.OfLeaf(entries[(int)index]).ToBase64(),
                ["inclusionProof"] = new JsonArray([.. proof.Select(h => (JsonNode)h.ToBase64())]),
            });
        }

        return new JsonObject
        {
            ["checkpoint"] = File.ReadAllText(Path.Combine(folder, "checkpoint")),
            ["treeSize"] = entries.Count,
            ["entries"] = listed,
            ["nextCursor"] = entries.Count,
        }.ToJsonString();
    }

    private static List<byte[]> Entries(int count) => [.. Enumerable.Range(0, count).Select(i => LogTestData.Entry(i))];

    private static Task<CliResult> VerifyAsync(string location, params string[] more) =>
        CliRunner.RunAsync(["log", "verify", "--url", location, "--log-key", LogKey, .. more]);

    // A log the test controls entry by entry, signed with the log key as the operator would: tiles, then checkpoint.
    private async Task<string> WriteLogAsync(string name, List<byte[]> entries, bool cosign = false)
    {
        var folder = Path.Combine(_root, name);
        await using var storage = new MemoryLogStorage();
        var tree = new CompactMerkleTree();
        var nodes = new List<MerkleNode>();
        foreach (var entry in entries)
        {
            tree.Append(MerkleHash.OfLeaf(entry), nodes);
        }

        Assert.True(await storage.TryAppendAsync(new Concordat.Log.LogBatch(0, [.. entries.Select(e => (ReadOnlyMemory<byte>)e)], nodes), default));
        foreach (var tile in TileLayout.EnumerateTiles(entries.Count))
        {
            var file = Path.Combine(folder, tile.ToPath());
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await File.WriteAllBytesAsync(file, (await LogTiles.ReadAsync(storage, tile, entries.Count, default))!);
        }

        Directory.CreateDirectory(folder);
        NoteSigner[] signers = cosign
            ? [NoteSigner.ForEd25519(s_logKey), CosignatureV1.CreateSigner(s_witnessKey, new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero))]
            : [NoteSigner.ForEd25519(s_logKey)];
        var note = new Checkpoint(s_logKey.Name, entries.Count, tree.ComputeRoot()).Sign(signers);
        await File.WriteAllBytesAsync(Path.Combine(folder, "checkpoint"), note.ToBytes());
        return folder;
    }

    /// <summary>Serves a folder over HTTP on loopback, as any static web server would.</summary>
    private sealed class FolderServer : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly string _folder;

        public FolderServer(string folder)
        {
            _folder = folder;
            var port = FreePort();
            Prefix = $"http://127.0.0.1:{port}/tlog/";
            _listener.Prefixes.Add(Prefix);
            _listener.Prefixes.Add($"http://127.0.0.1:{port}/v1/");
            _listener.Start();
            _ = Task.Run(ServeAsync);
        }

        public string Prefix { get; }

        /// <summary>Gets or sets what <c>/v1/log/mine</c> answers (any cursor), or null for 404.</summary>
        public string? Mine { get; set; }

        /// <summary>Gets the bearer credentials <c>/v1/log/mine</c> was called with.</summary>
        public List<string?> MineAuthorizations { get; } = [];

        public void Dispose() => _listener.Close();

        private static int FreePort()
        {
            using var socket = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
            socket.Start();
            return ((IPEndPoint)socket.LocalEndpoint).Port;
        }

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }

                if (context.Request.Url!.AbsolutePath == "/v1/log/mine")
                {
                    MineAuthorizations.Add(context.Request.Headers["Authorization"]);
                    context.Response.StatusCode = Mine is null ? 404 : 200;
                    if (Mine is not null)
                    {
                        await context.Response.OutputStream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(Mine));
                    }

                    context.Response.Close();
                    continue;
                }

                var file = Path.Combine(_folder, context.Request.Url!.AbsolutePath["/tlog/".Length..]);
                context.Response.StatusCode = File.Exists(file) ? 200 : 404;
                if (File.Exists(file))
                {
                    await context.Response.OutputStream.WriteAsync(await File.ReadAllBytesAsync(file));
                }

                context.Response.Close();
            }
        }
    }
}
