using MovieRecommender.AppHost;

// The local cluster of docs/cluster.md, started the Aspire way: redis-server, the silos on it, the trainer that
// trains on MovieLens 100K and publishes once every silo is up (as ./run.sh does for one silo), and the console,
// started by hand from the dashboard. The dashboard's login link is printed at start.
try
{
    var builder = DistributedApplication.CreateBuilder(args);
    var cluster = LocalClusterOptions.From(builder.Configuration);
    var repository = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", ".."));

    var redis = builder.AddRedisServer("redis", cluster.RedisPort);
    var silos = cluster.Silos.Select((ports, i) => builder.AddSilo($"silo{i + 1}", ports, redis, cluster.RedisPort)).ToList();

    var movieLens = cluster.MovieLensFolder(repository);
    string[] data = movieLens is null ? [] : ["--data", movieLens];
    var trainer = builder.AddProject<Projects.Trainer>("trainer")
        .InRedisMode(cluster.RedisPort)
        .WithArgs(["train", .. data, "--out", cluster.ModelsFolder(repository), "--publish", .. cluster.ExtraTrainArguments()]);
    foreach (var silo in silos) trainer.WaitFor(silo);

    // 'recommend 42' once a model is published; the dashboard's start button runs it again.
    builder.AddProject<Projects.Client>("console")
        .InRedisMode(cluster.RedisPort)
        .WithArgs("recommend", "42")
        .WithExplicitStart()
        .WaitForCompletion(trainer);

    await builder.Build().RunAsync();
    return 0;
}
catch (SetupException e)
{
    await Console.Error.WriteLineAsync($"AppHost: {e.Message}");
    return 2;
}
