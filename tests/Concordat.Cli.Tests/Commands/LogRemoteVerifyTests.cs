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
            _listener.Start();
            _ = Task.Run(ServeAsync);
        }

        public string Prefix { get; }

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
