namespace Concordat.Agreements.Conditions;

/// <summary>
/// The values of Kleene's three-valued logic, ordered so that <c>and</c> is the minimum, <c>or</c> the maximum and
/// <c>not</c> is <c>2 - x</c>. A condition on an attribute whose value is not known is <see cref="Unknown"/>.
/// </summary>
internal enum Truth : byte
{
    False = 0,
    Unknown = 1,
    True = 2,
}
