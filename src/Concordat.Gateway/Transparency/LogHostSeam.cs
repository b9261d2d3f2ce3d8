using Concordat.Log;

namespace Concordat.Gateway.Transparency;

/// <summary>
/// A test seam of <see cref="LogHost"/>, never registered by the gateway itself: the queue settings of its log and a
/// wrapper around its storage, so a test can hold commits back, fill the queue and see the real pushback.
/// </summary>
/// <param name="LogOptions">The log's queue and batch settings.</param>
/// <param name="WrapStorage">Wraps the opened storage; the wrapper MUST dispose the storage it wraps.</param>
internal sealed record LogHostSeam(TransparencyLogOptions LogOptions, Func<ILogStorage, ILogStorage> WrapStorage);
