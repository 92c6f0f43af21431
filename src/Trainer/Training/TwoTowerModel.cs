using MovieRecommender.Trainer.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MovieRecommender.Trainer.Training;

/// <summary>
/// The two-tower retrieval model: a user tower and a movie tower, each the sum of an id embedding and (when
/// features are on) the embeddings of the row's categorical features; with a temperature both towers are
/// L2-normalised and the score is cosine / temperature, otherwise the plain dot product.
/// </summary>
public sealed class TwoTowerModel : nn.Module
{
    private readonly Embedding userIds;
    private readonly Embedding itemIds;
    private readonly Embedding? userFeatures;
    private readonly Embedding? itemFeatures;

    // Feature indices per user / item row (0 = padding), kept out of the state dict: they describe the data, not weights.
    private readonly Tensor? userFeatureIndex;
    private readonly Tensor? itemFeatureIndex;

    public TwoTowerModel(int users, int items, TrainingConfig config, FeatureMatrix? userFeatureMatrix, FeatureMatrix? itemFeatureMatrix,
        Generator? generator = null)
        : base(nameof(TwoTowerModel))
    {
        Users = users;
        Items = items;
        Dimension = config.Dimension;
        Temperature = config.Temperature;
        userIds = nn.Embedding(users, config.Dimension);
        itemIds = nn.Embedding(items, config.Dimension);
        if (userFeatureMatrix is { VocabularySize: > 1 })
        {
            if (userFeatureMatrix.Rows != users) throw new ArgumentException($"{userFeatureMatrix.Rows} user feature rows for {users} users.");
            userFeatures = nn.Embedding(userFeatureMatrix.VocabularySize, config.Dimension, padding_idx: 0);
        }
        if (itemFeatureMatrix is { VocabularySize: > 1 })
        {
            if (itemFeatureMatrix.Rows != items) throw new ArgumentException($"{itemFeatureMatrix.Rows} item feature rows for {items} items.");
            itemFeatures = nn.Embedding(itemFeatureMatrix.VocabularySize, config.Dimension, padding_idx: 0);
        }
        RegisterComponents();

        using (no_grad())
        {
            foreach (var e in new[] { userIds, itemIds, userFeatures, itemFeatures })
            {
                if (e is null) continue;
                nn.init.uniform_(e.weight!, -config.InitScale, config.InitScale, generator);
            }
            userFeatures?.weight!.narrow(0, 0, 1).zero_();
            itemFeatures?.weight!.narrow(0, 0, 1).zero_();
        }
        if (userFeatures is not null)
            userFeatureIndex = tensor(userFeatureMatrix!.Indices, [userFeatureMatrix.Rows, userFeatureMatrix.Width]);
        if (itemFeatures is not null)
            itemFeatureIndex = tensor(itemFeatureMatrix!.Indices, [itemFeatureMatrix.Rows, itemFeatureMatrix.Width]);
    }

    public int Users { get; }
    public int Items { get; }
    public int Dimension { get; }
    public double Temperature { get; }
    public bool HasUserFeatures => userFeatures is not null;
    public bool HasItemFeatures => itemFeatures is not null;

    /// <summary>The user tower for a 1-D int64 tensor of user indices: [n, dim], normalised when a temperature is set.</summary>
    public Tensor UserVectors(Tensor users) => Tower(userIds, userFeatures, userFeatureIndex, users);

    /// <summary>The movie tower for a 1-D int64 tensor of item indices: [n, dim], normalised when a temperature is set.</summary>
    public Tensor ItemVectors(Tensor items) => Tower(itemIds, itemFeatures, itemFeatureIndex, items);

    /// <summary>Every movie's vector, [items, dim].</summary>
    public Tensor AllItemVectors()
    {
        using var all = arange(Items, dtype: ScalarType.Int64);
        return ItemVectors(all);
    }

    private Tensor Tower(Embedding ids, Embedding? features, Tensor? featureIndex, Tensor rows)
    {
        using var scope = NewDisposeScope();
        var v = ids.call(rows);
        if (features is not null && featureIndex is not null)
            v = v + features.call(featureIndex.index_select(0, rows)).sum(1);
        if (Temperature > 0)
            v = nn.functional.normalize(v, p: 2.0, dim: -1);
        return v.MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            userFeatureIndex?.Dispose();
            itemFeatureIndex?.Dispose();
        }
        base.Dispose(disposing);
    }
}
