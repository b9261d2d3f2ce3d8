using BenchmarkDotNet.Running;
using Concordat.Benchmarks.Decisions;
using Concordat.Benchmarks.Log;

if (args is ["decisions-latency"])
{
    DecisionLatency.Run(Console.Out);
    return;
}

if (args is ["log-append-rate", var engine, var appenders, var seconds])
{
    await LogAppendRate.RunAsync(Console.Out, engine, int.Parse(appenders, System.Globalization.CultureInfo.InvariantCulture), int.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture));
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
