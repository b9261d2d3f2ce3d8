namespace Concordat.Decisions;

/// <summary>
/// An agreement's reference, window and the decisions that name only it, built once at compile time.
/// </summary>
internal sealed class CompiledAgreement
{
    public required AgreementReference Reference { get; init; }

    public required bool IsInForce { get; init; }

    public required long From { get; init; }

    public required long Until { get; init; }

    public required Decision OutsideWindow { get; init; }

    public required Decision NotPermitted { get; init; }
}
