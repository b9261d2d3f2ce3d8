using System.Text.Json;
using Concordat.Agreements.Reading;

namespace Concordat.Licences;

/// <summary>
/// The SPDX licence list and exceptions list this build carries, vendored from npm (<c>spdx-license-ids</c>
/// <see cref="LicenceListVersion"/>, <c>spdx-exceptions</c> <see cref="ExceptionListVersion"/>; see
/// <c>src/Concordat/Licences/Data/README.md</c>). Identifiers match without regard to case.
/// </summary>
/// <remarks>
/// <see href="https://spdx.github.io/spdx-spec/v2.3/SPDX-license-expressions/">SPDX specification, Annex D.2</see>:
/// licence and exception identifiers MUST be matched case-insensitively; lookups answer the list's canonical case.
/// </remarks>
public sealed class SpdxLicenceList
{
    /// <summary>The version of the <c>spdx-license-ids</c> package the licence identifiers come from.</summary>
    public const string LicenceListVersion = "3.0.24";

    /// <summary>The version of the <c>spdx-exceptions</c> package the exception identifiers come from.</summary>
    public const string ExceptionListVersion = "2.5.0";

    private readonly Dictionary<string, string> _licences;
    private readonly HashSet<string> _deprecatedLicences;
    private readonly Dictionary<string, string> _exceptions;
    private readonly HashSet<string> _deprecatedExceptions;

    private SpdxLicenceList(string[] licences, string[] deprecatedLicences, string[] exceptions, string[] deprecatedExceptions)
    {
        _licences = licences.Concat(deprecatedLicences).ToDictionary(id => id, StringComparer.OrdinalIgnoreCase);
        _deprecatedLicences = deprecatedLicences.ToHashSet(StringComparer.OrdinalIgnoreCase);
        _exceptions = exceptions.Concat(deprecatedExceptions).ToDictionary(id => id, StringComparer.OrdinalIgnoreCase);
        _deprecatedExceptions = deprecatedExceptions.ToHashSet(StringComparer.OrdinalIgnoreCase);
        Licences = licences;
        Exceptions = exceptions;
    }

    /// <summary>Gets the list this build carries.</summary>
    public static SpdxLicenceList Default { get; } = new(
        Load("spdx-license-ids.json"),
        Load("spdx-license-ids-deprecated.json"),
        Load("spdx-exceptions.json"),
        Load("spdx-exceptions-deprecated.json"));

    /// <summary>Gets the licence identifiers that are not deprecated, in the list's order and case.</summary>
    public IReadOnlyList<string> Licences { get; }

    /// <summary>Gets the exception identifiers that are not deprecated, in the list's order and case.</summary>
    public IReadOnlyList<string> Exceptions { get; }

    /// <summary>Finds a licence identifier in any case.</summary>
    /// <param name="id">The identifier as written.</param>
    /// <param name="canonical">The identifier in the list's case, when found.</param>
    /// <param name="isDeprecated">Whether the list marks it deprecated.</param>
    /// <returns>Whether the identifier is on the list.</returns>
    public bool TryFindLicence(string id, out string canonical, out bool isDeprecated) =>
        TryFind(_licences, _deprecatedLicences, id, out canonical, out isDeprecated);

    /// <summary>Finds an exception identifier in any case.</summary>
    /// <param name="id">The identifier as written.</param>
    /// <param name="canonical">The identifier in the list's case, when found.</param>
    /// <param name="isDeprecated">Whether the list marks it deprecated.</param>
    /// <returns>Whether the identifier is on the list.</returns>
    public bool TryFindException(string id, out string canonical, out bool isDeprecated) =>
        TryFind(_exceptions, _deprecatedExceptions, id, out canonical, out isDeprecated);

    /// <summary>Suggests the known licence identifier closest to an unknown one.</summary>
    /// <param name="id">The unknown identifier.</param>
    /// <returns>The closest identifier that is not deprecated (a deprecated id close to it gives its <c>-only</c> form), or <see langword="null"/> when none is close.</returns>
    public string? ClosestLicence(string id) =>
        Closest(id, Licences.Select(l => (l, l)).Concat(_deprecatedLicences
            .Where(d => _licences.ContainsKey(d + "-only"))
            .Select(d => (d, _licences[d + "-only"]))));

    /// <summary>Suggests the known exception identifier closest to an unknown one.</summary>
    /// <param name="id">The unknown identifier.</param>
    /// <returns>The closest identifier that is not deprecated, or <see langword="null"/> when none is close.</returns>
    public string? ClosestException(string id) => Closest(id, Exceptions.Select(e => (e, e)));

    private static bool TryFind(Dictionary<string, string> ids, HashSet<string> deprecated, string id, out string canonical, out bool isDeprecated)
    {
        if (ids.TryGetValue(id, out var found))
        {
            canonical = found;
            isDeprecated = deprecated.Contains(found);
            return true;
        }

        canonical = string.Empty;
        isDeprecated = false;
        return false;
    }

    private static string? Closest(string id, IEnumerable<(string Key, string Suggestion)> candidates)
    {
        // Invariant: `-` and `.` carry little meaning in a misspelt id (`GPL3`, `Apache2`), so they are compared without them.
        static string Plain(string s) => s.Replace("-", string.Empty, StringComparison.Ordinal).Replace(".", string.Empty, StringComparison.Ordinal);
        var byPlain = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, suggestion) in candidates)
        {
            byPlain.TryAdd(Plain(key), suggestion);
        }

        var plain = Plain(id);
        if (plain.Length == 0)
        {
            return null;
        }

        if (byPlain.TryGetValue(plain, out var exact))
        {
            return exact;
        }

        return Suggestions.Closest(plain, byPlain.Keys) is { } closest ? byPlain[closest] : null;
    }

    private static string[] Load(string name)
    {
        using var stream = typeof(SpdxLicenceList).Assembly.GetManifestResourceStream($"Concordat.Licences.Data.{name}")
            ?? throw new InvalidOperationException($"the SPDX list resource `{name}` is missing from the build");
        return JsonSerializer.Deserialize<string[]>(stream) ?? throw new InvalidOperationException($"the SPDX list resource `{name}` is empty");
    }
}
