using Concordat.Agreements;
using Concordat.Core;

namespace Concordat.Attestations;

/// <summary>What a model registration claims, before it is checked and attested.</summary>
/// <param name="Model">The model's name.</param>
/// <param name="Checkpoints">The checkpoint files as subjects (name and SHA-256).</param>
/// <param name="TrainingConfig">The digest of the training configuration.</param>
/// <param name="Inputs">The training inputs, each a verified attestation.</param>
/// <param name="Trainer">Who trained the model.</param>
/// <param name="Purpose">The purpose the model was trained for.</param>
/// <param name="Agreements">The agreements the inputs were obtained under, with their digests.</param>
/// <param name="Licence">The model's declared licence (an SPDX expression), when it has one.</param>
/// <param name="At">When the model is registered.</param>
public sealed record ModelRegistration(
    string Model,
    IReadOnlyList<AttestationSubject> Checkpoints,
    Sha256Digest TrainingConfig,
    IReadOnlyList<ModelInput> Inputs,
    string Trainer,
    PurposeId Purpose,
    IReadOnlyList<(Agreement Agreement, Sha256Digest Digest)> Agreements,
    string? Licence,
    DateTimeOffset At)
{
    /// <summary>Gets the model's version, recorded in its statement when given (models registered over HTTP have one).</summary>
    public string? Version { get; init; }

    /// <summary>Gets the model's known limitations as the trainer states them, one sentence each; the model card lists them.</summary>
    /// <value>None.</value>
    public IReadOnlyList<string> Limitations { get; init; } = [];
}
