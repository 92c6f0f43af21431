using System.Collections.Immutable;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MovieRecommender.Grains;
using MovieRecommender.Grains.Registry;

namespace MovieRecommender.Serving.Tests.Registry;

/// <summary>A silo's view keeps the newest say it hears, whatever order it hears in; its settings are checked.</summary>
public sealed class ActiveModelViewTests
{
    [Fact]
    public void AnOlderSnapshotNeverReplacesANewerOne()
    {
        // No grain call here: Offer only orders what the silo hears.
        var view = new ActiveModelView(grains: null!, NullLogger<ActiveModelView>.Instance);
        Assert.Null(view.Active);
        Assert.Equal(-1, view.Generation);

        Assert.True(view.Offer(Snapshot(2, "v2"), "test"));
        // A refresh that read generation 1 before the notification of generation 2 arrived.
        Assert.False(view.Offer(Snapshot(1, "v1"), "test"));
        Assert.False(view.Offer(Snapshot(2, "v2-again"), "test"));
        Assert.Equal("v2", view.Active?.Info.Version);

        // A rollback is a newer generation, though an older version.
        Assert.True(view.Offer(Snapshot(3, "v1"), "test"));
        Assert.Equal("v1", view.Active?.Info.Version);
        Assert.Equal(3, view.Generation);
    }

    [Fact]
    public void ARegistryBegunAgainIsBelievedThoughItCountsFromOne()
    {
        var view = new ActiveModelView(grains: null!, NullLogger<ActiveModelView>.Instance);
        Assert.True(view.Offer(Snapshot(7, "v7", epoch: "first"), "test"));

        // The store was wiped and a version published again: generation 1 of another state.
        Assert.True(view.Offer(Snapshot(1, "fresh", epoch: "second"), "test"));
        Assert.Equal("fresh", view.Active?.Info.Version);
        Assert.False(view.Offer(Snapshot(1, "fresh", epoch: "second"), "test"));
    }

    [Fact]
    public void SettingsMustBePositive()
    {
        var validator = new ActiveModelViewOptionsValidator();
        Assert.True(validator.Validate(null, new ActiveModelViewOptions()).Succeeded);
        Assert.Contains("RefreshPeriod", validator.Validate(null, new ActiveModelViewOptions { RefreshPeriod = TimeSpan.Zero }).FailureMessage);
        Assert.Contains("NotificationTimeout", validator.Validate(null, new ActiveModelViewOptions { NotificationTimeout = TimeSpan.FromSeconds(-1) }).FailureMessage);
    }

    [Fact]
    public void SettingsBindFromTheirSectionAndABadOneIsRefused()
    {
        using (var host = SiloHost("--Serving:Registry:RefreshPeriod=00:00:02", "--Serving:Registry:NotificationTimeout=00:00:00.5"))
        {
            var options = host.Services.GetRequiredService<IOptions<ActiveModelViewOptions>>().Value;
            Assert.Equal(TimeSpan.FromSeconds(2), options.RefreshPeriod);
            Assert.Equal(TimeSpan.FromMilliseconds(500), options.NotificationTimeout);
        }
        using (var host = SiloHost("--Serving:Registry:RefreshPeriod=00:00:00"))
        {
            var error = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<ActiveModelViewOptions>>().Value);
            Assert.Contains("Serving:Registry:RefreshPeriod", error.Message);
        }
    }

    // Built as the Silo program builds it, not started: cluster mode dials nothing until the host starts.
    private static WebApplication SiloHost(params string[] args) => MovieRecommender.Silo.Program.Build([.. args, "--Cluster:Mode=redis"]);

    private static RegistrySnapshot Snapshot(long generation, string version, string epoch = "e") =>
        new(generation, new ActiveModel(new ModelVersionInfo(version, 4, 10, 5, 1, 1, DateTimeOffset.UnixEpoch), ImmutableArray<PopularMovie>.Empty), epoch);
}
