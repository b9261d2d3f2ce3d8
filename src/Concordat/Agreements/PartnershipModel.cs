namespace Concordat.Agreements;

/// <summary>
/// The partnership model an agreement belongs to; lint rules depend on it.
/// </summary>
// CAUTION: persisted/public format; see docs/formats/agreement.md
public enum PartnershipModel
{
    /// <summary>Two organisations.</summary>
    Bilateral,

    /// <summary>Several organisations pooling data under one agreement.</summary>
    Consortium,

    /// <summary>A community-curated resource shared openly under terms.</summary>
    OpenSourceCommunity,

    /// <summary>A trust that holds data on behalf of many contributors.</summary>
    FederatedDataTrust,

    /// <summary>A vendor providing data or models to a customer.</summary>
    VendorLed,
}
