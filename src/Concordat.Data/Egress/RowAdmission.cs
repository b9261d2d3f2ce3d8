namespace Concordat.Data.Egress;

/// <summary>What the row rules of an <see cref="EgressPlan"/> say of one stored row.</summary>
internal enum RowAdmission
{
    /// <summary>The row may be used.</summary>
    Admitted,

    /// <summary>The row's consent does not cover the request's purpose.</summary>
    WithheldByConsent,

    /// <summary>The row's residency is not an accepted jurisdiction.</summary>
    WithheldByResidency,
}
