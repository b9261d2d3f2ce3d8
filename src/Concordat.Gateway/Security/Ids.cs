using System.Text.RegularExpressions;
using Concordat.Agreements;

namespace Concordat.Gateway.Security;

/// <summary>
/// The shape every id taken from a request must have before it reaches the store or the log.
/// </summary>
/// <remarks>
/// Security: letters, digits, <c>.</c>, <c>_</c> and <c>-</c> only, at most 128 characters, not starting with a
/// dot: no path separators, no <c>..</c>, no quotes or SQL metacharacters, nothing a log reader could mistake.
/// </remarks>
internal static partial class Ids
{
    /// <summary>Tells whether <paramref name="id"/> has the shape of an id.</summary>
    public static bool IsValid(string? id) => id is not null && Shape().IsMatch(id) && !id.Contains("..", StringComparison.Ordinal);

    /// <summary>The problem detail when a request's <c>subprocessor</c> is not a party id.</summary>
    public const string InvalidSubprocessor = "`subprocessor`, when given, must be a party id (letters, digits, `.`, `_`, `-`)";

    /// <summary>Reads an optional party id of a request: absent is <see langword="null"/>; present, it must have the shape of an id.</summary>
    public static bool TryReadOptionalParty(string? value, out PartyId? party)
    {
        party = value is not null && IsValid(value) ? new PartyId(value) : null;
        return value is null || party is not null;
    }

    [GeneratedRegex("^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
