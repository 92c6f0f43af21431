using MovieRecommender.Trainer.Data;
using MovieRecommender.Trainer.Evaluation;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MovieRecommender.Trainer.Training;

/// <summary>
/// The two-tower retrieval model. The query tower sums the user's id embedding, the embeddings of the user's
/// categorical features and the pooled embeddings of the user's training movies (history: their mean or their sum
/// over √n, from a table of its own or the movies' id table); the candidate tower
/// sums the movie's id embedding and its feature embeddings (genres, year, title words). With
/// <see cref="TrainingConfig.Normalize"/> both outputs are L2-normalised. The same towers run with the id embedding
/// left out (<see cref="UserFeatureVectors"/>, <see cref="AllItemFeatureVectors"/>) are what serving computes for a user
/// or a movie the model never saw; id dropout (<see cref="TrainingConfig.IdDropout"/>) trains them.
/// </summary>
public sealed class TwoTowerModel : nn.Module
{
    private readonly Embedding? userIds;
    private readonly Embedding itemIds;
    private readonly Embedding? userFeatures;
    private readonly Embedding? itemFeatures;
    private readonly Embedding? historyItems;
    private readonly Embedding? itemBias;
    private readonly Embedding? coldBias;

    // Feature indices per user / item row (0 = padding), and the users' histories: data, not weights.
    private readonly Tensor? userFeatureIndex;
    private readonly Tensor? itemFeatureIndex;

    // Every movie's features as a sparse (movies x vocabulary) 0/1 matrix: summing every movie's feature embeddings is
    // then one sparse-dense product forward and one back, instead of gathering a (movies x width x dim) block and
    // reducing it, which was the largest single cost of a step on a 10,000-movie catalogue.
    private readonly Tensor? itemFeatureMembership;
    private readonly SparseRows? history;

    // Explicit, long-lived scalars: an implicitly converted Scalar can be finalized by the GC while libtorch
    // still reads it (seen as "INTERNAL ASSERT FAILED at Scalar.h" under allocation pressure).
    private readonly Scalar one = 1.ToScalar();

    public TwoTowerModel(int users, int items, TrainingConfig config, FeatureMatrix? userFeatureMatrix, FeatureMatrix? itemFeatureMatrix,
        SparseRows? history = null, Generator? generator = null)
        : base(nameof(TwoTowerModel))
    {
        Users = users;
        Items = items;
        Dimension = config.Dimension;
        Normalize = config.Normalize;
        Pooling = config.HistoryPooling;
        if (config.Features.HasFlag(TowerFeatures.UserId) || history is null && userFeatureMatrix is null)
            userIds = nn.Embedding(users, config.Dimension);
        itemIds = nn.Embedding(items, config.Dimension);
        if (userFeatureMatrix is { VocabularySize: > 1 })
        {
            if (userFeatureMatrix.Rows != users) throw new ArgumentException($"{userFeatureMatrix.Rows} user feature rows for {users} users.");
            userFeatures = nn.Embedding(userFeatureMatrix.VocabularySize, config.Dimension, padding_idx: 0);
            UserVocabulary = userFeatureMatrix.Vocabulary;
        }
        if (itemFeatureMatrix is { VocabularySize: > 1 })
        {
            if (itemFeatureMatrix.Rows != items) throw new ArgumentException($"{itemFeatureMatrix.Rows} item feature rows for {items} items.");
            itemFeatures = nn.Embedding(itemFeatureMatrix.VocabularySize, config.Dimension, padding_idx: 0);
            ItemVocabulary = itemFeatureMatrix.Vocabulary;
        }
        if (history is not null)
        {
            if (history.Users != users || history.ItemCount != items) throw new ArgumentException($"the history has {history.Users} users x {history.ItemCount} movies, the model {users} x {items}.");
            this.history = history;
            // Shared: a movie is the same vector whether it is scored or sits in a history (half the weights to learn).
            if (!config.ShareHistoryTable) historyItems = nn.Embedding(items, config.Dimension);
        }
        if (config.ItemBias) itemBias = nn.Embedding(items, 1);
        // Only where ids are dropped (the per-user loss): the dropped movies score with it, so it learns what a movie known
        // by its features alone deserves (see ColdBias). A table of one row, like the movies' biases.
        if (config.ItemBias && config.IdDropout > 0 && config.Loss == LossKind.PerUser) coldBias = nn.Embedding(1, 1);
        RegisterComponents();

        using (no_grad())
        {
            foreach (var e in new[] { userIds, itemIds, userFeatures, itemFeatures, historyItems })
            {
                if (e is null) continue;
                nn.init.uniform_(e.weight!, -config.InitScale, config.InitScale, generator);
            }
            itemBias?.weight!.zero_();
            coldBias?.weight!.zero_();
            userFeatures?.weight!.narrow(0, 0, 1).zero_();
            itemFeatures?.weight!.narrow(0, 0, 1).zero_();
        }
        if (userFeatures is not null)
            userFeatureIndex = tensor(userFeatureMatrix!.Indices, [userFeatureMatrix.Rows, userFeatureMatrix.Width]);
        if (itemFeatures is not null)
        {
            itemFeatureIndex = tensor(itemFeatureMatrix!.Indices, [itemFeatureMatrix.Rows, itemFeatureMatrix.Width]);
            itemFeatureMembership = Membership(itemFeatureMatrix);
        }
    }

    public int Users { get; }
    public int Items { get; }
    public int Dimension { get; }
    public bool Normalize { get; }
    public bool HasUserFeatures => userFeatures is not null;
    public bool HasItemFeatures => itemFeatures is not null;
    public HistoryPooling Pooling { get; }

    /// <summary>The names of the user / movie feature table's rows (row 0 the padding); empty without such features.</summary>
    public IReadOnlyList<string> UserVocabulary { get; } = [];
    public IReadOnlyList<string> ItemVocabulary { get; } = [];

    /// <summary>The feature embedding tables, [vocabulary, dim] (null without such features): what the artifact's towers carry.</summary>
    public Tensor? UserFeatureTable => userFeatures?.weight;
    public Tensor? ItemFeatureTable => itemFeatures?.weight;

    /// <summary>Every movie's id embedding plus its feature sum, before normalisation: [items, dim].</summary>
    public Tensor AllItemSums()
    {
        using var scope = NewDisposeScope();
        var features = itemFeatures is not null && itemFeatureMembership is not null ? itemFeatureMembership.mm(itemFeatures.weight!) : null;
        var sums = features is null ? itemIds.weight!.clone() : itemIds.weight!.add(features, one);
        return sums.MoveToOuterDisposeScope();
    }
    public bool HasHistory => history is not null;

    /// <summary>The embeddings the history bag pools: its own table, or the movies' id table when shared.</summary>
    private Tensor HistoryTable => (historyItems ?? itemIds).weight!;
    public bool HasItemBias => itemBias is not null;

    /// <summary>True when the model learned a shared bias for movies scored without their id (id dropout with an item bias).</summary>
    public bool HasColdBias => coldBias is not null;

    /// <summary>The learned shared bias of the movies whose id was dropped, [1] (only with <see cref="HasColdBias"/>).</summary>
    public Tensor ColdBias => coldBias!.weight!.view(1);

    /// <summary>The movies' learned biases, [n] (only with <see cref="HasItemBias"/>).</summary>
    public Tensor ItemBiases(Tensor items) => itemBias!.call(items).squeeze(1);

    /// <summary>The scalar 1, kept alive with the model for tensor arithmetic (see the field's comment).</summary>
    public Scalar One => one;

    /// <summary>
    /// The query tower for a batch of users: [n, dim]. <paramref name="hiddenItems"/> (one per user, or empty)
    /// are the movies being predicted, hidden from their user's history.
    /// </summary>
    public Tensor UserVectors(long[] users, long[]? hiddenItems = null)
    {
        using var scope = NewDisposeScope();
        var weights = HasHistory ? HistoryWeights(HistoryBags.Build(history!, users, hiddenItems ?? [], Pooling), users.Length) : null;
        return QueryVectors(tensor(users), weights).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The query tower for a 1-D int64 tensor of users, given their history bags as a dense (users x movies) matrix of
    /// pooling weights (ignored without the history feature): [n, dim].
    /// </summary>
    /// <param name="keepId">[n, 1] of 0 and 1: 0 leaves that user's id embedding out (id dropout); null keeps every id.</param>
    public Tensor QueryVectors(Tensor users, Tensor? historyWeights, Tensor? keepId = null)
    {
        using var scope = NewDisposeScope();
        var v = userIds?.call(users) ?? zeros(users.shape[0], Dimension);
        if (keepId is not null) v = v.mul(keepId);
        if (userFeatures is not null && userFeatureIndex is not null)
            v = v.add(userFeatures.call(userFeatureIndex.index_select(0, users)).sum(1), one);
        if (HasHistory && historyWeights is not null)
            v = v.add(historyWeights.matmul(HistoryTable), one);
        if (Normalize)
            v = nn.functional.normalize(v, p: 2.0, dim: -1);
        return v.MoveToOuterDisposeScope();
    }

    /// <summary>The candidate tower for a 1-D int64 tensor of item indices: [n, dim].</summary>
    public Tensor ItemVectors(Tensor items)
    {
        using var scope = NewDisposeScope();
        var features = itemFeatures is not null && itemFeatureIndex is not null ? itemFeatures.call(itemFeatureIndex.index_select(0, items)).sum(1) : null;
        return CandidateTower(itemIds.call(items), features).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Every movie's vector, [items, dim]. Straight from the tables, without looking every movie up: a lookup of all of
    /// them copies the table forward and scatters its gradient back, every step of the full and per-user softmaxes.
    /// </summary>
    /// <param name="keepId">[items, 1] of 0 and 1: 0 leaves that movie's id embedding out (id dropout); null keeps every id.</param>
    public Tensor AllItemVectors(Tensor? keepId = null)
    {
        using var scope = NewDisposeScope();
        var features = itemFeatures is not null && itemFeatureMembership is not null ? itemFeatureMembership.mm(itemFeatures.weight!) : null;
        var ids = keepId is null ? itemIds.weight! : itemIds.weight!.mul(keepId);
        return CandidateTower(ids, features).MoveToOuterDisposeScope();
    }

    /// <summary>Every movie's bias, [items] (only with <see cref="HasItemBias"/>); with <paramref name="keepId"/> ([items, 1]
    /// of 0 and 1), a movie whose id is dropped has the cold bias instead of its own.</summary>
    public Tensor AllItemBiases(Tensor? keepId = null)
    {
        var own = itemBias!.weight!.squeeze(1);
        if (keepId is null || coldBias is null) return own;
        using var scope = NewDisposeScope();
        var keep = keepId.squeeze(1);
        return own.mul(keep).add(coldBias.weight!.view(1).mul(keep.neg().add(one)), one).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Every movie's vector from its features alone, the id embedding left out, normalised if configured: [items, dim], or
    /// null without movie features. What serving computes for a movie the model never saw.
    /// </summary>
    public Tensor? AllItemFeatureVectors()
    {
        if (itemFeatures is null || itemFeatureMembership is null) return null;
        using var scope = NewDisposeScope();
        var sums = itemFeatureMembership.mm(itemFeatures.weight!);
        return (Normalize ? nn.functional.normalize(sums, p: 2.0, dim: -1) : sums).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The query tower from demographics alone, the id embedding (and the history) left out, normalised if configured: [n, dim]
    /// (zeros without demographic features). What serving computes for a user the model never saw.
    /// </summary>
    public Tensor UserFeatureVectors(Tensor users)
    {
        using var scope = NewDisposeScope();
        var v = userFeatures is not null && userFeatureIndex is not null
            ? userFeatures.call(userFeatureIndex.index_select(0, users)).sum(1)
            : zeros(users.shape[0], Dimension);
        return (Normalize ? nn.functional.normalize(v, p: 2.0, dim: -1) : v).MoveToOuterDisposeScope();
    }

    /// <summary>The movies' id vectors plus the sums of their feature vectors (if any), normalised if configured.</summary>
    private Tensor CandidateTower(Tensor idVectors, Tensor? featureSums)
    {
        var v = featureSums is null ? idVectors : idVectors.add(featureSums, one);
        return Normalize ? nn.functional.normalize(v, p: 2.0, dim: -1) : v;
    }

    /// <summary>A feature matrix as a sparse (rows x vocabulary) matrix with a 1 where a row has a feature (padding left out).</summary>
    private static Tensor Membership(FeatureMatrix matrix)
    {
        var rows = new List<long>();
        var columns = new List<long>();
        for (var r = 0; r < matrix.Rows; r++)
            for (var c = 0; c < matrix.Width; c++)
                if (matrix.Indices[(long)r * matrix.Width + c] is var k and > 0)
                {
                    rows.Add(r);
                    columns.Add(k);
                }
        using var scope = NewDisposeScope();
        var indices = stack([tensor(rows.ToArray()), tensor(columns.ToArray())]);
        return sparse_coo_tensor(indices, ones(rows.Count), [matrix.Rows, matrix.VocabularySize]).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The bags as a dense (bags x movies) weight matrix, so pooling is one matrix product with the history table
    /// forward and one backward. An empty bag is a row of zeros.
    /// </summary>
    private Tensor HistoryWeights(HistoryBags bags, int count)
    {
        var weights = new float[(long)count * Items];
        for (var k = 0; k < bags.Items.Length; k++) weights[bags.Bags[k] * Items + bags.Items[k]] = bags.Weights[k];
        return tensor(weights, [count, Items]);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            userFeatureIndex?.Dispose();
            itemFeatureIndex?.Dispose();
            itemFeatureMembership?.Dispose();
            one.Dispose();
        }
        base.Dispose(disposing);
    }
}
