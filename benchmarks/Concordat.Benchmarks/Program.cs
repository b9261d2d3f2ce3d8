using BenchmarkDotNet.Running;
using Concordat.Benchmarks.Decisions;
using Concordat.Benchmarks.Http;
using Concordat.Benchmarks.Log;

if (args is ["decisions-latency"])
{
    DecisionLatency.Run(Console.Out);
    return;
}

if (args is ["cedar-differential", var cedarRequests, .. var cedarSeed] && cedarSeed.Length <= 1)
{
    Environment.ExitCode = CedarComparison.Differential(Console.Out, int.Parse(cedarRequests, System.Globalization.CultureInfo.InvariantCulture), cedarSeed is [var seedText] ? int.Parse(seedText, System.Globalization.CultureInfo.InvariantCulture) : Random.Shared.Next());
    return;
}

if (args is ["cedar-throughput", .. var cedarCount] && cedarCount.Length <= 1)
{
    Environment.ExitCode = CedarComparison.Throughput(Console.Out, cedarCount is [var countText] ? int.Parse(countText, System.Globalization.CultureInfo.InvariantCulture) : 20_000);
    return;
}

if (args is ["log-append-rate", var engine, var appenders, var seconds])
{
    await LogAppendRate.RunAsync(Console.Out, engine, int.Parse(appenders, System.Globalization.CultureInfo.InvariantCulture), int.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture));
    return;
}

if (args is ["stored-proof-rate", var proofEntries, var proofSeconds, .. var proofEngine] && proofEngine.Length <= 1)
{
    await Concordat.Benchmarks.Merkle.StoredProofRate.RunAsync(Console.Out, int.Parse(proofEntries, System.Globalization.CultureInfo.InvariantCulture), int.Parse(proofSeconds, System.Globalization.CultureInfo.InvariantCulture), proofEngine is [var proofStore] ? proofStore : "sqlite");
    return;
}

if (args is ["http-patients-csv", var rows, var path])
{
    HttpBenchData.WriteCsv(Console.Out, int.Parse(rows, System.Globalization.CultureInfo.InvariantCulture), path);
    return;
}

if (args is ["http-egress-client", var rowsUrl, var tokenFile, var accept])
{
    Environment.ExitCode = await HttpEgressClient.StreamAsync(Console.Out, new Uri(rowsUrl), tokenFile, accept);
    return;
}

if (args is ["http-seal-client", var baseUrl, var dataset, var sealTokenFile, var adminKeyFile, var recipient])
{
    Environment.ExitCode = await HttpEgressClient.SealAsync(Console.Out, new Uri(baseUrl), dataset, sealTokenFile, adminKeyFile, recipient);
    return;
}

if (args is ["witness-round-trip", "prepare", var witnessWorkspace])
{
    Environment.ExitCode = WitnessRoundTrip.Prepare(Console.Out, witnessWorkspace);
    return;
}

if (args is ["witness-round-trip", "run", var roundsWorkspace, var rounds, var roundEntries])
{
    Environment.ExitCode = await WitnessRoundTrip.RunAsync(Console.Out, roundsWorkspace, int.Parse(rounds, System.Globalization.CultureInfo.InvariantCulture), int.Parse(roundEntries, System.Globalization.CultureInfo.InvariantCulture));
    return;
}

if (args is ["evidence-scale", var evidencePhase, .. var evidenceArgs])
{
    Environment.ExitCode = await Concordat.Benchmarks.Evidence.EvidenceScale.RunAsync(Console.Out, evidencePhase, evidenceArgs);
    return;
}

if (args is ["egress-rate", var rateFormat, var ratePlan, var rateRows, var ratePasses])
{
    Environment.ExitCode = await Concordat.Benchmarks.Egress.EgressRate.RunAsync(Console.Out, rateFormat, ratePlan, int.Parse(rateRows, System.Globalization.CultureInfo.InvariantCulture), int.Parse(ratePasses, System.Globalization.CultureInfo.InvariantCulture));
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
