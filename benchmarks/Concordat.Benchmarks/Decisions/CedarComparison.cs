using System.Diagnostics;
using Concordat.Decisions;
using Concordat.Testing.Decisions;

namespace Concordat.Benchmarks.Decisions;

/// <summary>
/// Concordat against Cedar (<c>@cedar-policy/cedar-wasm</c> in <c>tests/node</c>), one thread each. Run with
/// <c>-- cedar-differential REQUESTS [SEED]</c> (the differential of <c>CedarDifferentialTests</c> on more requests,
/// seed printed) or <c>-- cedar-throughput [CEDAR_REQUESTS]</c> (the attribute workload of issue 12 through both engines:
/// decisions per second, Concordat's compile time, Cedar's policy parse time, and the ratio).
/// </summary>
public static class CedarComparison
{
    private const int RequestsPerAgreement = 200;
    private const string CedarVersion = "4.13.0";

    /// <summary>Compares at least <paramref name="requests"/> requests, over agreements of 200 requests each; returns the exit code.</summary>
    public static int Differential(TextWriter output, int requests, int seed)
    {
        var agreements = (requests + RequestsPerAgreement - 1) / RequestsPerAgreement;
        output.WriteLine($"cedar differential: seed {seed}, {agreements:N0} agreements of {RequestsPerAgreement} requests");
        var result = CedarDifferential.Run(seed, agreements, RequestsPerAgreement, TimeSpan.FromHours(2), maxReported: 5);
        output.WriteLine($"compared {result.Compared:N0}: {result.Permits:N0} permits, {result.Forbidden:N0} forbidden by a clause, {result.DecidedBeforeClauses:N0} denied before any clause");
        output.WriteLine($"cedar: parse {result.CedarParseMilliseconds:F0} ms, decide {result.CedarDecideMilliseconds:F0} ms");
        foreach (var difference in result.Differences)
        {
            output.WriteLine(difference);
        }

        output.WriteLine(result.Differences.Count == 0 ? "no differences" : $"differences found (seed {seed})");
        return result.Differences.Count == 0 ? 0 : 1;
    }

    /// <summary>Runs the attribute workload through both engines; returns the exit code (1 when they disagree).</summary>
    public static int Throughput(TextWriter output, int cedarRequests)
    {
        var workload = AttributeWorkload.Create();
        var agreement = workload.Agreements[0].Agreement;
        var requests = workload.Requests;

        var compile = Stopwatch.StartNew();
        var index = PolicyIndex.Compile(workload.Agreements);
        compile.Stop();

        // The first compile includes the JIT compiling the compiler itself; the warm figure is what a gateway pays
        // when an agreement is installed or amended in a running process.
        var warm = new double[11];
        for (var i = 0; i < warm.Length; i++)
        {
            var again = Stopwatch.StartNew();
            _ = PolicyIndex.Compile(workload.Agreements);
            warm[i] = again.Elapsed.TotalMilliseconds;
        }

        Array.Sort(warm);
        foreach (var request in requests)
        {
            index.Decide(in request);
        }

        var mask = requests.Length - 1;
        var decided = 0L;
        var permits = 0L;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            for (var i = 0; i < 65_536; i++, decided++)
            {
                permits += index.Decide(in requests[decided & mask]).IsPermit ? 1 : 0;
            }
        }

        clock.Stop();
        var concordatRate = decided / clock.Elapsed.TotalSeconds;

        var asked = requests.Take(Math.Min(cedarRequests, requests.Length)).ToArray();
        var translation = CedarTranslation.Of(agreement);
        var cedar = CedarPeer.Decide([(translation, asked)], TimeSpan.FromHours(2));
        var cedarRate = asked.Length / (cedar.DecideMilliseconds / 1000);
        var differences = asked.Select((r, i) => CedarDifferential.Difference(index.Decide(in r), cedar.Decisions[i])).Count(d => d is not null);

        output.WriteLine($"attribute workload: {agreement.Parties.Count - 1} partners, {agreement.Datasets.Count} datasets, {agreement.Collections.Count} collections, {agreement.Groups.Count} groups, {agreement.Grants.Count} grants, {agreement.Prohibitions.Count} prohibitions");
        output.WriteLine($"| engine | decisions/s (one thread) | preparation |");
        output.WriteLine($"| --- | ---: | ---: |");
        output.WriteLine($"| Concordat `PolicyIndex` | {concordatRate:N0} ({decided:N0} decisions, {permits * 100.0 / decided:F1}% permits) | compile {warm[warm.Length / 2]:F1} ms warm (median of {warm.Length}), {compile.Elapsed.TotalMilliseconds:F1} ms the first time (with the JIT) |");
        output.WriteLine($"| Cedar (cedar-wasm {CedarVersion}) | {cedarRate:N0} ({asked.Length:N0} decisions) | parse {cedar.ParseMilliseconds:F1} ms |");
        output.WriteLine($"ratio (Concordat / Cedar decisions per second): {concordatRate / cedarRate:N0}");
        output.WriteLine(differences == 0 ? $"both engines agree on all {asked.Length:N0} requests" : $"{differences:N0} of {asked.Length:N0} requests decided differently");
        return differences == 0 ? 0 : 1;
    }
}
