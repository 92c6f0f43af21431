using System.Collections.Immutable;
using System.Diagnostics;
using MovieRecommender.Artifacts;
using MovieRecommender.Grains;

namespace MovieRecommender.Operations.Publishing;

/// <summary>
/// Pushes a verified artifact into the cluster: every movie partition to the candidate shards of the new
/// version, every user to the user shards, in chunks; then makes the version active in one step. Grains are
/// keyed by version, so nothing of the new version is read before that step.
/// </summary>
public sealed class ArtifactPublisher(IGrainFactory grains)
{
    /// <summary>The options with every shard count set; those not given by <see cref="ShardLayout"/>, from the cluster's active silos.</summary>
    public async Task<PublishOptions> ResolveLayoutAsync(PublishOptions options, ModelArtifact artifact) =>
        options is { CandidateShards: not null, UserShards: not null } ? options
            : options.WithLayoutFor(artifact.Items.Count, artifact.Users.Count, artifact.Manifest.Dimension, await ShardLayout.ActiveSilosAsync(grains));

    public async Task<ModelVersionInfo> PublishAsync(ModelArtifact artifact, PublishOptions options,
        IProgress<PublishProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options = await ResolveLayoutAsync(options, artifact);
        options.Validate(artifact.Items.Count);
        var manifest = artifact.Manifest;
        var biasColumn = manifest.HyperParameters["itemBias"]?.GetValue<bool>() ?? false;
        var info = new ModelVersionInfo(manifest.Version, manifest.Dimension, artifact.Items.Count, artifact.Users.Count,
            options.CandidateShards!.Value, options.UserShards!.Value, DateTimeOffset.UtcNow, biasColumn, MeanNorm(artifact.UserEmbeddings, biasColumn),
            options.Index.ToString());

        var rowOfItem = new Dictionary<string, int>(artifact.Items.Count, StringComparer.Ordinal);
        for (var row = 0; row < artifact.Items.Count; row++) rowOfItem[artifact.Items[row].Id] = row;

        Activity.Current?.SetTag("recommender.model_version", info.Version);
        try
        {
            await PushAndActivateAsync(artifact, info, options, rowOfItem, progress, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && StoreFailureOf(e) is { } store)
        {
            // The store (Redis) failed under the publish: the registry keeps the version that served (its change is
            // written before it takes effect), so say that, and what to do.
            var serving = await ActiveVersionAsync();
            throw new PublishStoreException(
                $"Publishing version {info.Version} failed: the cluster's store did not answer ({store}). " +
                $"{(serving is null ? "No version was active before" : $"Version {serving} still serves")}; publish again once the store is back.", e);
        }
        return info;
    }

    private async Task PushAndActivateAsync(ModelArtifact artifact, ModelVersionInfo info, PublishOptions options,
        Dictionary<string, int> rowOfItem, IProgress<PublishProgress>? progress, CancellationToken cancellationToken)
    {
        // The towers first: a shard that restarts mid-publish places the live catalogue's movies with them.
        using (PublishTelemetry.ActivitySource.StartActivity("publish.towers"))
            await grains.GetGrain<IModelTowersGrain>(info.Version).Load(TowersOf(artifact, info));
        using (var movies = PublishTelemetry.ActivitySource.StartActivity("publish.movies"))
        {
            movies?.SetTag("recommender.rows", info.ItemCount);
            movies?.SetTag("recommender.shards", info.CandidateShards);
            await PushMoviesAsync(artifact, info, options, progress, cancellationToken);
        }
        using (var users = PublishTelemetry.ActivitySource.StartActivity("publish.users"))
        {
            users?.SetTag("recommender.rows", info.UserCount);
            users?.SetTag("recommender.shards", info.UserShards);
            await PushUsersAsync(artifact, info, options, rowOfItem, progress, cancellationToken);
        }

        // The shards built their indexes in the silos while the users were pushed; the version serves once all are built.
        using (var indexes = PublishTelemetry.ActivitySource.StartActivity("publish.indexes"))
        {
            var built = await WaitForIndexesAsync(info, progress, cancellationToken);
            indexes?.SetTag("recommender.index", string.Join("; ", built.Select(b => b.Built).Distinct()));
        }

        // The live catalogue's movies, put and taken down since earlier versions, before the version serves: a takedown
        // never comes back with a publish. Changes made from here on reach this version too.
        using (PublishTelemetry.ActivitySource.StartActivity("publish.live_catalogue"))
            await Task.WhenAll(ILiveCatalogueGrain.All(grains).Select(p => p.ApplyTo(info)));

        using (PublishTelemetry.ActivitySource.StartActivity("publish.activate"))
        {
            var popular = MostPopular(artifact, rowOfItem, options.PopularCount);
            var bytes = ((long)artifact.Items.Count + artifact.Users.Count) * info.Dimension * sizeof(float);
            await grains.GetGrain<IModelRegistryGrain>(IModelRegistryGrain.DefaultKey)
                .Activate(new ActiveModel(info, popular), artifact.Manifest.ToJson(), bytes);
        }
    }

    /// <summary>The artifact's towers (none when it has none) and its movie ids in row order, as the towers grain takes them.</summary>
    private static ModelTowers TowersOf(ModelArtifact artifact, ModelVersionInfo info) => artifact.Towers is { } towers
        ? new ModelTowers(info, System.Text.Json.JsonSerializer.Serialize(towers.Settings, Artifacts.Towers.TowerSettings.JsonOptions),
            towers.MovieFeatures.Values, towers.UserFeatures?.Values, towers.MovieNorms, [.. artifact.Items.Select(i => i.Id)])
        : new ModelTowers(info, null, [], null, [], [.. artifact.Items.Select(i => i.Id)]);

    /// <summary>Every candidate shard's built index, asked in rounds shorter than a grain call's timeout (a 10M-row build takes longer).</summary>
    private async Task<ShardIndexStatus[]> WaitForIndexesAsync(ModelVersionInfo info, IProgress<PublishProgress>? progress, CancellationToken cancellationToken)
    {
        var patience = TimeSpan.FromSeconds(10);
        var done = 0;
        return await Task.WhenAll(Enumerable.Range(0, info.CandidateShards).Select(async shard =>
        {
            var grain = grains.GetGrain<ICandidateShardGrain>(ICandidateShardGrain.Key(info.Version, shard));
            ShardIndexStatus status;
            do
            {
                cancellationToken.ThrowIfCancellationRequested();
                status = await grain.WaitForIndex(patience);
            }
            while (status.IsBuilding);
            progress?.Report(new PublishProgress("indexes", Interlocked.Increment(ref done), info.CandidateShards));
            return status;
        }));
    }

    /// <summary>The version the registry serves, if it answers within a few seconds (it needs no store to answer).</summary>
    private async Task<string?> ActiveVersionAsync()
    {
        try
        {
            var active = await grains.GetGrain<IModelRegistryGrain>(IModelRegistryGrain.DefaultKey).GetActive().WaitAsync(TimeSpan.FromSeconds(5));
            return active?.Info.Version;
        }
        catch (Exception)
        {
            return null;
        }
    }

    /// <summary>
    /// When <paramref name="e"/> (or one inside it) is a failure of the grain storage, that failure in a few words:
    /// "Type: first clause". A grain's own store message (the registry's) is kept as it is; Redis' exceptions reach
    /// the client as themselves or as Orleans' fallback for a type it lacks, so they are known by name.
    /// </summary>
    public static string? StoreFailureOf(Exception e)
    {
        foreach (var x in Flatten(e))
        {
            var type = FallbackTypeName(x) ?? x.GetType().Name;
            var isStore = type.Contains("Redis", StringComparison.Ordinal) || type.Contains("StorageException", StringComparison.Ordinal)
                || x.Message.Contains("grain state for", StringComparison.Ordinal) || x.Message.Contains("the store failed", StringComparison.Ordinal);
            if (!isStore) continue;
            var innermost = x;
            while (innermost.InnerException is not null) innermost = innermost.InnerException;
            return Clause(FallbackTypeName(innermost) ?? innermost.GetType().Name, innermost.Message);
        }
        return null;
    }

    private static IEnumerable<Exception> Flatten(Exception e)
    {
        yield return e;
        var children = e is AggregateException aggregate ? aggregate.InnerExceptions : (IEnumerable<Exception>)(e.InnerException is null ? [] : [e.InnerException]);
        foreach (var child in children)
            foreach (var x in Flatten(child)) yield return x;
    }

    private static string? FallbackTypeName(Exception e) =>
        e.GetType().GetProperty("ExceptionType")?.GetValue(e) is string name ? name[(name.LastIndexOf('.') + 1)..].Split(',')[0] : null;

    /// <summary>"Type: first clause of the message" (<see cref="StoreErrorWording"/>).</summary>
    public static string Clause(string type, string message) => StoreErrorWording.FirstClause(type, message);

    private static void Pushed(string stage, ModelVersionInfo info, int rows)
    {
        var tags = new TagList { { "stage", stage }, { "version", info.Version } };
        PublishTelemetry.RowsPushed.Add(rows, tags);
        PublishTelemetry.ChunksPushed.Add(1, tags);
    }

    private async Task PushMoviesAsync(ModelArtifact artifact, ModelVersionInfo info, PublishOptions options,
        IProgress<PublishProgress>? progress, CancellationToken cancellationToken)
    {
        var rowsPerChunk = Math.Max(1, options.ChunkBytes / (info.Dimension * sizeof(float)));
        long pushed = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, info.CandidateShards),
            new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
            async (shard, ct) =>
            {
                var grain = grains.GetGrain<ICandidateShardGrain>(ICandidateShardGrain.Key(info.Version, shard));
                var (start, count) = Partitioning.ShardRows(info.ItemCount, info.CandidateShards, shard);
                using var push = PublishTelemetry.ActivitySource.StartActivity("publish.shard");
                push?.SetTag("recommender.shard", shard);
                push?.SetTag("recommender.rows", count);
                push?.SetTag("recommender.chunks", (count + rowsPerChunk - 1) / rowsPerChunk);
                for (var offset = 0; offset < count; offset += rowsPerChunk)
                {
                    ct.ThrowIfCancellationRequested();
                    var first = start + offset;
                    var n = Math.Min(rowsPerChunk, count - offset);
                    var items = artifact.Items.Skip(first).Take(n).ToArray();
                    await grain.Load(new CandidateChunk(info, first,
                        items.Select(i => i.Id).ToArray(), items.Select(i => i.Title).ToArray(),
                        artifact.ItemEmbeddings.RowsAsBytes(first, n),
                        items.Select(i => i.Genres.ToArray()).ToArray(), items.Select(i => i.Year ?? 0).ToArray()));
                    Pushed("movies", info, n);
                    progress?.Report(new PublishProgress("movies", Interlocked.Add(ref pushed, n), info.ItemCount));
                }
                // The seal starts the shard's index build in the silo: its span (index.build) is a child of this one.
                using (PublishTelemetry.ActivitySource.StartActivity("publish.seal"))
                    await grain.Seal();
            });
    }

    private async Task PushUsersAsync(ModelArtifact artifact, ModelVersionInfo info, PublishOptions options,
        Dictionary<string, int> rowOfItem, IProgress<PublishProgress>? progress, CancellationToken cancellationToken)
    {
        // An erased user gets no row in any version published after the erasure, whenever it was trained.
        var erased = await IRatingLogGrain.ErasedUsersAsync(grains);
        var rowsByShard = Enumerable.Range(0, artifact.Users.Count)
            .Where(row => !erased.Contains(artifact.Users[row].Id))
            .GroupBy(row => Partitioning.UserShardOf(artifact.Users[row].Id, info.UserShards))
            .ToDictionary(g => g.Key, g => g.ToArray());
        var rowsPerChunk = Math.Max(1, options.ChunkBytes / (info.Dimension * sizeof(float)));
        long pushed = 0;
        await Parallel.ForEachAsync(rowsByShard,
            new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
            async (entry, ct) =>
            {
                var grain = grains.GetGrain<IUserShardGrain>(IUserShardGrain.Key(info.Version, entry.Key));
                using var push = PublishTelemetry.ActivitySource.StartActivity("publish.user_shard");
                push?.SetTag("recommender.shard", entry.Key);
                push?.SetTag("recommender.rows", entry.Value.Length);
                foreach (var rows in entry.Value.Chunk(rowsPerChunk))
                {
                    ct.ThrowIfCancellationRequested();
                    var vectors = new byte[rows.Length * info.Dimension * sizeof(float)];
                    var target = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(vectors.AsSpan());
                    for (var i = 0; i < rows.Length; i++)
                        artifact.UserEmbeddings.Row(rows[i]).CopyTo(target.Slice(i * info.Dimension, info.Dimension));
                    var seen = rows.Select(r => artifact.Users[r].Seen.Select(id => rowOfItem[id]).Order().ToArray()).ToArray();
                    await grain.Load(new UserChunk(info, rows.Select(r => artifact.Users[r].Id).ToArray(), vectors, seen));
                    Pushed("users", info, rows.Length);
                    progress?.Report(new PublishProgress("users", Interlocked.Add(ref pushed, rows.Length), info.UserCount));
                }
                await grain.Seal(entry.Value.Length);
            });
    }

    /// <summary>The mean norm of the users' embeddings, bias column left out: the scale of a query built from ratings.</summary>
    public static float MeanNorm(EmbeddingMatrix users, bool biasColumn)
    {
        if (users.Rows == 0) return 1;
        var d = biasColumn ? users.Columns - 1 : users.Columns;
        double total = 0;
        for (var r = 0; r < users.Rows; r++)
        {
            var row = users.Row(r);
            double sum = 0;
            for (var j = 0; j < d; j++) sum += (double)row[j] * row[j];
            total += Math.Sqrt(sum);
        }
        return (float)(total / users.Rows);
    }

    /// <summary>The movies most users saw in training, scored by that count (ties: lower row first).</summary>
    public static ImmutableArray<PopularMovie> MostPopular(ModelArtifact artifact, IReadOnlyDictionary<string, int> rowOfItem, int count)
    {
        var interactions = new int[artifact.Items.Count];
        foreach (var user in artifact.Users)
            foreach (var id in user.Seen)
                interactions[rowOfItem[id]]++;
        return [.. Enumerable.Range(0, interactions.Length)
            .OrderByDescending(row => interactions[row]).ThenBy(row => row)
            .Take(count)
            .Select(row => new PopularMovie(new ScoredMovie(row, artifact.Items[row].Id, artifact.Items[row].Title, interactions[row]),
                [.. artifact.Items[row].Genres], artifact.Items[row].Year ?? 0))];
    }
}
