using System.IO.Compression;
using Concordat.Testing;
using Concordat.Testing.Evidence;
using Microsoft.Playwright;

namespace Concordat.Browser.Tests;

/// <summary>
/// The human report of an evidence pack, <c>report.html</c>, opened from the unpacked pack in Debian's chromium
/// (headless, driven by Playwright) with every request that is not a file of the pack refused: it must render offline,
/// with no script and no console error, show its charts, and link only to files the pack holds. A screenshot is kept
/// with the test results (<c>artifacts/test-results/evidence-report.png</c>).
/// </summary>
public sealed class EvidenceReportBrowserTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("concordat-report-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Report_OpenedOfflineInChromium_RendersItsSectionsWithNoErrors()
    {
        await using var storage = await EvidencePackFixture.CreateLogAsync(EvidencePackFixture.Traffic().Concat(EvidencePackFixture.Incident()));
        var pack = await EvidencePackFixture.BuildAsync(storage, EvidencePackFixture.Request());
        using (var archive = new ZipArchive(new MemoryStream(pack), ZipArchiveMode.Read))
        {
            archive.ExtractToDirectory(_folder);
        }

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        var problems = new List<string>();
        var refused = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                problems.Add($"console {message.Type}: {message.Text}");
            }
        };
        page.PageError += (_, error) => problems.Add($"page error: {error}");
        await page.RouteAsync("**/*", async route =>
        {
            if (route.Request.Url.StartsWith("file://", StringComparison.Ordinal))
            {
                await route.ContinueAsync();
                return;
            }

            refused.Add(route.Request.Url);
            await route.AbortAsync();
        });

        var response = await page.GotoAsync(new Uri(Path.Combine(_folder, "report.html")).AbsoluteUri);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = ScreenshotPath(), FullPage = true });

        Assert.NotNull(response);
        Assert.Equal("Evidence pack: hospital-research", await page.TitleAsync());
        Assert.Empty(problems);
        Assert.Empty(refused);
        Assert.Equal(0, await page.Locator("script").CountAsync());
        var headings = await page.Locator("h2").AllInnerTextsAsync();
        Assert.Equal(["Summary", "Access over time", "Permits and denies by recipient and purpose", "Incidents", "Compliance", "Narrative", "Files"], headings);
        Assert.Equal("inc_1: bulk pull beyond the baseline", await page.Locator("h3.incident").InnerTextAsync());
        var acts = await page.Locator("h3.incident + p + table tr td:nth-child(2)").AllInnerTextsAsync();
        Assert.Equal(["open", "seal", "notify", "close"], acts);
        var narrative = await page.Locator("ol.narrative li").AllInnerTextsAsync();
        Assert.StartsWith("2026-03-01: 3 decisions, 3 tokens issued", narrative[0], StringComparison.Ordinal);
        Assert.Contains(narrative, line => line.Contains("gateway.incident-act/v1 act=seal", StringComparison.Ordinal));
        var charts = page.Locator("svg");
        Assert.Equal(2, await charts.CountAsync());
        for (var i = 0; i < 2; i++)
        {
            var box = await charts.Nth(i).BoundingBoxAsync();
            Assert.True(box is { Width: > 100, Height: > 10 }, $"chart {i} is not drawn: {box?.Width}x{box?.Height}");
            Assert.True(await charts.Nth(i).Locator("rect").CountAsync() > 0, $"chart {i} has no bars");
        }

        var links = await page.Locator("a").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))");
        Assert.NotEmpty(links);
        Assert.All(links, href => Assert.True(File.Exists(Path.Combine(_folder, href)), $"the report links to `{href}`, which the pack does not hold"));
    }

    private static string ScreenshotPath()
    {
        var folder = Path.Combine(RepositoryRoot.Find(), "artifacts", "test-results");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, "evidence-report.png");
    }
}
