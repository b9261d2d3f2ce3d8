namespace Concordat.Gateway.Datasets;

/// <summary>
/// Streams a dataset's rows with a decision's obligations applied to every row: the egress library, seen from the
/// gateway endpoint.
/// </summary>
internal interface IRowEgress
{
    /// <summary>
    /// Writes the rows to <paramref name="destination"/> in constant memory; stops with
    /// <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> fires (a seal).
    /// </summary>
    /// <returns>The number of rows written.</returns>
    Task<long> WriteAsync(RowEgressRequest request, Stream destination, CancellationToken cancellationToken);
}
