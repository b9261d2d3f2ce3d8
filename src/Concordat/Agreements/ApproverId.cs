namespace Concordat.Agreements;

/// <summary>
/// The id of a required approver, such as an ethics board or a data protection officer.
/// </summary>
/// <param name="Value">The id as written in the agreement.</param>
// CAUTION: persisted/public format; see docs/formats/agreement.md
public readonly record struct ApproverId(string Value)
{
    /// <summary>Returns the id as written.</summary>
    /// <returns>The id.</returns>
    public override string ToString() => Value;
}
