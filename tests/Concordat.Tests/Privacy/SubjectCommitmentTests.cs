using System.Security.Cryptography;
using Concordat.Privacy;

namespace Concordat.Tests.Privacy;

public sealed class SubjectCommitmentTests
{
    private static readonly string[] s_subject = ["NHS-4857773456"];

    [Fact]
    public void Compute_SameKeyAnyOrder_IsTheSame()
    {
        var key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

        var a = SubjectCommitment.Compute(key, ["b", "a"]);
        var b = SubjectCommitment.Compute(key, ["a", "b"]);

        Assert.Equal(a, b);
        Assert.Matches("^hmac-sha256:[0-9a-f]{64}$", a);
    }

    [Fact]
    public void CreateAndShred_KeyGone_NoOtherKeyLinksTheSubject()
    {
        var commitment = SubjectCommitment.CreateAndShred(s_subject);

        // Whoever holds the log and guesses the subject still needs the key, which no longer exists: every key tried differs.
        for (var i = 0; i < 1000; i++)
        {
            Assert.NotEqual(commitment, SubjectCommitment.Compute(RandomNumberGenerator.GetBytes(SubjectCommitment.KeyLength), s_subject));
        }

        Assert.NotEqual(commitment, SubjectCommitment.Compute(new byte[SubjectCommitment.KeyLength], s_subject));
    }

    [Fact]
    public void CreateAndShred_SameSubjectTwice_GivesUnlinkableCommitments()
    {
        var first = SubjectCommitment.CreateAndShred(s_subject);
        var second = SubjectCommitment.CreateAndShred(s_subject);

        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Compute_NoIdentifier_Throws() =>
        Assert.Throws<ArgumentException>(() => SubjectCommitment.Compute(new byte[32], []));
}
