namespace Concordat.Incidents;

/// <summary>The kinds of gateway entry the detectors and the KPIs read.</summary>
internal enum UsageEventKind
{
    /// <summary>An entry they do not read.</summary>
    Other,

    /// <summary><c>gateway.decision/v1</c>.</summary>
    Decision,

    /// <summary><c>gateway.egress/v1</c>.</summary>
    Egress,

    /// <summary><c>gateway.token-issued/v1</c>.</summary>
    TokenIssued,

    /// <summary><c>gateway.refusal/v1</c> of a known recipient, other than a rate limit.</summary>
    Refusal,

    /// <summary><c>gateway.seal/v1</c>.</summary>
    Seal,
}
