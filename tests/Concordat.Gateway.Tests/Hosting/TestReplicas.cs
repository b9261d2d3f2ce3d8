using Concordat.Gateway.Agreements;
using Microsoft.Extensions.DependencyInjection;

namespace Concordat.Gateway.Tests.Hosting;

/// <summary>
/// Two gateway replicas, A and B, on one workspace and one real PostgreSQL database, as several replicas run behind a
/// load balancer; B has its revocation feed listening before the test begins.
/// </summary>
internal sealed class TestReplicas(TestGateway a, TestGateway b, string? ownWorkspaceOfB = null) : IAsyncDisposable
{
    public TestGateway A => a;

    public TestGateway B => b;

    /// <summary>Starts A, then B on A's workspace, both on <paramref name="database"/>.</summary>
    /// <param name="database">A PostgreSQL connection string.</param>
    /// <param name="workspace">A workspace the test made (and deletes), or null for A's own.</param>
    public static async Task<TestReplicas> StartAsync(string database, string? workspace = null)
    {
        var first = await TestGateway.StartAsync(database, workspace: workspace);
        var second = await TestGateway.StartAsync(database, workspace: first.Workspace);

        // B hears notices only once its feed listens; what A does before is not the subject here.
        await Eventually.HoldsAsync(() => second.Logs.Messages.Any(m => m.Contains("listening for revocations", StringComparison.Ordinal)), "B listens");
        return new TestReplicas(first, second);
    }

    /// <summary>
    /// Starts A, then B on a copy of A's workspace (its keys, as an operator gives each replica), both on
    /// <paramref name="database"/>: what B sees of A's work it can only have read from the store.
    /// </summary>
    /// <param name="database">A PostgreSQL connection string.</param>
    public static async Task<TestReplicas> StartApartAsync(string database)
    {
        var first = await TestGateway.StartAsync(database);
        var copy = Directory.CreateTempSubdirectory("concordat-gw-b-").FullName;
        foreach (var file in Directory.EnumerateFiles(first.Workspace, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(first.Workspace, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        var second = await TestGateway.StartAsync(database, workspace: copy);
        await Eventually.HoldsAsync(() => second.Logs.Messages.Any(m => m.Contains("listening for revocations", StringComparison.Ordinal)), "B listens");
        return new TestReplicas(first, second, copy);
    }

    /// <summary>Waits until <paramref name="replica"/> enforces <paramref name="version"/> of <paramref name="agreement"/> (a bounded poll: the notice reaches it at A's commit).</summary>
    public static Task InForceOnAsync(TestGateway replica, string agreement, int version = 1) =>
        Eventually.HoldsAsync(() => Policy(replica).Agreements.Any(a => a.Agreement.Id.Value == agreement && a.Version == version), $"the replica enforces version {version} of `{agreement}`");

    public static PolicyState Policy(TestGateway gateway) => gateway.Services.GetRequiredService<PolicyState>();

    public async ValueTask DisposeAsync()
    {
        // Invariant: B first, since A owns the workspace when the test gave none.
        await b.DisposeAsync();
        await a.DisposeAsync();
        if (ownWorkspaceOfB is not null)
        {
            Directory.Delete(ownWorkspaceOfB, recursive: true);
        }
    }
}
