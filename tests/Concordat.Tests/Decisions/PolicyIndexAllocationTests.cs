using Concordat.Decisions;
using Concordat.Testing.Decisions;

namespace Concordat.Tests.Decisions;

public sealed class PolicyIndexAllocationTests
{
    [Fact]
    public void Decide_ReferenceWorkloadAfterWarmUp_AllocatesZeroBytesPerDecision()
    {
        var workload = ReferenceWorkload.Create();
        var index = PolicyIndex.Compile(workload.Agreements);
        var requests = workload.Requests;
        const int Decisions = 10_000;
        for (var i = 0; i < requests.Length; i++)
        {
            index.Decide(in requests[i]);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var permits = 0;
        for (var i = 0; i < Decisions; i++)
        {
            permits += index.Decide(in requests[i]).IsPermit ? 1 : 0;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.InRange(permits, 1, Decisions - 1);
    }
}
