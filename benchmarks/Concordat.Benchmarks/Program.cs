using BenchmarkDotNet.Running;
using Concordat.Benchmarks.Decisions;

if (args is ["decisions-latency"])
{
    DecisionLatency.Run(Console.Out);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
