namespace Concordat.Compliance;

/// <summary>A fact computed from the transparency log that satisfies a checklist item instead of a document.</summary>
// CAUTION: persisted/public format; see docs/formats/compliance-checklist.md
public enum LogEvidence
{
    /// <summary>The log exists and verifies: every hash recomputes and every checkpoint is consistent (<c>log-verifies</c>).</summary>
    LogVerifies,

    /// <summary>The log's latest checkpoint is signed by the log key (<c>checkpoint-signed</c>).</summary>
    CheckpointSigned,

    /// <summary>The log's latest checkpoint carries at least one verified witness cosignature (<c>checkpoint-cosigned</c>).</summary>
    CheckpointCosigned,

    /// <summary>Every grant that lets rows of a dataset carrying a consent basis leave requires consent per row (<c>consent-enforced</c>).</summary>
    ConsentEnforced,
}
