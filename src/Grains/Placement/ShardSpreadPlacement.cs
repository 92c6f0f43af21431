using MovieRecommender.Grains.Hosting;
using Orleans.Placement;
using Orleans.Runtime.Placement;

namespace MovieRecommender.Grains.Placement;

/// <summary>
/// Places the shards of one version round-robin over the active silos: shard i of version v goes to silo
/// (hash(v) + i) mod N of the silos sorted by address. Every silo computes the same answer from the same
/// membership view, so a version's S shards land on min(S, N) silos, at most ⌈S/N⌉ per silo, instead of
/// wherever random placement (Orleans' default) throws them. When a silo dies, its shards are placed again over
/// the survivors by the same rule on their next call; when a silo joins, the shards whose preferred silo changed
/// move there (<see cref="ShardRebalanceOptions"/>).
/// </summary>
[Serializable, GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed class ShardSpreadPlacement : PlacementStrategy
{
    public static readonly ShardSpreadPlacement Singleton = new();
}

/// <summary>Marks a grain keyed "version/shard" for <see cref="ShardSpreadPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class ShardSpreadPlacementAttribute() : PlacementAttribute(ShardSpreadPlacement.Singleton);

/// <summary>
/// The director of <see cref="ShardSpreadPlacement"/>; registered by every recommender silo. A silo that is draining
/// (<see cref="SiloDrain"/>) leaves itself out, so that the shards it moves away go where the rule puts them without it.
/// </summary>
public sealed class ShardSpreadPlacementDirector(SiloDrain drain) : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var silos = context.GetCompatibleSilos(target);
        if (drain.IsDraining && silos.Length > 1 && silos.Contains(context.LocalSilo))
            silos = silos.Where(s => !s.Equals(context.LocalSilo)).ToArray();
        if (silos.Length == 0) return Task.FromResult(context.LocalSilo);
        return Task.FromResult(PreferredSilo(target.GrainIdentity.Key.ToString()!, silos));
    }

    /// <summary>The silo a key "version/shard" belongs on among these silos (in any order).</summary>
    public static SiloAddress PreferredSilo(string key, IReadOnlyCollection<SiloAddress> silos)
    {
        var sorted = silos.OrderBy(s => s.ToParsableString(), StringComparer.Ordinal).ToArray();
        var (version, shard) = ShardKey.TryParse(key, out var parsed) ? parsed : new ShardKey(key, 0);
        return sorted[(int)((Fnv(version) + (uint)shard) % (uint)sorted.Length)];
    }

    private static uint Fnv(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text) hash = (hash ^ c) * 16777619u;
        return hash;
    }
}
