using Concordat.Decisions;
using Concordat.Testing.Decisions;

namespace Concordat.Tests.Decisions;

public sealed class DecisionCorpusTests
{
    public static IEnumerable<object[]> CaseFiles() => DecisionCaseFile.Names();

    [Theory]
    [MemberData(nameof(CaseFiles))]
    public void Decide_CorpusFile_GivesExpectedDecisions(string name)
    {
        var file = DecisionCaseFile.Load(name);
        var index = PolicyIndex.Compile(file.BuildAgreements());

        var differences = file.Cases.Select(c => c.Difference(index.Decide(c.Request))).OfType<string>().ToList();

        Assert.NotEmpty(file.Cases);
        Assert.Empty(differences);
    }

    [Theory]
    [MemberData(nameof(CaseFiles))]
    public void Decide_CorpusFile_AgreesWithReferenceEvaluator(string name)
    {
        var file = DecisionCaseFile.Load(name);
        var agreements = file.BuildAgreements();
        var index = PolicyIndex.Compile(agreements);
        var reference = new ReferenceEvaluator(agreements);

        var differences = file.Cases.Select(c => reference.Decide(c.Request)!.Difference(index.Decide(c.Request))).OfType<string>().ToList();

        Assert.Empty(differences);
    }
}
