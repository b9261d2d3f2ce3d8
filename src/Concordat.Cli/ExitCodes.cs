namespace Concordat.Cli;

/// <summary>
/// Exit codes a script can branch on; stable, documented in docs/cli.md.
/// </summary>
internal static class ExitCodes
{
    /// <summary>Success; for <c>decide</c>, a permit.</summary>
    public const int Ok = 0;

    /// <summary>An error of the environment or a bug: a file that cannot be read, a lock held elsewhere.</summary>
    public const int Error = 1;

    /// <summary>The request was decided and denied.</summary>
    public const int Denied = 2;

    /// <summary>The input is invalid: the diagnostics say why.</summary>
    public const int Invalid = 3;

    /// <summary>A signature, proof or log check did not hold.</summary>
    public const int VerificationFailed = 4;
}
