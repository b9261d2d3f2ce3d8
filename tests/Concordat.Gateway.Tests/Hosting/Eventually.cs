namespace Concordat.Gateway.Tests.Hosting;

/// <summary>Waits for something that must happen soon, such as a notice reaching another replica.</summary>
internal static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> until it holds.</summary>
    /// <remarks>
    /// The bound only turns a failure into a failed test instead of a hung one; no duration is asserted.
    /// </remarks>
    public static async Task HoldsAsync(Func<Task<bool>> condition, string what)
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (!await condition())
        {
            Assert.False(bound.IsCancellationRequested, $"never happened: {what}");
            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }
    }

    /// <inheritdoc cref="HoldsAsync(Func{Task{bool}}, string)"/>
    public static Task HoldsAsync(Func<bool> condition, string what) => HoldsAsync(() => Task.FromResult(condition()), what);
}
