namespace Concordat.Licences;

/// <summary>
/// The compatibility table of docs/design/licences.md: each licence the check can judge, by identifier. A licence
/// without a row cannot be judged, and the check fails closed on it.
/// </summary>
/// <remarks>
/// Keys are SPDX identifiers in canonical case, or Concordat's <c>LicenseRef-</c> names for licences the SPDX list does
/// not carry (model licences, research-only terms). Deprecated identifiers and <c>+</c> are resolved before lookup:
/// <c>GPL-2.0</c> is <c>GPL-2.0-only</c>, <c>GPL-2.0+</c> is <c>GPL-2.0-or-later</c>.
/// </remarks>
public static class LicenceRules
{
    private const string PublicDomain = "public domain";
    private const string Permissive = "permissive";
    private const string OpenData = "open data, attribution";
    private const string OpenDataShareAlike = "open data, share-alike";
    private const string WeakCopyleft = "weak copyleft";
    private const string StrongCopyleft = "strong copyleft";
    private const string NetworkCopyleft = "network copyleft";
    private const string NonCommercial = "non-commercial";
    private const string NoDerivatives = "no-derivatives";
    private const string ResearchOnly = "research-only";
    private const string ModelLicence = "model licence";

    private static readonly string[] s_gpl2OrLater = ["GPL-2.0-only", "GPL-2.0-or-later", "GPL-3.0-only", "GPL-3.0-or-later", "AGPL-3.0-only", "AGPL-3.0-or-later"];
    private static readonly string[] s_gpl3 = ["GPL-3.0-only", "GPL-3.0-or-later", "AGPL-3.0-only", "AGPL-3.0-or-later"];
    private static readonly string[] s_agpl3 = ["AGPL-3.0-only", "AGPL-3.0-or-later"];

    #region The table (docs/design/licences.md shows the same rows)
    private static readonly Dictionary<string, LicenceRule> s_rules = new Dictionary<string, LicenceRule>(StringComparer.Ordinal)
    {
        ["CC0-1.0"] = new(PublicDomain, LicenceConditions.None, []),
        ["PDDL-1.0"] = new(PublicDomain, LicenceConditions.None, []),
        ["Unlicense"] = new(PublicDomain, LicenceConditions.None, []),
        ["0BSD"] = new(PublicDomain, LicenceConditions.None, []),

        ["MIT"] = new(Permissive, LicenceConditions.None, []),
        ["BSD-2-Clause"] = new(Permissive, LicenceConditions.None, []),
        ["BSD-3-Clause"] = new(Permissive, LicenceConditions.None, []),
        ["ISC"] = new(Permissive, LicenceConditions.None, []),
        ["Apache-2.0"] = new(Permissive, LicenceConditions.None, []),
        ["Zlib"] = new(Permissive, LicenceConditions.None, []),
        ["BSL-1.0"] = new(Permissive, LicenceConditions.None, []),
        ["CDLA-Permissive-1.0"] = new(Permissive, LicenceConditions.None, []),
        ["CDLA-Permissive-2.0"] = new(Permissive, LicenceConditions.None, []),
        ["C-UDA-1.0"] = new(Permissive, LicenceConditions.None, []),

        ["CC-BY-3.0"] = new(OpenData, LicenceConditions.Attribution, []),
        ["CC-BY-4.0"] = new(OpenData, LicenceConditions.Attribution, []),
        ["ODC-By-1.0"] = new(OpenData, LicenceConditions.Attribution, []),

        ["CC-BY-SA-3.0"] = new(OpenDataShareAlike, LicenceConditions.Attribution | LicenceConditions.ShareAlike, ["CC-BY-SA-3.0", "CC-BY-SA-4.0"]),
        ["CC-BY-SA-4.0"] = new(OpenDataShareAlike, LicenceConditions.Attribution | LicenceConditions.ShareAlike, ["CC-BY-SA-4.0", "GPL-3.0-only", "GPL-3.0-or-later"]),
        ["ODbL-1.0"] = new(OpenDataShareAlike, LicenceConditions.Attribution | LicenceConditions.ShareAlike, ["ODbL-1.0"]),
        ["CDLA-Sharing-1.0"] = new(OpenDataShareAlike, LicenceConditions.ShareAlike, ["CDLA-Sharing-1.0"]),

        ["LGPL-2.1-only"] = new(WeakCopyleft, LicenceConditions.ShareAlike, ["LGPL-2.1-only", .. s_gpl2OrLater]),
        ["LGPL-2.1-or-later"] = new(WeakCopyleft, LicenceConditions.ShareAlike, ["LGPL-2.1-only", "LGPL-2.1-or-later", "LGPL-3.0-only", "LGPL-3.0-or-later", .. s_gpl2OrLater]),
        ["LGPL-3.0-only"] = new(WeakCopyleft, LicenceConditions.ShareAlike, ["LGPL-3.0-only", .. s_gpl3]),
        ["LGPL-3.0-or-later"] = new(WeakCopyleft, LicenceConditions.ShareAlike, ["LGPL-3.0-only", "LGPL-3.0-or-later", .. s_gpl3]),
        ["MPL-2.0"] = new(WeakCopyleft, LicenceConditions.ShareAlike, ["MPL-2.0", "LGPL-2.1-or-later", "GPL-2.0-or-later", .. s_gpl3]),
        ["MPL-2.0-no-copyleft-exception"] = new(WeakCopyleft, LicenceConditions.ShareAlike, ["MPL-2.0-no-copyleft-exception"]),
        ["EPL-2.0"] = new(WeakCopyleft, LicenceConditions.ShareAlike, ["EPL-2.0"]),

        ["GPL-2.0-only"] = new(StrongCopyleft, LicenceConditions.ShareAlike, ["GPL-2.0-only"]),
        ["GPL-2.0-or-later"] = new(StrongCopyleft, LicenceConditions.ShareAlike, ["GPL-2.0-only", "GPL-2.0-or-later", "GPL-3.0-only", "GPL-3.0-or-later"]),
        ["GPL-3.0-only"] = new(StrongCopyleft, LicenceConditions.ShareAlike, ["GPL-3.0-only", "AGPL-3.0-only"]),
        ["GPL-3.0-or-later"] = new(StrongCopyleft, LicenceConditions.ShareAlike, s_gpl3),

        ["AGPL-3.0-only"] = new(NetworkCopyleft, LicenceConditions.ShareAlike, ["AGPL-3.0-only"]),
        ["AGPL-3.0-or-later"] = new(NetworkCopyleft, LicenceConditions.ShareAlike, s_agpl3),

        ["CC-BY-NC-3.0"] = new(NonCommercial, LicenceConditions.Attribution | LicenceConditions.NonCommercial, []),
        ["CC-BY-NC-4.0"] = new(NonCommercial, LicenceConditions.Attribution | LicenceConditions.NonCommercial, []),
        ["CC-BY-NC-SA-3.0"] = new(NonCommercial, LicenceConditions.Attribution | LicenceConditions.NonCommercial | LicenceConditions.ShareAlike, ["CC-BY-NC-SA-3.0", "CC-BY-NC-SA-4.0"]),
        ["CC-BY-NC-SA-4.0"] = new(NonCommercial, LicenceConditions.Attribution | LicenceConditions.NonCommercial | LicenceConditions.ShareAlike, ["CC-BY-NC-SA-4.0"]),
        ["CC-BY-NC-ND-3.0"] = new(NonCommercial, LicenceConditions.Attribution | LicenceConditions.NonCommercial | LicenceConditions.NoDerivatives, []),
        ["CC-BY-NC-ND-4.0"] = new(NonCommercial, LicenceConditions.Attribution | LicenceConditions.NonCommercial | LicenceConditions.NoDerivatives, []),

        ["CC-BY-ND-3.0"] = new(NoDerivatives, LicenceConditions.Attribution | LicenceConditions.NoDerivatives, []),
        ["CC-BY-ND-4.0"] = new(NoDerivatives, LicenceConditions.Attribution | LicenceConditions.NoDerivatives, []),

        ["LicenseRef-Research-Only"] = new(ResearchOnly, LicenceConditions.ResearchOnly, []),

        ["LicenseRef-OpenRAIL-M"] = new(ModelLicence, LicenceConditions.Attribution | LicenceConditions.ShareAlike, ["LicenseRef-OpenRAIL-M"]),
        ["LicenseRef-Llama-3-Community"] = new(ModelLicence, LicenceConditions.Attribution | LicenceConditions.ShareAlike, ["LicenseRef-Llama-3-Community"]),
        ["LicenseRef-Gemma-Terms"] = new(ModelLicence, LicenceConditions.ShareAlike, ["LicenseRef-Gemma-Terms"]),
    };
    #endregion

    /// <summary>Gets every row, by licence identifier.</summary>
    public static IReadOnlyDictionary<string, LicenceRule> All => s_rules;

    /// <summary>Resolves a term to the identifier its row is keyed by: deprecated ids to their <c>-only</c> form, <c>+</c> to <c>-or-later</c>.</summary>
    /// <param name="term">The term (its exception is not part of the key).</param>
    /// <returns>The identifier to look up.</returns>
    public static string KeyOf(LicenceTerm term)
    {
        ArgumentNullException.ThrowIfNull(term);
        var list = SpdxLicenceList.Default;
        var id = term.Id;
        var bare = id.EndsWith("-only", StringComparison.Ordinal) ? id[..^"-only".Length] : id.EndsWith("-or-later", StringComparison.Ordinal) ? id[..^"-or-later".Length] : id;
        if (term.OrLater && list.TryFindLicence(bare + "-or-later", out var later, out _))
        {
            return later;
        }

        return list.TryFindLicence(id, out _, out var isDeprecated) && isDeprecated && list.TryFindLicence(id + "-only", out var only, out _) ? only : id;
    }

    /// <summary>Finds the row of a term.</summary>
    /// <param name="term">The term.</param>
    /// <param name="rule">The row, when there is one.</param>
    /// <returns>Whether the table has a row for the term.</returns>
    public static bool TryFind(LicenceTerm term, out LicenceRule rule) => s_rules.TryGetValue(KeyOf(term), out rule!);
}
