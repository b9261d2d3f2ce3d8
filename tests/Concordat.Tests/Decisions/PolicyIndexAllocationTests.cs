using Concordat.Decisions;
using Concordat.Testing.Decisions;

namespace Concordat.Tests.Decisions;

public sealed class PolicyIndexAllocationTests
{
    [Fact]
    public void Decide_ReferenceWorkloadAfterWarmUp_AllocatesZeroBytesPerDecision()
    {
        var workload = ReferenceWorkload.Create();
        AssertZeroAllocations(PolicyIndex.Compile(workload.Agreements), workload.Requests);
    }

    [Fact]
    public void Decide_ReferenceWorkloadWithRolesAfterWarmUp_AllocatesZeroBytesPerDecision()
    {
        var workload = ReferenceWorkload.Create();
        var roles = Enum.GetValues<IdentityRole>();
        var requests = workload.Requests.Select((r, i) => r with { Role = roles[i % roles.Length] }).ToArray();

        AssertZeroAllocations(PolicyIndex.Compile(workload.Agreements), requests);
    }

    [Fact]
    public void Decide_AttributeWorkloadAfterWarmUp_AllocatesZeroBytesPerDecision()
    {
        var workload = AttributeWorkload.Create();
        var roles = Enum.GetValues<IdentityRole>();
        var requests = workload.Requests.Select((r, i) => i % 3 == 0 ? r with { Role = roles[i % roles.Length] } : r).ToArray();

        AssertZeroAllocations(PolicyIndex.Compile(workload.Agreements), requests);
    }

    private static void AssertZeroAllocations(PolicyIndex index, DecisionRequest[] requests)
    {
        const int Decisions = 10_000;
        const int Attempts = 5;
        for (var i = 0; i < requests.Length; i++)
        {
            index.Decide(in requests[i]);
        }

        // The runtime itself may allocate on this thread while a pass runs (on-stack replacement of this loop, tier-up
        // call-counting stubs), so the least of a few identical passes is what the decisions allocate: a decision that
        // allocates would show in every pass.
        var fewest = long.MaxValue;
        var permits = 0;
        for (var attempt = 0; attempt < Attempts && fewest > 0; attempt++)
        {
            var (allocated, passPermits) = MeasurePass(index, requests, Decisions);
            fewest = Math.Min(fewest, allocated);
            permits = passPermits;
        }

        Assert.Equal(0, fewest);
        Assert.InRange(permits, 1, Decisions - 1);
    }

    private static (long Allocated, int Permits) MeasurePass(PolicyIndex index, DecisionRequest[] requests, int decisions)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var permits = 0;
        for (var i = 0; i < decisions; i++)
        {
            permits += index.Decide(in requests[i]).IsPermit ? 1 : 0;
        }

        return (GC.GetAllocatedBytesForCurrentThread() - before, permits);
    }
}
