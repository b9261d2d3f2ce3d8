using Concordat.Store;
using Microsoft.Extensions.DependencyInjection;

namespace Concordat.Gateway.Problems;

/// <summary>Taking a store lock for a request, answering the store's unavailability as the 503 it is.</summary>
internal static class StoreLocks
{
    /// <summary>
    /// Takes the lock <paramref name="name"/> of <paramref name="store"/>, or gives the 503 answer (<c>GW6021</c>)
    /// when the store cannot be reached or refuses it, after logging why (event 6023).
    /// </summary>
    /// <returns>The held lock, or the answer; exactly one is not <see langword="null"/>.</returns>
    /// <remarks>Why not an unexpected error (500): a store that does not answer is a dependency down, which a client
    /// retries; nothing was checked or recorded under the lock yet.</remarks>
    public static async Task<(IAsyncDisposable? Held, ProblemHttpResult? Unavailable)> TryLockAsync(this IStoreEngine store, StoreLockName name, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            return (await store.LockAsync(name, context.RequestAborted).ConfigureAwait(false), null);
        }
#pragma warning disable CA1031 // The engine's contract: a DbException when the database cannot be reached; the gateway references no database driver (nor System.Data.Common), so it cannot name that type, as /readyz cannot.
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            // Security: the log names the kind of lock (the first line of its name), never the ids after it; the
            // problem names neither the lock nor the exception's text (it may hold a connection string).
            var kind = name.Value.Split('\n', 2)[0];
            LogMessages.StoreLockFailed(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StoreLocks).FullName!), kind, ex);
            return (null, Problem.Of(ProblemCode.Unavailable, "the store cannot be reached to take the lock: nothing was recorded, retry"));
        }
    }
}
