using Concordat.Agreements;
using Concordat.Core;

namespace Concordat.Gateway.Agreements;

/// <summary>An agreement version in force, with the digest its signatures sign.</summary>
internal sealed record ActiveAgreement(Agreement Agreement, int Version, Sha256Digest Digest);
