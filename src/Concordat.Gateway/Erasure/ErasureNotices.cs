using System.Text.Json;
using Concordat.Gateway.Hosting;
using Concordat.Gateway.Provenance;

namespace Concordat.Gateway.Erasure;

/// <summary>
/// Each recipient's own pseudonyms of an erased subject, kept in the workspace's <c>erasure-notices</c> folder
/// (<c>{recipient}/{commitmentHex}.json</c>) so the recipient can learn them from <c>GET /v1/erasures</c>, and
/// deleted once it has attested deletion of every egress the erasure named for it.
/// </summary>
/// <remarks>
/// <para>Security: the raw identifiers are never kept, here or anywhere. The pseudonyms are kept outside the log (the
/// log never holds personal data, and a file can be deleted). While a notice is kept, whoever holds the workspace's
/// pseudonym key can test a guessed identifier against it, as against the recipient's own data: the link the
/// commitment's destroyed key closes stays open until the recipient attested deletion (docs/design/erasure.md).</para>
/// <para>Ids reach the paths only after the gateway checked their shape; the commitment is hex it made itself.</para>
/// </remarks>
internal sealed class ErasureNotices(GatewayWorkspace workspace)
{
    /// <summary>The folder under the workspace.</summary>
    public const string FolderName = "erasure-notices";

    /// <summary>Keeps <paramref name="pseudonyms"/> for <paramref name="recipient"/> under the erasure's commitment.</summary>
    public void Write(string recipient, string commitmentHex, IReadOnlyList<string> pseudonyms) =>
        AttestationStore.Write(PathOf(recipient, commitmentHex), JsonSerializer.SerializeToUtf8Bytes(pseudonyms));

    /// <summary>The pseudonyms kept for <paramref name="recipient"/> under the erasure's commitment; null when none are kept (any more).</summary>
    public IReadOnlyList<string>? Read(string recipient, string commitmentHex) =>
        AttestationStore.Read(PathOf(recipient, commitmentHex)) is { } bytes ? JsonSerializer.Deserialize<string[]>(bytes) : null;

    /// <summary>Deletes the pseudonyms kept for <paramref name="recipient"/> under the erasure's commitment, if any.</summary>
    public void Forget(string recipient, string commitmentHex)
    {
        var path = PathOf(recipient, commitmentHex);
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }

    private string PathOf(string recipient, string commitmentHex) => Path.Combine(workspace.Directory, FolderName, recipient, commitmentHex + ".json");
}
