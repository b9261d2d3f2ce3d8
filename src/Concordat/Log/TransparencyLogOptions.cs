namespace Concordat.Log;

/// <summary>
/// How a <see cref="TransparencyLog"/> queues and batches appends.
/// </summary>
public sealed record TransparencyLogOptions
{
    /// <summary>The default of <see cref="QueueCapacity"/>.</summary>
    public const int DefaultQueueCapacity = 65_536;

    /// <summary>The default of <see cref="MaxBatchSize"/>.</summary>
    public const int DefaultMaxBatchSize = 8_192;

    /// <summary>The default of <see cref="RetryAfterSeconds"/>.</summary>
    public const int DefaultRetryAfterSeconds = 1;

    /// <summary>Gets how many appends may wait for a commit before new ones are pushed back.</summary>
    /// <value>Defaults to <see cref="DefaultQueueCapacity"/>.</value>
    public int QueueCapacity { get; init; } = DefaultQueueCapacity;

    /// <summary>Gets the greatest number of entries written in one storage transaction.</summary>
    /// <value>Defaults to <see cref="DefaultMaxBatchSize"/>.</value>
    public int MaxBatchSize { get; init; } = DefaultMaxBatchSize;

    /// <summary>Gets the delay a pushed-back caller is told to wait (the HTTP <c>Retry-After</c>).</summary>
    /// <value>Defaults to <see cref="DefaultRetryAfterSeconds"/> seconds.</value>
    public int RetryAfterSeconds { get; init; } = DefaultRetryAfterSeconds;

    /// <summary>Gets how often a checkpoint is signed while the tree grows; <see langword="null"/> signs only on demand.</summary>
    /// <value>Defaults to <see langword="null"/>: on demand only.</value>
    public TimeSpan? CheckpointInterval { get; init; }

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(QueueCapacity, 1, nameof(QueueCapacity));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBatchSize, 1, nameof(MaxBatchSize));
        ArgumentOutOfRangeException.ThrowIfNegative(RetryAfterSeconds, nameof(RetryAfterSeconds));
    }
}
