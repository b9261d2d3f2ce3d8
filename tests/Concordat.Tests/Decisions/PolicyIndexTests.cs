using Concordat.Agreements;
using Concordat.Decisions;
using Concordat.Testing.Agreements;

namespace Concordat.Tests.Decisions;

public sealed class PolicyIndexTests
{
    private static readonly DateTimeOffset s_now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static AgreementBuilder Foundation() => new AgreementBuilder("foundation-lab")
        .Party("foundation", "US", PartyRole.Provider)
        .Party("lab", "GB", PartyRole.Recipient)
        .Dataset("corpus", "foundation", SensitivityLevel.Public)
        .Dataset("records", "foundation", SensitivityLevel.Restricted)
        .Purpose("training")
        .Purpose("fine-tuning", "training")
        .Purpose("evaluation");

    private static PolicyIndex CreateSut(params Agreement[] agreements) =>
        PolicyIndex.Compile(agreements.Select(a => new PolicyAgreement(a, AgreementBuilder.TestDigest(a))));

    private static DecisionRequest Request(string recipient = "lab", string dataset = "corpus", string purpose = "evaluation", string jurisdiction = "GB", DataAction action = DataAction.ReadRows, string? subprocessor = null, DateTimeOffset? time = null) =>
        new(new PartyId(recipient), action, new DatasetId(dataset), new PurposeId(purpose), new Jurisdiction(jurisdiction), subprocessor is null ? null : new PartyId(subprocessor), time ?? s_now);

    [Fact]
    public void Decide_GrantMatches_PermitsNamingGrantAndAgreement()
    {
        var agreement = Foundation().Grant("g-eval", "lab", ["corpus"], ["evaluation"]).Build();
        var sut = CreateSut(agreement);

        var decision = sut.Decide(Request());

        Assert.Equal(Effect.Permit, decision.Effect);
        Assert.Equal([new Reason(ReasonCode.PermittedByGrant, agreement.Id, new ClauseId("g-eval"))], decision.Reasons);
        Assert.Equal([new AgreementReference(agreement.Id, 1, AgreementBuilder.TestDigest(agreement))], decision.Agreements);
    }

    [Fact]
    public void Decide_NoGrantForPurpose_DeniesNotPermittedByAnyGrant()
    {
        var sut = CreateSut(Foundation().Grant("g-eval", "lab", ["corpus"], ["evaluation"]).Build());

        var decision = sut.Decide(Request(purpose: "training"));

        Assert.Equal(Effect.Deny, decision.Effect);
        Assert.Equal(ReasonCode.NotPermittedByAnyGrant, Assert.Single(decision.Reasons).Code);
    }

    [Fact]
    public void Decide_ProhibitionAndGrantMatch_DeniesForbiddenByClause()
    {
        var sut = CreateSut(Foundation()
            .Grant("g-train", "lab", ["corpus"], ["training"])
            .Prohibition("p-no-training", purposes: ["training"])
            .Build());

        var decision = sut.Decide(Request(purpose: "training"));

        Assert.Equal(Effect.Deny, decision.Effect);
        var reason = Assert.Single(decision.Reasons);
        Assert.Equal((ReasonCode.ForbiddenByClause, new ClauseId("p-no-training")), (reason.Code, reason.Clause!.Value));
    }

    [Fact]
    public void Decide_GrantOfBroaderPurpose_CoversNarrowerPurpose()
    {
        var sut = CreateSut(Foundation().Grant("g-train", "lab", ["corpus"], ["training"]).Build());

        var decision = sut.Decide(Request(purpose: "fine-tuning"));

        Assert.Equal(Effect.Permit, decision.Effect);
    }

    [Fact]
    public void Decide_ProhibitionOfBroaderPurpose_ForbidsNarrowerPurpose()
    {
        var sut = CreateSut(Foundation()
            .Grant("g-ft", "lab", ["corpus"], ["fine-tuning"])
            .Prohibition("p-no-training", purposes: ["training"])
            .Build());

        var decision = sut.Decide(Request(purpose: "fine-tuning"));

        Assert.Equal(ReasonCode.ForbiddenByClause, Assert.Single(decision.Reasons).Code);
    }

    [Fact]
    public void Decide_GrantOfNarrowerPurpose_DoesNotCoverBroaderPurpose()
    {
        var sut = CreateSut(Foundation().Grant("g-ft", "lab", ["corpus"], ["fine-tuning"]).Build());

        var decision = sut.Decide(Request(purpose: "training"));

        Assert.Equal(ReasonCode.NotPermittedByAnyGrant, Assert.Single(decision.Reasons).Code);
    }

    [Fact]
    public void Decide_UnknownRecipientDatasetAndPurpose_DeniesWithAllThreeReasons()
    {
        var sut = CreateSut(Foundation().Grant("g-eval", "lab", ["corpus"], ["evaluation"]).Build());

        var decision = sut.Decide(Request(recipient: "stranger", dataset: "secret", purpose: "advertising"));

        Assert.Equal([ReasonCode.UnknownRecipient, ReasonCode.UnknownDataset, ReasonCode.UnknownPurpose], decision.Reasons.Select(r => r.Code));
    }

    [Fact]
    public void Decide_AgreementNotInForce_DeniesNamingIt()
    {
        var agreement = Foundation().Grant("g-eval", "lab", ["corpus"], ["evaluation"]).Build();
        var sut = PolicyIndex.Compile([new PolicyAgreement(agreement, AgreementBuilder.TestDigest(agreement), IsInForce: false)]);

        var decision = sut.Decide(Request());

        Assert.Equal([new Reason(ReasonCode.AgreementNotInForce, agreement.Id)], decision.Reasons);
    }

    [Fact]
    public void Decide_TwoInForceAgreementsCoverRecipientAndDataset_DeniesNamingBoth()
    {
        var first = Foundation().Grant("g-eval", "lab", ["corpus"], ["evaluation"]).Build();
        var second = Foundation().Build() with { Id = new AgreementId("foundation-lab-bis") };
        var sut = CreateSut(first, second);

        var decision = sut.Decide(Request());

        Assert.Equal([new Reason(ReasonCode.ConflictingAgreements, first.Id, null, second.Id)], decision.Reasons);
        Assert.Equal("POL3101", Assert.Single(sut.Diagnostics, d => d.Message.Contains("`corpus`", StringComparison.Ordinal)).Code);
    }

    [Fact]
    public void Decide_TimeOutsideAgreementWindow_DeniesOutsideWindowWithoutClause()
    {
        var sut = CreateSut(Foundation().Grant("g-eval", "lab", ["corpus"], ["evaluation"]).Build());

        var decision = sut.Decide(Request(time: AgreementBuilder.DefaultUntil));

        Assert.Equal(new Reason(ReasonCode.OutsideWindow, new AgreementId("foundation-lab")), Assert.Single(decision.Reasons));
    }

    [Fact]
    public void Decide_TimeOutsideGrantWindow_DeniesOutsideWindowNamingGrant()
    {
        var sut = CreateSut(Foundation()
            .Grant("g-eval", "lab", ["corpus"], ["evaluation"], with: g => g with { Window = new TimeWindow(s_now.AddDays(1), null) })
            .Build());

        var decision = sut.Decide(Request());

        Assert.Equal(new Reason(ReasonCode.OutsideWindow, new AgreementId("foundation-lab"), new ClauseId("g-eval")), Assert.Single(decision.Reasons));
    }

    [Theory]
    [InlineData("DE", Effect.Permit)]
    [InlineData("EU", Effect.Permit)]
    [InlineData("NO", Effect.Deny)]
    [InlineData("EEA", Effect.Deny)]
    public void Decide_GrantLimitedToEu_PermitsOnlyEuJurisdictions(string jurisdiction, Effect expected)
    {
        var sut = CreateSut(Foundation()
            .Grant("g-eval", "lab", ["corpus"], ["evaluation"], with: g => g with { Jurisdictions = [new Jurisdiction("EU")] })
            .Build());

        var decision = sut.Decide(Request(jurisdiction: jurisdiction));

        Assert.Equal(expected, decision.Effect);
        Assert.Equal(expected == Effect.Permit ? ReasonCode.PermittedByGrant : ReasonCode.JurisdictionNotPermitted, decision.Reasons[0].Code);
    }

    [Theory]
    [InlineData("DE", true)]
    [InlineData("EU", true)]
    [InlineData("EEA", true)]
    [InlineData("FR", false)]
    public void Decide_ProhibitionOfGermany_ForbidsGermanyAndGroupsContainingIt(string jurisdiction, bool forbidden)
    {
        var sut = CreateSut(Foundation()
            .Grant("g-eval", "lab", ["corpus"], ["evaluation"])
            .Prohibition("p-no-de", jurisdictions: ["DE"])
            .Build());

        var decision = sut.Decide(Request(jurisdiction: jurisdiction));

        Assert.Equal(forbidden, decision.Reasons[0].Code == ReasonCode.ForbiddenByClause);
    }

    [Fact]
    public void Decide_SubprocessorNotListed_DeniesSubprocessorNotPermitted()
    {
        var sut = CreateSut(Foundation()
            .Grant("g-eval", "lab", ["corpus"], ["evaluation"], with: g => g with { Subprocessors = [new PartyId("cloud")] })
            .Build());

        var listed = sut.Decide(Request(subprocessor: "cloud"));
        var other = sut.Decide(Request(subprocessor: "other-cloud"));

        Assert.Equal(Effect.Permit, listed.Effect);
        Assert.Equal(ReasonCode.SubprocessorNotPermitted, Assert.Single(other.Reasons).Code);
    }

    [Fact]
    public void Decide_ProhibitionOnSensitivity_ForbidsOnlyDatasetsOfThatLevel()
    {
        var sut = CreateSut(Foundation()
            .Grant("g-eval", "lab", ["corpus", "records"], ["evaluation"])
            .Prohibition("p-restricted", sensitivities: [SensitivityLevel.Restricted])
            .Build());

        var restricted = sut.Decide(Request(dataset: "records"));
        var open = sut.Decide(Request(dataset: "corpus"));

        Assert.Equal(ReasonCode.ForbiddenByClause, Assert.Single(restricted.Reasons).Code);
        Assert.Equal(Effect.Permit, open.Effect);
    }

    [Fact]
    public void Decide_ConductOnlyProhibition_DoesNotDenyRequests()
    {
        var sut = CreateSut(Foundation()
            .Grant("g-eval", "lab", ["corpus"], ["evaluation"])
            .Prohibition(AgreementBuilder.CreateProhibition("p-no-reid") with { Reidentification = true })
            .Build());

        var decision = sut.Decide(Request());

        Assert.Equal(Effect.Permit, decision.Effect);
    }

    [Fact]
    public void Decide_OverlappingGrants_MergesMostRestrictiveObligations()
    {
        var sut = CreateSut(Foundation()
            .Grant("g1", "lab", ["corpus"], ["evaluation"], with: g => g with
            {
                FieldRules = [new FieldRule(new FieldName("name"), FieldRuleKind.Mask, "4"), new FieldRule(new FieldName("dob"), FieldRuleKind.Generalise, "month")],
                TokenLifetime = TimeSpan.FromMinutes(30),
                RateLimit = new RateLimit(100, TimeSpan.FromMinutes(1)),
                MinGroupSize = 5,
                RowRules = new RowRules(false, [new Jurisdiction("EU")]),
            })
            .Grant("g2", "lab", ["corpus"], ["evaluation"], with: g => g with
            {
                FieldRules = [new FieldRule(new FieldName("name"), FieldRuleKind.Pseudonymise, null), new FieldRule(new FieldName("dob"), FieldRuleKind.Generalise, "year")],
                TokenLifetime = TimeSpan.FromMinutes(10),
                RateLimit = new RateLimit(1000, TimeSpan.FromHours(1)),
                MinGroupSize = 20,
                RowRules = new RowRules(true, [new Jurisdiction("DE"), new Jurisdiction("US")]),
            })
            .Build());

        var decision = sut.Decide(Request());

        Assert.Equal([new ClauseId("g1"), new ClauseId("g2")], decision.Reasons.Select(r => r.Clause!.Value));
        var expected = new Obligations(
            [new FieldRule(new FieldName("dob"), FieldRuleKind.Generalise, "year"), new FieldRule(new FieldName("name"), FieldRuleKind.Pseudonymise, null)],
            true,
            [new Jurisdiction("DE")],
            TimeSpan.FromMinutes(10),
            new RateLimit(1000, TimeSpan.FromHours(1)),
            20,
            null);
        Assert.Equal(expected, decision.Obligations);
    }

    [Fact]
    public void Decide_OverlappingGrantsWithDisjointResidency_LetsNoRowLeave()
    {
        var sut = CreateSut(Foundation()
            .Grant("g1", "lab", ["corpus"], ["evaluation"], with: g => g with { RowRules = new RowRules(false, [new Jurisdiction("GB")]) })
            .Grant("g2", "lab", ["corpus"], ["evaluation"], with: g => g with { RowRules = new RowRules(false, [new Jurisdiction("US")]) })
            .Build());

        var decision = sut.Decide(Request());

        Assert.Empty(decision.Obligations.Residency!);
    }

    [Theory]
    [InlineData(IdentityRole.Training, DataAction.ReadRows)]
    [InlineData(IdentityRole.Analysis, DataAction.ReadRows)]
    public void Decide_RoleAllowsAction_DecidesByTheAgreements(IdentityRole role, DataAction action)
    {
        var sut = CreateSut(Foundation().Grant("g-eval", "lab", ["corpus"], ["evaluation"]).Build());

        var decision = sut.Decide(Request(action: action) with { Role = role });

        Assert.Same(sut.Decide(Request(action: action)), decision);
    }

    [Theory]
    [InlineData(IdentityRole.Ingestion, DataAction.ReadRows)]
    [InlineData(IdentityRole.Deployment, DataAction.ReadRows)]
    [InlineData(IdentityRole.Training, DataAction.AggregateQuery)]
    [InlineData(IdentityRole.Analysis, DataAction.DownloadSnapshot)]
    public void Decide_RoleDoesNotAllowAction_DeniesRoleNotPermittedWhateverTheGrant(IdentityRole role, DataAction action)
    {
        var sut = CreateSut(Foundation().Grant("g-all", "lab", ["corpus"], ["evaluation"], [DataAction.ReadRows, DataAction.AggregateQuery, DataAction.DownloadSnapshot]).Build());

        var decision = sut.Decide(Request(action: action) with { Role = role });

        Assert.Equal(Effect.Deny, decision.Effect);
        Assert.Equal([new Reason(ReasonCode.RoleNotPermitted)], decision.Reasons);
        Assert.Empty(decision.Agreements);
    }

    [Fact]
    public void Decide_RoleDoesNotAllowActionOfUnknownRecipient_DeniesRoleNotPermittedFirst()
    {
        var sut = CreateSut(Foundation().Build());

        var decision = sut.Decide(Request(recipient: "stranger") with { Role = IdentityRole.Deployment });

        Assert.Equal([new Reason(ReasonCode.RoleNotPermitted)], decision.Reasons);
    }

    [Fact]
    public void Decide_UndefinedRole_DeniesWithDiagnostic()
    {
        var sut = CreateSut(Foundation().Grant("g-eval", "lab", ["corpus"], ["evaluation"]).Build());

        var decision = sut.Decide(Request() with { Role = (IdentityRole)7 });

        Assert.Equal(ReasonCode.EvaluationError, Assert.Single(decision.Reasons).Code);
        Assert.Equal("POL3002", Assert.Single(decision.Diagnostics).Code);
    }

    [Fact]
    public void Decide_IncompleteRequest_DeniesWithDiagnostic()
    {
        var sut = CreateSut(Foundation().Build());

        var decision = sut.Decide(default);

        Assert.Equal(ReasonCode.EvaluationError, Assert.Single(decision.Reasons).Code);
        Assert.Equal("POL3002", Assert.Single(decision.Diagnostics).Code);
    }

    [Fact]
    public void Decide_SameOutcomeTwice_ReturnsSharedDecision()
    {
        var sut = CreateSut(Foundation()
            .Grant("g1", "lab", ["corpus"], ["evaluation"])
            .Grant("g2", "lab", ["corpus"], ["evaluation"])
            .Build());

        var first = sut.Decide(Request());
        var second = sut.Decide(Request(time: s_now.AddHours(1)));

        Assert.Same(first, second);
    }

    [Fact]
    public void Decide_ManyGrantsInOneCell_AgreesWithPackedSemantics()
    {
        var builder = Foundation();
        for (var i = 0; i < 30; i++)
        {
            builder.Grant($"g{i:D2}", "lab", ["corpus"], [i % 2 == 0 ? "evaluation" : "training"], with: g => g with { Jurisdictions = [new Jurisdiction("DE")] });
        }

        var sut = CreateSut(builder.Build());

        var permit = sut.Decide(Request(jurisdiction: "DE"));
        var deny = sut.Decide(Request(jurisdiction: "GB"));

        Assert.Equal(15, permit.Reasons.Count(r => r.Code == ReasonCode.PermittedByGrant));
        Assert.Equal(15, deny.Reasons.Count(r => r.Code == ReasonCode.JurisdictionNotPermitted));
    }
}
