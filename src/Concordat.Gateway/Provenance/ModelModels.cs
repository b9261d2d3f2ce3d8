using Concordat.Licences;

namespace Concordat.Gateway.Provenance;

/// <summary>The body of <c>POST /v1/models</c>: the model, what trained it and under which terms.</summary>
/// <param name="Name">The model's name (an id).</param>
/// <param name="Version">Its version (an id); <c>name@version</c> is the model's id.</param>
/// <param name="Checkpoints">The checkpoint files, each its name and SHA-256 (<c>sha256:&lt;hex&gt;</c>).</param>
/// <param name="TrainingConfig">The SHA-256 of the training configuration.</param>
/// <param name="Inputs">The training inputs, each an attestation the gateway holds.</param>
/// <param name="Trainer">Who trained it (a party id).</param>
/// <param name="Purpose">The purpose it was trained for.</param>
/// <param name="Licence">Its SPDX licence expression.</param>
/// <param name="Use">What it is for: <c>research</c>, <c>evaluation</c>, <c>non-commercial</c> or <c>commercial</c>; by default, from the purpose.</param>
/// <param name="Ip">Where its IP comes from: <c>foreground</c> (the default), <c>background</c> or <c>third-party</c>.</param>
/// <param name="IpOwner">With <c>third-party</c>: who owns it outside the agreements.</param>
internal sealed record ModelRegistrationRequest(
    string? Name,
    string? Version,
    IReadOnlyList<ModelCheckpointDocument>? Checkpoints,
    string? TrainingConfig,
    IReadOnlyList<ModelInputReference>? Inputs,
    string? Trainer,
    string? Purpose,
    string? Licence,
    string? Use,
    string? Ip,
    string? IpOwner);

/// <summary>One checkpoint file of a model.</summary>
/// <param name="Name">The file's name (its path relative to the checkpoint folder).</param>
/// <param name="Sha256">Its SHA-256, <c>sha256:&lt;hex&gt;</c>.</param>
internal sealed record ModelCheckpointDocument(string? Name, string? Sha256);

/// <summary>A training input, named by the attestation the gateway holds of it.</summary>
/// <param name="Kind"><c>egress</c> (by decision id), <c>dataset-version</c> (<c>dataset@version</c>) or <c>model</c> (<c>name@version</c>, a model registered here).</param>
/// <param name="Id">The egress decision id, dataset version or model id.</param>
internal sealed record ModelInputReference(string? Kind, string? Id);

/// <summary>A registered model, as its attestation states it.</summary>
/// <param name="Id">Its id, <c>name@version</c>.</param>
/// <param name="Name">Its name.</param>
/// <param name="Version">Its version.</param>
/// <param name="Trainer">Who trained it.</param>
/// <param name="Purpose">The purpose it was trained for.</param>
/// <param name="Licence">Its licence, when it declared one.</param>
/// <param name="Use">The use its licences were checked for.</param>
/// <param name="RegisteredAt">When it was registered.</param>
/// <param name="Checkpoints">Its checkpoint files.</param>
/// <param name="Inputs">Its training inputs, each by predicate type and first subject.</param>
/// <param name="Attestation">Where its signed attestation is served.</param>
internal sealed record ModelRecord(
    string Id,
    string Name,
    string Version,
    string Trainer,
    string Purpose,
    string? Licence,
    string? Use,
    DateTimeOffset RegisteredAt,
    IReadOnlyList<ModelCheckpointDocument> Checkpoints,
    IReadOnlyList<ModelInputSummary> Inputs,
    string Attestation);

/// <summary>One training input as a model's attestation records it.</summary>
/// <param name="PredicateType">The predicate type of the input's attestation.</param>
/// <param name="Subject">Its first subject's name.</param>
/// <param name="Sha256">Its first subject's SHA-256.</param>
internal sealed record ModelInputSummary(string PredicateType, string Subject, string? Sha256);

/// <summary>The answer to <c>POST /v1/models</c>: the model, its attestation's digest and key, the credits it MUST carry, its IP and the warnings.</summary>
/// <param name="Model">The registered model.</param>
/// <param name="Envelope">The SHA-256 of the attestation's envelope exactly as served (the log entry names it).</param>
/// <param name="KeyId">The key id that signed it.</param>
/// <param name="Attributions">The credits collected from the inputs.</param>
/// <param name="IpCategory">Where its IP comes from.</param>
/// <param name="Owners">Its IP owners (the external owner for third-party IP).</param>
/// <param name="Warnings">The findings that did not refuse it, each <c>CODE: message</c>.</param>
internal sealed record ModelRegistered(
    ModelRecord Model,
    string Envelope,
    string KeyId,
    IReadOnlyList<LicenceAttribution> Attributions,
    string IpCategory,
    IReadOnlyList<string> Owners,
    IReadOnlyList<string> Warnings);
