using System.Text.Json.Nodes;
using Concordat.Tiles;

namespace Concordat.Tests.Tiles;

/// <summary>
/// The worked examples of the C2SP tlog-tiles specification (tests/vendor/c2sp), and the spec's own definitions
/// computed here by brute force, agree with <see cref="TileAddress"/> and <see cref="TileLayout"/>.
/// </summary>
public sealed class TileSpecExamplesTests
{
    private static readonly JsonNode s_examples = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "vendor", "c2sp", "tlog-tiles-examples.json")))!;

    [Fact]
    public void FormatIndex_SpecExamples_GiveThePrintedElements()
    {
        foreach (var example in s_examples["indexEncodings"]!.AsArray())
        {
            Assert.Equal(example!["elements"]!.GetValue<string>(), TileAddress.FormatIndex(example["index"]!.GetValue<long>()));
        }
    }

    [Fact]
    public void Layout_SpecTreeSizes_HaveThePrintedTiles()
    {
        foreach (var example in s_examples["treeSizes"]!.AsArray())
        {
            var size = example!["treeSize"]!.GetValue<long>();
            var levels = example["levels"]!.AsArray();
            foreach (var level in levels)
            {
                var l = level!["level"]!.GetValue<int>();
                Assert.Equal(level["fullTiles"]!.GetValue<long>(), TileLayout.FullTiles(l, size));
                Assert.Equal(level["partialWidth"]!.GetValue<int>(), TileLayout.PartialWidth(l, size));
            }

            // Nothing above the printed levels: the example lists every tile.
            var above = levels.Count;
            Assert.Equal(0, TileLayout.FullTiles(above, size));
            Assert.Equal(0, TileLayout.PartialWidth(above, size));
            Assert.Equal(levels.Sum(l => l!["fullTiles"]!.GetValue<long>() + (l["partialWidth"]!.GetValue<int>() > 0 ? 1 : 0)), TileLayout.EnumerateTiles(size, entryBundles: false).LongCount());
        }
    }

    [Fact]
    public void Constants_AreTheSpecs()
    {
        Assert.Equal(TileAddress.FullWidth, s_examples["fullTileHashes"]!.GetValue<int>());
        Assert.Equal(TileAddress.FullWidth * 32, s_examples["fullTileBytes"]!.GetValue<int>());
        Assert.Equal(TileAddress.MaxLevel, s_examples["maxLevel"]!.GetValue<int>());
        Assert.True(TileAddress.TryParsePath($"tile/0/000.p/{s_examples["maxPartialWidth"]!.GetValue<int>()}", out _));
        Assert.False(TileAddress.TryParsePath($"tile/0/000.p/{s_examples["maxPartialWidth"]!.GetValue<int>() + 1}", out _));
    }

    [Fact]
    public void FormatIndex_AnyIndex_IsThreeDigitGroupsWithXOnAllButTheLast()
    {
        var random = new Random(17);
        for (var i = 0; i < 2000; i++)
        {
            var index = i < 1100 ? i : random.NextInt64(0, 1L << 54);

            var digits = index.ToString(System.Globalization.CultureInfo.InvariantCulture);
            digits = digits.PadLeft((digits.Length + 2) / 3 * 3, '0');
            var groups = Enumerable.Range(0, digits.Length / 3).Select(g => digits.Substring(g * 3, 3)).ToList();
            var expected = string.Join('/', groups.Take(groups.Count - 1).Select(g => "x" + g).Append(groups[^1]));

            Assert.Equal(expected, TileAddress.FormatIndex(index));
        }
    }

    [Fact]
    public void Layout_SmallTrees_MatchTheSpecDefinitionByBruteForce()
    {
        // Spec: hash i of tile (l, n) is MTH(D[(n·256 + i)·256^l : (n·256 + i + 1)·256^l]); it exists once the tree holds
        // that range; a tile is full with 256 of them, partial with 1 to 255, and absent with none.
        foreach (var size in new long[] { 0, 1, 255, 256, 257, 511, 512, 65535, 65536, 65537, 70000, 16_777_216 + 300 })
        {
            var expected = new List<TileAddress>();
            for (var level = 0; level <= 3; level++)
            {
                var span = 1L << (8 * level);
                for (long n = 0; n * 256 * span < size; n++)
                {
                    var width = 0;
                    while (width < 256 && ((n * 256) + width + 1) * span <= size)
                    {
                        width++;
                    }

                    if (width > 0)
                    {
                        expected.Add(new TileAddress(level, n, width));
                    }
                }
            }

            Assert.Equal(expected, TileLayout.EnumerateTiles(size, entryBundles: false).ToList());
            Assert.All(expected, tile => Assert.True(TileLayout.Holds(tile, size)));
        }
    }
}
