using System.Text.Json;
using Concordat.Agreements;
using Concordat.Log;
using Concordat.Retention;

namespace Concordat.Tests.Retention;

public sealed class RetentionLedgerTests
{
    private static readonly Agreement s_hospital = AgreementReader.Read(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "samples", "agreements", "hospital-research.yaml")), "hospital-research.yaml").Agreement!;
    private static readonly string s_digest = AgreementDigest.Compute(s_hospital).ToString();
    private static readonly DateTimeOffset s_egressAt = new(2026, 3, 1, 9, 30, 0, TimeSpan.Zero);

    [Fact]
    public void Status_HospitalEgress_DueUntilThirtyDaysPlusFourteenThenOverdue()
    {
        var ledger = Ledger(Decision("d-1", s_digest), Egress("d-1", "northwind-research", s_egressAt));

        var early = Assert.Single(ledger.Status(Agreements(), s_egressAt.AddDays(10), out var unknown));
        var late = Assert.Single(ledger.Status(Agreements(), s_egressAt.AddDays(44).AddSeconds(1), out _));

        Assert.Equal(0, unknown);
        Assert.Equal(RetentionState.Due, early.State);
        Assert.Equal(s_egressAt.AddDays(30), early.DeleteBy);
        Assert.Equal(s_egressAt.AddDays(44), early.AttestBy);
        Assert.Equal(("d-1", "northwind-research", "cardiology-records", "hospital-research"), (early.DecisionId, early.Recipient, early.Dataset, early.Agreement));
        Assert.Equal(RetentionState.Overdue, late.State);
    }

    [Fact]
    public void Status_AttestedByTheRecipient_DoneEvenAfterTheDeadline_ButNotByAnotherParty()
    {
        var attestedAt = s_egressAt.AddDays(20);
        var ledger = Ledger(
            Decision("d-1", s_digest), Egress("d-1", "northwind-research", s_egressAt),
            Decision("d-2", s_digest), Egress("d-2", "northwind-research", s_egressAt),
            Attested("northwind-research", attestedAt, "d-1"), Attested("someone-else", attestedAt, "d-2"));

        var items = ledger.Status(Agreements(), s_egressAt.AddDays(100), out _);

        Assert.Equal([RetentionState.Done, RetentionState.Overdue], items.Select(i => i.State));
        Assert.Equal(attestedAt, items[0].AttestedAt);
        Assert.Null(items[1].AttestedAt);
    }

    [Fact]
    public void Status_ErasureAfterAnAttestation_DeleteAtOnceAndAttestAgainWithinFourteenDays()
    {
        var erasedAt = s_egressAt.AddDays(21);
        var ledger = Ledger(
            Decision("d-1", s_digest), Egress("d-1", "northwind-research", s_egressAt),
            Decision("d-2", s_digest), Egress("d-2", "northwind-research", s_egressAt),
            Attested("northwind-research", s_egressAt.AddDays(20), "d-1", "d-2"),
            Entry(RetentionLedger.ErasureType, erasedAt, new { dataset = "cardiology-records", decisionIds = new[] { "d-1" } }));

        var items = ledger.Status(Agreements(), erasedAt.AddDays(1), out _);
        var again = Ledger(
            Decision("d-1", s_digest), Egress("d-1", "northwind-research", s_egressAt),
            Entry(RetentionLedger.ErasureType, erasedAt, new { dataset = "cardiology-records", decisionIds = new[] { "d-1" } }),
            Attested("northwind-research", erasedAt.AddDays(2), "d-1"));

        Assert.Equal([RetentionState.Due, RetentionState.Done], items.Select(i => i.State));
        Assert.Equal((erasedAt, erasedAt.AddDays(14)), (items[0].DeleteBy, items[0].AttestBy));
        Assert.Null(items[0].AttestedAt);
        Assert.Equal(s_egressAt.AddDays(30), items[1].DeleteBy);
        Assert.Equal(RetentionState.Done, Assert.Single(again.Status(Agreements(), erasedAt.AddDays(100), out _)).State);
    }

    [Fact]
    public void Status_TerminatedAgreement_DeleteWithinDaysOfTheTerminationWhenEarlier()
    {
        var strict = s_hospital with { Termination = s_hospital.Termination! with { DeleteWithinDays = 7 } };
        var digest = AgreementDigest.Compute(strict).ToString();
        var terminatedAt = s_egressAt.AddDays(2);
        var ledger = Ledger(Decision("d-1", digest), Egress("d-1", "northwind-research", s_egressAt), Terminated(terminatedAt));

        var item = Assert.Single(ledger.Status(new Dictionary<string, Agreement> { [digest] = strict }, s_egressAt, out _));

        Assert.Equal(terminatedAt.AddDays(7), item.DeleteBy);
        Assert.Equal(terminatedAt.AddDays(7 + 14), item.AttestBy);
    }

    [Fact]
    public void Status_DecisionOfAnAgreementVersionNotGiven_CountedAsUnknown()
    {
        var ledger = Ledger(Decision("d-1", "sha256:" + new string('0', 64)), Egress("d-1", "northwind-research", s_egressAt), Egress("d-missing", "northwind-research", s_egressAt));

        var items = ledger.Status(Agreements(), s_egressAt, out var unknown);

        Assert.Empty(items);
        Assert.Equal(2, unknown);
    }

    [Fact]
    public void Deadlines_AcrossADaylightSavingChange_AreWholeUtcDays()
    {
        // 2026-03-29 is the EU's spring change: thirty days after an egress on the 15th are still 30 × 24 hours in UTC.
        var egressAt = new DateTimeOffset(2026, 3, 15, 12, 0, 0, TimeSpan.FromHours(1));

        var (deleteBy, _) = RetentionLedger.Deadlines(s_hospital, egressAt, null)!.Value;

        Assert.Equal(TimeSpan.FromHours(30 * 24), deleteBy - egressAt);
        Assert.Equal(new DateTimeOffset(2026, 4, 14, 11, 0, 0, TimeSpan.Zero), deleteBy.ToUniversalTime());
    }

    private static Dictionary<string, Agreement> Agreements() => new() { [s_digest] = s_hospital };

    private static RetentionLedger Ledger(params LogEntry[] entries)
    {
        var ledger = new RetentionLedger();
        foreach (var entry in entries)
        {
            ledger.Read(entry);
        }

        return ledger;
    }

    private static LogEntry Decision(string id, string digest) =>
        Entry("gateway.decision/v1", s_egressAt.AddMinutes(-1), new { decisionId = id, effect = "permit", agreement = "hospital-research", agreementDigest = digest });

    private static LogEntry Egress(string decisionId, string recipient, DateTimeOffset at) =>
        Entry("gateway.egress/v1", at, new { decisionId, recipient, dataset = "cardiology-records", completed = true });

    private static LogEntry Attested(string recipient, DateTimeOffset at, params string[] decisionIds) =>
        Entry(RetentionLedger.DeletionAttestedType, at, new { recipient, decisionIds });

    private static LogEntry Terminated(DateTimeOffset effectiveAt) =>
        Entry("gateway.agreement/v1", effectiveAt.AddDays(-100), new { agreement = "hospital-research", version = 1, state = "terminated", effectiveAt });

    private static LogEntry Entry(string type, DateTimeOffset time, object body) => LogEntry.Create(type, time, JsonSerializer.SerializeToElement(body));
}
