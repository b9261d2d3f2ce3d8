using Concordat.Gateway.Incidents;
using Concordat.Gateway.Journal;

namespace Concordat.Gateway.Tests.Incidents;

public sealed class DetectionQueueTests
{
    private static readonly DateTimeOffset s_at = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Offer_FullQueue_DropsAndCountsWithoutWaiting()
    {
        var queue = new DetectionQueue();
        var refusal = new RefusalEntry(s_at, "GW6005", 403, "GET /v1/datasets/{datasetId}/rows", "lab", "cli_1", "tok_1", null);

        for (var i = 0; i < DetectionQueue.Capacity + 3; i++)
        {
            queue.Offer(refusal);
        }

        Assert.Equal(3, queue.TakeDropped());
        Assert.Equal(0, queue.TakeDropped());
        Assert.Equal(DetectionQueue.Capacity, queue.Reader.Count);
    }

    [Fact]
    public void Offer_EntryTheDetectorsDoNotRead_IsNotQueued()
    {
        var queue = new DetectionQueue();

        queue.Offer(new SealEntry(s_at, "lab", "test", 0, 0, 0, 1));
        queue.Offer(new AlertEntry(s_at, "volume-spike", "lab", null, s_at, 1, 1, null, []));

        Assert.Equal(0, queue.Reader.Count);
    }
}
