using Concordat.Agreements;

namespace Concordat.Gateway.Datasets;

/// <summary>What to stream: the dataset, for whom and why, in which format, under which grant of which agreement.</summary>
internal sealed record RowEgressRequest(DatasetId Dataset, PartyId Recipient, PurposeId Purpose, RowFormat Format, Agreement Agreement, Grant Grant);
