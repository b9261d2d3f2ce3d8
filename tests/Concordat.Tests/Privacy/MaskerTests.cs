using System.Text;
using Concordat.Privacy;
using FsCheck;
using FsCheck.Fluent;

namespace Concordat.Tests.Privacy;

public sealed class MaskerTests
{
    [Theory]
    [InlineData("4857773456", 4, "******3456")]
    [InlineData("4857773456", 0, "**********")]
    [InlineData("Zoë Brontë", 2, "********të")]
    [InlineData("abc", 3, "***")]
    [InlineData("ab", 5, "**")]
    [InlineData("", 2, "")]
    public void Mask_Value_KeepsTrailingCharactersOnly(string value, int keep, string expected)
    {
        Assert.Equal(expected, Mask(value, keep));
    }

    [Fact]
    public void Mask_NegativeKeep_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Masker.Mask("a"u8, -1, new byte[1]));
    }

    [Fact]
    public void Mask_AnyValue_KeepsCharacterCountAndRevealsOnlyAStrictSuffix()
    {
        Prop.ForAll<NonNull<string>, byte>((value, keep) =>
        {
            var text = new string(value.Get.Where(c => !char.IsSurrogate(c)).ToArray());
            var masked = Mask(text, keep % 8);
            var revealed = masked.TrimStart('*');
            return masked.Length == text.Length &&
                (text.Length == 0 || revealed.Length < text.Length || text.All(c => c == '*')) &&
                text.EndsWith(revealed, StringComparison.Ordinal);
        }).QuickCheckThrowOnFailure();
    }

    private static string Mask(string value, int keep)
    {
        var utf8 = Encoding.UTF8.GetBytes(value);
        var destination = new byte[utf8.Length];
        var written = Masker.Mask(utf8, keep, destination);
        return Encoding.UTF8.GetString(destination, 0, written);
    }
}
