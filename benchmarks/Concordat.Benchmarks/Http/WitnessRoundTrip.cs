using System.Diagnostics;
using System.Globalization;
using Concordat.Gateway.Hosting;
using Concordat.Gateway.Journal;
using Concordat.Gateway.Transparency;
using Concordat.Gateway.Witness;
using Concordat.Storage.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Concordat.Benchmarks.Http;

/// <summary>
/// The gateway side of benchmarks/http/witness.sh: the gateway's own witness submitter (<see cref="WitnessSubmitter"/>)
/// on the log of a throwaway workspace (SQLite), submitting each new checkpoint with its consistency proof to a
/// <c>concordat witness serve</c> over loopback HTTP and verifying the cosignature it gets back, timed round by round.
/// </summary>
/// <remarks>
/// A round appends entries, signs the new checkpoint (untimed: the gateway signs it whether or not it is witnessed),
/// then times one <see cref="WitnessSubmitter.SubmitLatestAsync"/>: the consistency proof from the size the witness
/// cosigned last, <c>POST /add-checkpoint</c>, the witness's checks and durable state, its answer, and the check of
/// the cosignature against the witness's pinned key. A round whose checkpoint is not published cosigned fails the run.
/// Output is one line of <c>key=value</c> pairs for the script to parse.
/// </remarks>
public static class WitnessRoundTrip
{
    private const int WarmUpRounds = 5;

    /// <summary>Run with <c>-- witness-round-trip prepare DIR</c>: makes the gateway workspace at DIR and prints the path of its log's verifier key.</summary>
    public static int Prepare(TextWriter output, string directory)
    {
        var workspace = GatewayWorkspace.OpenOrCreate(directory);
        output.WriteLine(Path.Combine(workspace.Directory, GatewayWorkspace.LogPublicKeyFileName));
        return 0;
    }

    /// <summary>Run with <c>-- witness-round-trip run DIR ROUNDS ENTRIES</c> once DIR's <c>witnesses.json</c> names a witness that answers; returns the exit code.</summary>
    public static async Task<int> RunAsync(TextWriter output, string directory, int rounds, int entriesPerRound)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(entriesPerRound, 1);
        var workspace = GatewayWorkspace.OpenOrCreate(directory);
        var settings = WitnessSettings.Read(workspace.Directory);
        if (!settings.IsWitnessed)
        {
            output.WriteLine($"error: the workspace's {WitnessSettings.FileName} names no witness");
            return 1;
        }

        await using var store = new SqliteStoreEngine(workspace.Directory);
        await using var log = new LogHost(workspace, store, TimeProvider.System);
        if (await log.OpenAsync(default) is { } damage)
        {
            output.WriteLine($"error: the log refuses to grow: {damage.Message}");
            return 1;
        }

        var published = new PublishedCheckpoint(settings);
        var submitter = new WitnessSubmitter(settings, published, log, TimeProvider.System, NullLogger<WitnessSubmitter>.Instance);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

        // The first rounds open the connection and run the JIT on both sides; they are not counted.
        for (var round = 0; round < WarmUpRounds; round++)
        {
            if (await RoundAsync(log, submitter, published, client, entriesPerRound) is null)
            {
                output.WriteLine("error: the witness did not cosign during the warm-up: see its output");
                return 1;
            }
        }

        var samples = new double[rounds];
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        for (var round = 0; round < rounds; round++)
        {
            if (await RoundAsync(log, submitter, published, client, entriesPerRound) is not { } milliseconds)
            {
                output.WriteLine($"error: round {round + 1}: the witness did not cosign: see its output");
                return 1;
            }

            samples[round] = milliseconds;
        }

        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        Array.Sort(samples);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"rounds={rounds} entries_per_round={entriesPerRound} tree_size={published.Latest!.TreeSize} p50_ms={At(samples, 0.50):F3} p90_ms={At(samples, 0.90):F3} p99_ms={At(samples, 0.99):F3} max_ms={samples[^1]:F3} mean_ms={samples.Average():F3} client_cpu_us_per_round={cpu.TotalMicroseconds / rounds:F0}"));
        return 0;
    }

    /// <summary>One round; the milliseconds of the submission, or null when the checkpoint was not published cosigned.</summary>
    private static async Task<double?> RoundAsync(LogHost log, WitnessSubmitter submitter, PublishedCheckpoint published, HttpClient client, int entries)
    {
        for (var i = 0; i < entries; i++)
        {
            var appended = await log.AppendAsync(new UnsealEntry(TimeProvider.System.GetUtcNow(), "witness-bench", "round"), default);
            if (appended.IsPushback)
            {
                throw new InvalidOperationException("the log pushed back an append");
            }
        }

        var checkpoint = await log.ReadCheckpointAsync(default);
        var started = Stopwatch.GetTimestamp();
        await submitter.SubmitLatestAsync(client, default);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        return published.Latest?.TreeSize == checkpoint.TreeSize ? elapsed : null;
    }

    // Nearest rank below: the sample at that fraction of the sorted run.
    private static double At(double[] sorted, double fraction) => sorted[(int)(fraction * (sorted.Length - 1))];
}
