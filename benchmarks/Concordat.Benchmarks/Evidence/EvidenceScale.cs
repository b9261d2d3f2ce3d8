using System.Diagnostics;
using System.Globalization;
using Concordat.Evidence;
using Concordat.Log;
using Concordat.Storage.Sqlite;
using Concordat.Testing.Evidence;

namespace Concordat.Benchmarks.Evidence;

/// <summary>
/// An evidence pack over a large access record, in three runs so that each one's peak memory is its own (run each
/// under <c>/usr/bin/time -v</c>): <c>evidence-scale write N DIR</c> writes N entries of the sample agreement to a
/// SQLite log in DIR (a permit decision with its record, the token issued on it and an egress, repeated; 64 appenders)
/// and signs a checkpoint; <c>evidence-scale build DIR</c> builds the pack of the whole record into DIR/pack.zip with
/// the library the CLI uses; <c>evidence-scale verify DIR</c> verifies it, the enforcement replay included.
/// Goals (issue 19): 1 M entries build in under a minute and verify in under 30 s, memory flat.
/// Figures in docs/benchmarks.md, section "Evidence packs".
/// </summary>
public static class EvidenceScale
{
    public static async Task<int> RunAsync(TextWriter output, string phase, IReadOnlyList<string> args)
    {
        var watch = Stopwatch.StartNew();
        switch (phase, args)
        {
            case ("write", [var count, var folder]):
                await WriteAsync(long.Parse(count, CultureInfo.InvariantCulture), folder);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {count} entries in {watch.Elapsed.TotalSeconds:N1} s"));
                return 0;
            case ("build", [var folder]):
                {
                    var storage = SqliteLogStorage.Open(folder);
                    await using (storage)
                    {
                        var file = File.Create(Path.Combine(folder, "pack.zip"));
                        await using (file)
                        {
                            var result = await EvidencePackBuilder.BuildAsync(storage, EvidencePackFixture.Request(), EvidencePackFixture.LogKey, file, null, default);
                            if (!result.IsBuilt)
                            {
                                output.WriteLine($"not built: {result.Problem!.Message}");
                                return 1;
                            }

                            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"built {result.Summary!.Entries:N0} entries, {file.Length / 1e6:N1} MB, in {watch.Elapsed.TotalSeconds:N1} s; {Memory()}"));
                            return 0;
                        }
                    }
                }

            case ("verify", [var folder]):
                {
                    await using var pack = File.OpenRead(Path.Combine(folder, "pack.zip"));
                    var verification = await EvidencePackVerifier.VerifyAsync(pack, EvidencePackFixture.LogKey.VerifierKey, [], default);
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"verified: {verification.IsValid} ({string.Join(", ", verification.Counts.Select(c => $"{c.Key} {c.Value:N0}"))}) in {watch.Elapsed.TotalSeconds:N1} s; {Memory()}"));
                    foreach (var problem in verification.Problems.Take(5))
                    {
                        output.WriteLine($"  {problem.Message}");
                    }

                    return verification.IsValid ? 0 : 1;
                }

            default:
                output.WriteLine("usage: evidence-scale write N DIR | build DIR | verify DIR");
                return 2;
        }
    }

    private static string Memory() =>
        string.Create(CultureInfo.InvariantCulture, $"peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:N0} MB, allocated {GC.GetTotalAllocatedBytes() / 1e9:N2} GB");

    private static async Task WriteAsync(long count, string folder)
    {
        Directory.CreateDirectory(folder);
        var storage = SqliteLogStorage.Open(folder);
        await using (storage)
        {
            await using var log = await TransparencyLog.OpenAsync(storage, TimeProvider.System, EvidencePackFixture.LogKey, null, default);
            long next = 0;

            // Invariant: each appender writes one access's three entries in turn, so a token and an egress always
            // follow their decision in the log, as the gateway writes them.
            await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(async () =>
            {
                for (var access = Interlocked.Increment(ref next) - 1; access * 3 < count; access = Interlocked.Increment(ref next) - 1)
                {
                    for (var n = access * 3; n < Math.Min(count, (access * 3) + 3); n++)
                    {
                        var entry = Entry(n);
                        while (await log.AppendAsync(entry, default) is { IsPushback: true } pushback)
                        {
                            await Task.Delay(pushback.RetryAfter);
                        }
                    }
                }
            })));
            var signed = await log.SignCheckpointAsync(default);
            if (!signed.IsSigned)
            {
                throw new InvalidOperationException(signed.Problem?.Message);
            }
        }
    }

    // Every third entry a permit decision, then its token and its egress; one access a second from the fixture's start.
    private static LogEntry Entry(long n)
    {
        var access = n / 3;
        var at = EvidencePackFixture.Start.AddSeconds(access);
        var decisionId = $"dec_{access:d24}";
        return (n % 3) switch
        {
            0 => EvidencePackFixture.Decision(at, decisionId, EvidencePackFixture.DecisionRequestAt(at), null),
            1 => EvidencePackFixture.Token(at, decisionId, $"tok_{access}", TimeSpan.FromMinutes(15)),
            _ => EvidencePackFixture.Egress(at, decisionId, "cardiology-records"),
        };
    }
}
