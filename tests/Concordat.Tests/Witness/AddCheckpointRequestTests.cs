using System.Text;
using Concordat.Notes;
using Concordat.Witness;

namespace Concordat.Tests.Witness;

public sealed class AddCheckpointRequestTests
{
    // Spec: the example request body of c2sp.org/tlog-witness#add-checkpoint.
    private const string SpecExample = """
        old 20852014
        PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=
        jrJZDmY8Y7SyJE0MWLpLozkIVMSMZcD5kvuKxPC3swk=
        5+pKlUdi2LeF/BcMHBn+Ku6yhPGNCswZZD1X/6QgPd8=
        /6WVhPs2CwSsb5rYBH5cjHV/wSmA79abXAwhXw3Kj/0=

        example.com/behind-the-sofa
        20852163
        CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=

        — example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=
        — example.com/behind-the-sofa opLqBQsREYCgu6xQkYQwJr9fo45a62DN9EdmHXnZdXNqlcVGlCum2Wks+49/V6267UEjw6QUXTS5Rovnzv++qbSzm9Q=

        """;

    [Fact]
    public void TryParse_SpecExample_ReadsOldSizeProofAndCheckpoint()
    {
        var body = Encoding.UTF8.GetBytes(SpecExample.ReplaceLineEndings("\n"));

        Assert.True(AddCheckpointRequest.TryParse(body, out var request, out var error), error);

        Assert.Equal(20852014, request.OldSize);
        Assert.Equal(4, request.ConsistencyProof.Count);
        Assert.Equal("PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=", request.ConsistencyProof[0].ToBase64());
        Assert.True(SignedNote.TryParse(request.SignedCheckpoint.Span, out var note, out _));
        Assert.True(Checkpoint.TryParse(note.Text, out var checkpoint, out _));
        Assert.Equal(("example.com/behind-the-sofa", 20852163L), (checkpoint.Origin, checkpoint.TreeSize));
        Assert.Equal(2, note.Signatures.Count);
        Assert.Equal(body, request.ToBytes());
    }

    [Theory]
    [InlineData("old 01\n\nx\n")]
    [InlineData("old -1\n\nx\n")]
    [InlineData("old  1\n\nx\n")]
    [InlineData("new 1\n\nx\n")]
    [InlineData("old 1\nnot-base64\n\nx\n")]
    [InlineData("old 1\nAAAA\n\nx\n")]
    [InlineData("old 1\nPlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw= \n\nx\n")]
    [InlineData("old 1\n\n")]
    [InlineData("old 1\n")]
    [InlineData("old 1")]
    [InlineData("")]
    [InlineData("old 99999999999999999999\n\nx\n")]
    public void TryParse_Malformed_SaysWhy(string body)
    {
        Assert.False(AddCheckpointRequest.TryParse(Encoding.UTF8.GetBytes(body), out _, out var error));

        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void TryParse_SixtyFourProofLines_IsRefused()
    {
        var line = "PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=\n";
        var body = "old 1\n" + string.Concat(Enumerable.Repeat(line, 64)) + "\nx\n";

        Assert.False(AddCheckpointRequest.TryParse(Encoding.UTF8.GetBytes(body), out _, out var error));

        Assert.Contains("63", error, StringComparison.Ordinal);
    }
}
