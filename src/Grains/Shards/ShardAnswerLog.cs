using Microsoft.Extensions.Logging;

namespace MovieRecommender.Grains.Shards;

/// <summary>
/// One shard activation's answers since its last log line: how many, the first and the last (UTC). Logged as
/// <c>shard-answers key=K activation=A silo=S count=N first=T last=T</c>, so that lines of two activations of one
/// shard whose [first, last] overlap show that both answered at once (a split brain), across every silo's log.
/// </summary>
public sealed class ShardAnswerLog(string key, string activation, string silo)
{
    private readonly object _gate = new();
    private long _count;
    private DateTime _first, _last;

    public void Answered()
    {
        var now = DateTime.UtcNow;
        lock (_gate)
        {
            if (_count++ == 0) _first = now;
            _last = now;
        }
    }

    public void Flush(ILogger logger)
    {
        long count;
        DateTime first, last;
        lock (_gate)
        {
            (count, first, last) = (_count, _first, _last);
            _count = 0;
        }
        if (count > 0)
            logger.LogInformation("shard-answers key={Key} activation={Activation} silo={Silo} count={Count} first={First:O} last={Last:O}",
                key, activation, silo, count, first, last);
    }
}
