using Concordat.Decisions;

namespace Concordat.Gateway.Agreements;

/// <summary>The agreements in force and the index compiled from them: one consistent set a request is decided against.</summary>
/// <param name="Agreements">The agreements in force.</param>
/// <param name="Index">The decision index compiled from them.</param>
internal sealed record PolicySnapshot(IReadOnlyList<ActiveAgreement> Agreements, PolicyIndex Index)
{
    /// <summary>Gets the snapshot of no agreement: every request is denied.</summary>
    public static PolicySnapshot Empty { get; } = Compile([]);

    /// <summary>Compiles the index of <paramref name="agreements"/>.</summary>
    public static PolicySnapshot Compile(IReadOnlyList<ActiveAgreement> agreements) =>
        new(agreements, PolicyIndex.Compile(agreements.Select(a => new PolicyAgreement(a.Agreement, a.Digest))));

    /// <summary>Finds the agreement in force that <paramref name="reference"/> names (by id and digest).</summary>
    public ActiveAgreement Find(AgreementReference reference) =>
        Agreements.First(a => a.Agreement.Id == reference.Id && a.Digest == reference.Digest);
}
