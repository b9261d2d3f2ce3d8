using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using Concordat.Agreements;
using Concordat.Attestations;
using Concordat.Core;
using Concordat.Data.Datasets;
using Concordat.Data.Egress;
using Concordat.Decisions;
using Concordat.Incidents;
using Concordat.Log;

namespace Concordat.Gateway.Problems;

/// <summary>
/// Every error code the gateway can answer with or pass on (its own GW codes, and the AGR, POL and LOG codes of the
/// library in the diagnostics it returns), found by code, whatever its case: what <c>/errors/{code}</c> explains.
/// </summary>
internal static class ErrorCatalog
{
    // Invariant: a code is in one table only; building the dictionary throws at start-up otherwise.
    private static readonly FrozenDictionary<string, ErrorCode> s_codes = new[]
    {
        typeof(AgreementDiagnosticCodes),
        typeof(DecisionErrorCodes),
        typeof(LogErrorCodes),
        typeof(AttestationErrorCodes),
        typeof(IncidentErrorCodes),
        typeof(ProblemCode),
        typeof(DatasetErrorCodes),
        typeof(EgressErrorCodes),
        typeof(Concordat.Data.Aggregates.AggregateErrorCodes),
        typeof(Concordat.Licences.LicenceErrorCodes),
        typeof(Concordat.Evidence.EvidenceErrorCodes),
    }.SelectMany(ErrorCode.ListTable).ToFrozenDictionary(e => e.Code, StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets every entry.</summary>
    public static IReadOnlyCollection<ErrorCode> All => s_codes.Values;

    /// <summary>Finds the entry of <paramref name="code"/>, ignoring case.</summary>
    public static bool TryFind(string code, [NotNullWhen(true)] out ErrorCode? entry) => s_codes.TryGetValue(code, out entry);
}
