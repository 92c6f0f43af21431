using System.Collections.Immutable;

namespace MovieRecommender.Grains;

/// <summary>The version that serves, with its most popular movies for users the model does not know.</summary>
[GenerateSerializer, Immutable]
public sealed record ActiveModel(
    [property: Id(0)] ModelVersionInfo Info,
    [property: Id(1)] ImmutableArray<PopularMovie> Popular);
