using Concordat.Data.Parquet;
using Concordat.Gateway.Hosting;

namespace Concordat.Gateway.DeltaSharing;

/// <summary>The Parquet files of the Delta Sharing server (in the workspace's <c>delta-sharing</c> folder) and the key their URLs are signed with.</summary>
internal sealed class DeltaSharingFiles(GatewayWorkspace workspace)
{
    /// <summary>Gets the cache of written files.</summary>
    public ParquetEgressCache Cache { get; } = new(Path.Combine(workspace.Directory, "delta-sharing"));

    /// <summary>Gets the URL signing key.</summary>
    public byte[] UrlKey { get; } = FileUrl.DeriveKey(workspace.PseudonymKey);
}
