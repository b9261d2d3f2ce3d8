using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Concordat.Benchmarks;

/// <summary>
/// One launch, 3 warm-up and 5 measured iterations, in process: building a separate benchmark executable times out
/// on the shared 2-core machine, and a large setup (a tree of 10 M leaves) is paid once per benchmark either way.
/// </summary>
internal sealed class InProcessShortConfig : ManualConfig
{
    public InProcessShortConfig() =>
        AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(5).WithToolchain(InProcessEmitToolchain.Instance));
}
