using Concordat.Agreements;

namespace Concordat.Data.Egress;

/// <summary>
/// One column as it leaves under a plan: its name, the type the agreement declares and whether a field rule changes
/// its values.
/// </summary>
/// <param name="Name">The field name.</param>
/// <param name="Type">The type the agreement declares for the field.</param>
/// <param name="IsTransformed">Whether a field rule (mask, pseudonymise, generalise) rewrites its values, which then leave as text.</param>
public sealed record EgressField(FieldName Name, FieldType Type, bool IsTransformed);
