using Concordat.Agreements;
using Concordat.Agreements.Signatures;
using Concordat.Attestations;
using Concordat.Compliance;
using Concordat.Core;
using Concordat.Evidence;
using Concordat.Gateway.Hosting;

namespace Concordat.Cli.Commands;

/// <summary>
/// The workspace's registered compliance artifacts: one DSSE envelope per registration under
/// <c>artifacts/AGREEMENT/</c>, verified against the workspace's pinned keys when read.
/// </summary>
internal static class ComplianceArtifactStore
{
    /// <summary>The folder of the workspace that holds the envelopes.</summary>
    public const string FolderName = "artifacts";

    /// <summary>The path of one registration's envelope: by agreement, kind and the first 16 hex digits of the file's digest.</summary>
    public static string PathOf(string workspace, ComplianceArtifact artifact) =>
        Path.Combine(workspace, FolderName, artifact.Agreement.Value, $"{artifact.Kind}-{artifact.Digest.Hex[..16]}-{artifact.RegisteredAt.ToUnixTimeSeconds()}.dsse.json");

    /// <summary>The verifier keys of every signer the workspace pins in <c>trusted-keys</c>; none when it has no such file.</summary>
    public static IReadOnlyList<DsseVerifierKey> PinnedKeys(string workspace, out IReadOnlyList<Diagnostic> problems)
    {
        var path = Path.Combine(workspace, GatewayWorkspace.TrustedKeysFileName);
        problems = [];
        if (!File.Exists(path))
        {
            return [];
        }

        var trusted = TrustedKeys.Read(File.ReadAllText(path), path, out problems);
        return [.. trusted.Signers.SelectMany(trusted.KeysFor).Select(DsseVerifierKey.FromNoteKey).DistinctBy(k => k.KeyId)];
    }

    /// <summary>Reads and verifies every stored registration, of one agreement or of all.</summary>
    /// <returns>The artifacts that verified (with the key id that signed each), and an EVD8102 warning for each that did not.</returns>
    public static (IReadOnlyList<ComplianceArtifact> Artifacts, IReadOnlyList<Diagnostic> Problems) Load(string workspace, IReadOnlyCollection<DsseVerifierKey> trusted, AgreementId? agreement)
    {
        var folder = Path.Combine(workspace, FolderName);
        if (agreement is { } id)
        {
            folder = Path.Combine(folder, id.Value);
        }

        var artifacts = new List<ComplianceArtifact>();
        var problems = new List<Diagnostic>();
        if (!Directory.Exists(folder))
        {
            return (artifacts, problems);
        }

        foreach (var file in Directory.EnumerateFiles(folder, "*.dsse.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var verified = Attestation.Verify(File.ReadAllBytes(file), trusted, AttestationPredicateTypes.ComplianceArtifact);
            var relative = Path.GetRelativePath(workspace, file);
            if (!verified.IsVerified)
            {
                problems.Add(EvidenceErrorCodes.ArtifactUnusable.Warning($"`{relative}`: {verified.Error!.Message}"));
            }
            else if (!ComplianceArtifact.TryFromStatement(verified.Statement!, out var artifact, out var error))
            {
                problems.Add(EvidenceErrorCodes.ArtifactUnusable.Warning($"`{relative}`: {error.Message}"));
            }
            else
            {
                artifacts.Add(artifact with { SignedBy = verified.KeyId });
            }
        }

        return (artifacts, problems);
    }
}
