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
