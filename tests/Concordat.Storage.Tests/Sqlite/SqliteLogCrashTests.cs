using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Concordat.Crypto;
using Concordat.Log;
using Concordat.Storage.Sqlite;

namespace Concordat.Storage.Tests.Sqlite;

/// <summary>
/// Issue 3 §6: a child process appends under load and reports each acknowledged index; it is killed with SIGKILL
/// at random moments, and after every kill the log must hold every acknowledged entry with identical bytes and verify.
/// </summary>
/// <remarks>
/// The number of kills is 20 by default; <c>CONCORDAT_CRASH_RUNS</c> raises it (scripts/soak-log.sh).
/// </remarks>
public sealed class SqliteLogCrashTests : IDisposable
{
    private const int DefaultRuns = 20;
    private static readonly NoteSignerKey s_key = CreateKey();
    private readonly TempDirectory _directory = new();

    // The key file sits beside the workspace, not in it: the workspace holds only what the log writes.
    private string KeyPath => _directory.Path + ".key";

    public void Dispose()
    {
        File.Delete(KeyPath);
        _directory.Dispose();
    }

    private static NoteSignerKey CreateKey()
    {
        var text = NoteKey.FormatSignerKey("crash.test", Ed25519PrivateKey.FromSeed(new byte[32]));
        return NoteKey.TryParseSignerKey(text, out var key, out var error) ? key : throw new InvalidOperationException(error);
    }

    [Fact]
    public async Task Append_KilledAtRandomMoments_EveryAcknowledgedEntryIsDurableAndTheTreeVerifies()
    {
        var runs = int.TryParse(Environment.GetEnvironmentVariable("CONCORDAT_CRASH_RUNS"), CultureInfo.InvariantCulture, out var n) ? n : DefaultRuns;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("CONCORDAT_CRASH_SEED"), CultureInfo.InvariantCulture, out var s) ? s : 20260301;
        var random = new Random(seed);
        var acknowledged = new Dictionary<long, string>();
        var killsUnderLoad = 0;
        var checkpointsSeen = 0L;
        File.WriteAllText(KeyPath, NoteKey.FormatSignerKey(s_key.Name, s_key.PrivateKey));

        for (var run = 0; run < runs; run++)
        {
            var lines = await RunAndKillAsync(TimeSpan.FromMilliseconds(random.Next(20, 300)));
            var appendsThisRun = 0;
            foreach (var line in lines)
            {
                var parts = line.Split(' ');
                var index = long.Parse(parts[0], CultureInfo.InvariantCulture);
                if (parts[1] != "ready")
                {
                    Assert.True(acknowledged.TryAdd(index, parts[1]), $"run {run} (seed {seed}): index {index} was acknowledged twice");
                    appendsThisRun++;
                }
            }

            killsUnderLoad += appendsThisRun > 0 ? 1 : 0;
            await using var storage = SqliteLogStorage.Open(_directory.Path);
            foreach (var (index, digest) in acknowledged)
            {
                var stored = await storage.ReadEntriesAsync(index, 1, default);
                Assert.True(stored.Count == 1, $"run {run} (seed {seed}): acknowledged entry {index} is missing");
                Assert.Equal(digest, Convert.ToHexStringLower(SHA256.HashData(stored[0].Entry)));
            }

            var verification = await LogVerifier.VerifyAsync(storage, s_key.VerifierKey, default);
            Assert.True(verification.IsValid, $"run {run} (seed {seed}): {verification.Problem?.Message}");
            checkpointsSeen = Math.Max(checkpointsSeen, verification.CheckpointsChecked);
            await using var log = await TransparencyLog.OpenAsync(storage, TimeProvider.System, s_key, null, default);
            var next = await log.SignCheckpointAsync(default);
            Assert.True(next.IsSigned, $"run {run} (seed {seed}): {next.Problem?.Message}");
        }

        Assert.True(checkpointsSeen > 1, "the child never signed a checkpoint before it was killed");

        Assert.True(killsUnderLoad >= runs / 2, $"only {killsUnderLoad} of {runs} kills happened while entries were being acknowledged");
    }

    private async Task<List<string>> RunAndKillAsync(TimeSpan afterFirstAcknowledgement)
    {
        var start = new ProcessStartInfo
        {
            FileName = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Concordat.Log.CrashChild.dll"));
        start.ArgumentList.Add(_directory.Path);
        start.ArgumentList.Add("64");
        start.ArgumentList.Add(KeyPath);
        using var child = Process.Start(start) ?? throw new InvalidOperationException("the crash child did not start");
        var stderr = child.StandardError.ReadToEndAsync();
        var lines = new List<string>();
        var first = await child.StandardOutput.ReadLineAsync();
        if (first is null)
        {
            Assert.Fail($"the crash child exited before appending: {await stderr}");
        }

        lines.Add(first);

        // The kill is armed at the first acknowledgement, not at start-up, so it lands while 64 appenders are
        // committing batches however slowly a loaded machine starts the child.
        using var kill = new CancellationTokenSource();
        var isArmed = false;
        kill.Token.Register(() => child.Kill(entireProcessTree: false));
        while (await child.StandardOutput.ReadLineAsync() is { } line)
        {
            // Invariant: a line cut short by the kill was never a complete acknowledgement.
            var isAcknowledgement = line.Contains(' ', StringComparison.Ordinal) && line.Length - line.IndexOf(' ', StringComparison.Ordinal) - 1 == 64;
            if (isAcknowledgement || (line.Contains(' ', StringComparison.Ordinal) && line.EndsWith("ready", StringComparison.Ordinal)))
            {
                lines.Add(line);
            }

            if (isAcknowledgement && !isArmed)
            {
                isArmed = true;
                kill.CancelAfter(afterFirstAcknowledgement);
            }
        }

        await child.WaitForExitAsync();
        return lines;
    }
}
