using Concordat.Agreements;

namespace Concordat.Licences;

/// <summary>
/// An artifact to classify: what it is, where it comes from, and who brought or made it.
/// </summary>
/// <param name="Name">How messages name the artifact.</param>
/// <param name="Kind">What it is.</param>
/// <param name="Category">Where its IP comes from.</param>
/// <param name="Party">The party that brought it (background) or created it (foreground); <see langword="null"/> for third-party IP.</param>
/// <param name="ExternalOwner">The owner of third-party IP, as named by its licence.</param>
/// <param name="Licence">The SPDX licence expression of third-party IP.</param>
public sealed record IpArtifact(string Name, ArtifactKind Kind, IpCategory Category, PartyId? Party = null, string? ExternalOwner = null, string? Licence = null);
