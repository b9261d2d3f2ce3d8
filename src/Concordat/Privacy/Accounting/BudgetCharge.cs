namespace Concordat.Privacy.Accounting;

/// <summary>The outcome of charging a query to a budget (or of pricing it, on a dry run).</summary>
/// <param name="IsAllowed">Whether the budget covers the query.</param>
/// <param name="IsCharged">Whether the spend was recorded (allowed and not a dry run).</param>
/// <param name="Refusal">Why it is not allowed, or <see langword="null"/>.</param>
/// <param name="Before">The budget before the query.</param>
/// <param name="After">The budget after the query; equal to <see cref="Before"/> when nothing was spent.</param>
public sealed record BudgetCharge(bool IsAllowed, bool IsCharged, string? Refusal, BudgetStatus Before, BudgetStatus After);
