using System.Net;
using System.Text;
using Concordat.Cli.Commands;
using Concordat.Crypto;
using Concordat.Notes;
using Concordat.Testing.Log;
using Concordat.Testing.Witness;
using Concordat.Witness;

namespace Concordat.Cli.Tests.Commands;

/// <summary><c>witness serve</c> over loopback HTTP, its state in SQLite: the tlog-witness statuses, and restarts.</summary>
public sealed class WitnessCommandTests : IDisposable
{
    private static readonly NoteSignerKey s_logKey = LogTestData.CreateKey("log.example/witnessed", 21);
    private static readonly NoteSignerKey s_witnessKey = LogTestData.CreateKey("witness.example/partner", 22);
    private readonly string _folder = Directory.CreateTempSubdirectory("concordat-witness-").FullName;

    public WitnessCommandTests()
    {
        File.WriteAllText(KeyPath, NoteKey.FormatSignerKey(s_witnessKey.Name, s_witnessKey.PrivateKey) + "\n");
        File.WriteAllText(LogPath, s_logKey.VerifierKey + "\n");
    }

    private string KeyPath => Path.Combine(_folder, "witness.key");

    private string LogPath => Path.Combine(_folder, "log.pub");

    private string StatePath => Path.Combine(_folder, "state");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Serve_AddCheckpoint_AnswersCosignatureLinesThatVerifyWithTheCosignerKey()
    {
        var log = new WitnessTestLog(s_logKey).Append(7);
        await using var witness = await WitnessProcess.StartAsync(this);

        using var response = await witness.PostAsync(log.Request(0));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var lines = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("\u2014 witness.example/partner ", lines, StringComparison.Ordinal);
        Assert.EndsWith("\n", lines, StringComparison.Ordinal);
        Assert.True(CosignatureV1.TryParseVerifierKey(CosignatureV1.FormatVerifierKey(s_witnessKey.Name, s_witnessKey.PrivateKey.PublicKey), out var verifier, out _));
        var opened = SignedNote.Open(Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(log.SignCheckpoint()) + lines), [verifier]);
        Assert.True(opened.IsVerified, opened.Reason);
        Assert.Contains($"cosigner key: {CosignatureV1.FormatVerifierKey(s_witnessKey.Name, s_witnessKey.PrivateKey.PublicKey)}", witness.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_StaleOldSize_Answers409WithTheLatestSizeAsTlogSize()
    {
        var log = new WitnessTestLog(s_logKey).Append(7);
        await using var witness = await WitnessProcess.StartAsync(this);
        (await witness.PostAsync(log.Request(0))).Dispose();
        log.Append(2);

        using var response = await witness.PostAsync(log.Request(3));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("text/x.tlog.size", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("7\n", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("bad-signature", HttpStatusCode.Forbidden, "GW6712")]
    [InlineData("unknown-log", HttpStatusCode.NotFound, "GW6711")]
    [InlineData("malformed", HttpStatusCode.BadRequest, "GW6710")]
    [InlineData("bad-proof", HttpStatusCode.UnprocessableEntity, "GW6713")]
    [InlineData("fork", HttpStatusCode.Conflict, "GW6714")]
    public async Task Serve_Refusal_AnswersTheSpecStatusAsAProblem(string kind, HttpStatusCode status, string code)
    {
        var log = new WitnessTestLog(s_logKey, "main", sharedPrefix: 2).Append(4);
        await using var witness = await WitnessProcess.StartAsync(this);
        (await witness.PostAsync(log.Request(0))).Dispose();
        var body = kind switch
        {
            "bad-signature" => new WitnessTestLog(LogTestData.CreateKey(s_logKey.Name, 23)).Append(4).Request(0),
            "unknown-log" => new WitnessTestLog(LogTestData.CreateKey("log.example/other", 24)).Append(4).Request(0),
            "malformed" => Encoding.UTF8.GetBytes("old 4\n"),
            "bad-proof" => new WitnessTestLog(s_logKey, "fork", sharedPrefix: 2).Append(9).Request(4),
            _ => new WitnessTestLog(s_logKey, "fork", sharedPrefix: 2).Append(4).Request(4),
        };

        using var response = await witness.PostAsync(body);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"\"code\":\"{code}\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_CrashAfterTheStateWrite_RestartNeverCosignsARollbackOrFork()
    {
        var log = new WitnessTestLog(s_logKey, "main", sharedPrefix: 5).Append(5);
        var fork = new WitnessTestLog(s_logKey, "fork", sharedPrefix: 5).Append(9);
        await using (var witness = await WitnessProcess.StartAsync(this))
        {
            (await witness.PostAsync(log.Request(0))).Dispose();
        }

        log.Append(4);
        await using (var crashing = await WitnessProcess.StartAsync(this, state => new FaultAfterReplace(state)))
        {
            using var lost = await crashing.PostAsync(log.Request(5));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, lost.StatusCode);
        }

        await using var restarted = await WitnessProcess.StartAsync(this);
        using var rollback = await restarted.PostAsync(new AddCheckpointRequest(0, [], new WitnessTestLog(s_logKey).Append(5).SignCheckpoint()).ToBytes());
        using var forked = await restarted.PostAsync(fork.Request(9));
        using var forkFromOld = await restarted.PostAsync(fork.Request(5));
        using var recovered = await restarted.PostAsync(log.Request(9));

        Assert.Equal(HttpStatusCode.Conflict, rollback.StatusCode);
        Assert.Equal("9\n", await rollback.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Conflict, forked.StatusCode);
        Assert.Contains("GW6714", await forked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, forkFromOld.StatusCode);
        Assert.Equal("9\n", await forkFromOld.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, recovered.StatusCode);
    }

    [Fact]
    public async Task Serve_StateNotAFolder_FailsWithOneLine()
    {
        var notAFolder = Path.Combine(_folder, "file");
        await File.WriteAllTextAsync(notAFolder, "x");
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = await WitnessCommand.ServeAsync(new CliContext(stdout, stderr, jsonErrors: false, verbose: false), new WitnessCommand.ServeRequest(notAFolder, KeyPath, [LogPath], "http://127.0.0.1:0"), null, default);

        Assert.Equal(ExitCodes.Error, exit);
        Assert.Contains("CLI1900", stderr.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_WitnessKeyGivenAsALog_IsRefused()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = await WitnessCommand.ServeAsync(new CliContext(stdout, stderr, jsonErrors: false, verbose: false), new WitnessCommand.ServeRequest(StatePath, KeyPath, [s_witnessKey.VerifierKey.ToString()], "http://127.0.0.1:0"), null, default);

        Assert.Equal(ExitCodes.Invalid, exit);
        Assert.Contains("CLI1901", stderr.ToString(), StringComparison.Ordinal);
    }

    /// <summary>Stops the witness between the durable state write and the answer, as a crash there would.</summary>
    private sealed class FaultAfterReplace(IWitnessStateStore inner) : IWitnessStateStore
    {
        public ValueTask<WitnessedCheckpoint?> ReadAsync(string origin, CancellationToken cancellationToken) => inner.ReadAsync(origin, cancellationToken);

        public async ValueTask<bool> TryReplaceAsync(WitnessedCheckpoint? expected, WitnessedCheckpoint replacement, CancellationToken cancellationToken)
        {
            await inner.TryReplaceAsync(expected, replacement, cancellationToken);
            throw new IOException("injected fault after the state write");
        }
    }

    /// <summary>A running <c>witness serve</c> on a free loopback port.</summary>
    private sealed class WitnessProcess : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly StringWriter _stdout = new();
        private readonly StringWriter _stderr = new();
        private readonly HttpClient _client = new();
        private Task<int>? _run;

        public string Output => _stdout.ToString();

        public static async Task<WitnessProcess> StartAsync(WitnessCommandTests test, Func<IWitnessStateStore, IWitnessStateStore>? state = null)
        {
            var process = new WitnessProcess();
            var started = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            var request = new WitnessCommand.ServeRequest(test.StatePath, test.KeyPath, [test.LogPath], "http://127.0.0.1:0");
            var context = new CliContext(process._stdout, process._stderr, jsonErrors: false, verbose: false);
            process._run = Task.Run(() => WitnessCommand.ServeAsync(context, request, address => { started.TrySetResult(address); return Task.CompletedTask; }, process._stop.Token, state));
            var first = await Task.WhenAny(started.Task, process._run);
            if (first != started.Task)
            {
                throw new InvalidOperationException($"the witness did not start: {process._stderr}");
            }

            process._client.BaseAddress = new Uri(await started.Task);
            return process;
        }

        public Task<HttpResponseMessage> PostAsync(byte[] body) => _client.PostAsync(new Uri("add-checkpoint", UriKind.Relative), new ByteArrayContent(body));

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            Assert.Equal(0, await _run!);
            _client.Dispose();
            _stop.Dispose();
            _stdout.Dispose();
            _stderr.Dispose();
        }
    }
}
