namespace Concordat.Gateway.Tests.Hosting;

/// <summary>Tests that read the process's metrics run with no other test beside them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsGroup
{
    public const string Name = "metrics";
}
