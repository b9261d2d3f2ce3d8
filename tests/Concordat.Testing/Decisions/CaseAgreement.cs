namespace Concordat.Testing.Decisions;

/// <summary>An agreement a decision case file uses: a builder of <see cref="CorpusAgreements"/> or a sample file.</summary>
/// <param name="Builder">The builder name, when built in code.</param>
/// <param name="File">The path of an agreement file relative to the repository, when read from a file.</param>
/// <param name="InForce">Whether the case treats the agreement as in force.</param>
public sealed record CaseAgreement(string? Builder, string? File, bool InForce);
