namespace Concordat.Testing.Decisions;

/// <summary>
/// What a Cedar differential compared: requests in all, Concordat's permits, its denies by a prohibition, its denies
/// before any clause was read, Cedar's parse and decide time, and the differences found (at most a few, described).
/// </summary>
public sealed record CedarDifferentialResult(int Compared, int Permits, int Forbidden, int DecidedBeforeClauses, double CedarParseMilliseconds, double CedarDecideMilliseconds, IReadOnlyList<string> Differences);
