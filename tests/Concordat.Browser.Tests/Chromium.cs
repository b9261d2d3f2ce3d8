using Microsoft.Playwright;

namespace Concordat.Browser.Tests;

/// <summary>
/// Launches Debian's chromium (<c>/usr/bin/chromium</c>, or <c>CONCORDAT_CHROMIUM</c>) headless through Playwright:
/// no browser is downloaded. A missing chromium fails the test with what to install; it never skips it.
/// </summary>
internal static class Chromium
{
    public static async Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        var path = Environment.GetEnvironmentVariable("CONCORDAT_CHROMIUM") is { Length: > 0 } given ? given : "/usr/bin/chromium";
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"chromium is not installed at {path}: run `apt-get install -y chromium` (scripts/test.sh does)");
        }

        return await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = path,
            Headless = true,

            // Invariant: the tests run as root in CI, where chromium refuses to start with its sandbox.
            Args = ["--no-sandbox"],
        });
    }
}
