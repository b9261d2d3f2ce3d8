namespace Concordat.Attestations;

/// <summary>One training input of a model: a verified attestation (egress, dataset version or model) and how to name it.</summary>
/// <param name="Reference">How messages name the input (the envelope's file name, or its first subject).</param>
/// <param name="Statement">The verified statement of the input's attestation.</param>
public sealed record ModelInput(string Reference, InTotoStatement Statement);
