using Concordat.Agreements;
using Concordat.Data.Egress;
using Concordat.Privacy;
using Concordat.Testing.Datasets;

namespace Concordat.Benchmarks.Egress;

/// <summary>
/// The two egress plans the egress benchmarks compare over synthetic patient rows: no field rule (the baseline) and
/// three pseudonymised fields (<c>patient_id</c>, <c>name</c>, <c>postcode</c>), under one pseudonym key.
/// </summary>
internal sealed class PatientEgressPlans : IDisposable
{
    private readonly PseudonymKey _key;

    public PatientEgressPlans()
    {
        var definition = SyntheticPatients.Definition();
        _key = PseudonymKey.Derive(new byte[32], new PartyId("lab"), definition.Id);
        Untransformed = Compile(definition, []);
        Pseudonymised = Compile(definition,
        [
            new FieldRule(new FieldName("patient_id"), FieldRuleKind.Pseudonymise, null),
            new FieldRule(new FieldName("name"), FieldRuleKind.Pseudonymise, null),
            new FieldRule(new FieldName("postcode"), FieldRuleKind.Pseudonymise, null),
        ]);
    }

    public EgressPlan Untransformed { get; }

    public EgressPlan Pseudonymised { get; }

    public void Dispose() => _key.Dispose();

    private EgressPlan Compile(DatasetDefinition definition, FieldRule[] rules) =>
        EgressPlan.TryCompile(definition, rules, null, [], null, _key, out var plan, out var diagnostics)
            ? plan
            : throw new InvalidOperationException(string.Join("; ", diagnostics));
}
