namespace Concordat.Lineage;

/// <summary>A stored dataset version, as its import entry records it.</summary>
/// <param name="Dataset">The dataset id.</param>
/// <param name="Version">The version number.</param>
/// <param name="Manifest">The digest of its manifest.</param>
/// <param name="Rows">Rows stored.</param>
/// <param name="ImportedAt">When it was imported (the entry's time).</param>
/// <param name="LogIndex">The index of its import entry.</param>
// CAUTION: public format (the CLI's JSON output); see docs/formats/lineage.md
public sealed record LineageDatasetVersion(string Dataset, int Version, string Manifest, long Rows, DateTimeOffset ImportedAt, long LogIndex)
{
    /// <summary>Gets the version's name, <c>dataset@version</c>.</summary>
    public string Name => $"{Dataset}@{Version}";
}

/// <summary>One egress, with the decision and terms it left under.</summary>
/// <param name="DecisionId">The egress decision id.</param>
/// <param name="TokenId">The token it was read with.</param>
/// <param name="Recipient">The recipient.</param>
/// <param name="Dataset">The dataset id.</param>
/// <param name="Version">The dataset version served.</param>
/// <param name="Agreement">The agreement that permitted it (id), when its decision entry is in the log.</param>
/// <param name="AgreementDigest">That agreement's digest.</param>
/// <param name="Purpose">The purpose it was granted for.</param>
/// <param name="Rows">Rows sent.</param>
/// <param name="IsComplete">Whether the stream ran to its end.</param>
/// <param name="At">When the egress ended.</param>
/// <param name="LogIndex">The index of its egress entry.</param>
// CAUTION: public format (the CLI's JSON output); see docs/formats/lineage.md
public sealed record LineageEgress(string DecisionId, string TokenId, string Recipient, string Dataset, int Version, string? Agreement, string? AgreementDigest, string? Purpose, long Rows, bool IsComplete, DateTimeOffset At, long LogIndex);

/// <summary>An agreement version the log names, by digest.</summary>
/// <param name="Id">The agreement id.</param>
/// <param name="Version">The version.</param>
/// <param name="Digest">The digest.</param>
// CAUTION: public format (the CLI's JSON output); see docs/formats/lineage.md
public sealed record LineageAgreement(string Id, int Version, string Digest);

/// <summary>A registered model, from its verified <c>model/v1</c> attestation.</summary>
/// <param name="Name">The model's name.</param>
/// <param name="Trainer">Who trained it.</param>
/// <param name="Purpose">The purpose it was trained for.</param>
/// <param name="Checkpoints">Its checkpoint files: name and <c>sha256:</c> digest.</param>
/// <param name="Inputs">What it was trained on.</param>
/// <param name="RegisteredAt">When it was registered, as its attestation says.</param>
// CAUTION: public format (the CLI's JSON output); see docs/formats/lineage.md
public sealed record LineageModel(string Name, string Trainer, string Purpose, IReadOnlyList<LineageSubject> Checkpoints, IReadOnlyList<LineageInput> Inputs, DateTimeOffset RegisteredAt)
{
    /// <summary>Gets the model's IP category (<c>background</c>, <c>foreground</c>, <c>third-party</c>), when its attestation records one.</summary>
    public string? Ip { get; init; }

    /// <summary>Gets who owns the model as its attestation records it: the parties its agreements' IP terms give, or the external owner of third-party IP; empty when not recorded.</summary>
    public IReadOnlyList<string> Owners { get; init; } = [];
}

/// <summary>A named artifact with its SHA-256 digest.</summary>
/// <param name="Name">The name.</param>
/// <param name="Sha256">The digest, <c>sha256:&lt;hex&gt;</c>.</param>
public sealed record LineageSubject(string Name, string Sha256);

/// <summary>A model's training input, resolved as far as the graph can.</summary>
/// <param name="Kind">What it is: <c>egress</c>, <c>dataset-version</c> or <c>model</c>.</param>
/// <param name="Reference">The egress decision id, the dataset version (<c>dataset@version</c>) or the first checkpoint's digest.</param>
public sealed record LineageInput(string Kind, string Reference);
