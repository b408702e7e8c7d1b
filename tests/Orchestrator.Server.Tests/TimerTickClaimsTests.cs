using Azure.Data.Tables;

namespace Orchestrator.Server.Tests;

/// <summary>Two servers on one storage account: each timer tick runs on exactly one of them.</summary>
[Collection(ServerCollection.Name)]
public sealed class TimerTickClaimsTests(ServerFixture server)
{
    [Fact]
    public async Task TryClaim_TwoServersOnEachTick_ExactlyOneClaimsEach()
    {
        var tables = new TableServiceClient(server.Azurite.ConnectionString);
        var servers = new[] { new TimerTickClaims(tables, "server-a"), new TimerTickClaims(tables, "server-b") };
        var timer = "Timer" + Guid.NewGuid().ToString("N")[..8];
        var first = new DateTime(2030, 1, 1, 0, 0, 0, DateTimeKind.Utc);

        for (var tick = 0; tick < 3; tick++)
        {
            var at = first.AddHours(tick);
            var claimed = await Task.WhenAll(servers.Select(s => s.TryClaimAsync(timer, at)));
            Assert.Single(claimed, c => c);
            // The winner asking again (a restarted server replaying the same tick) does not run it twice.
            Assert.False(await servers[Array.IndexOf(claimed, true)].TryClaimAsync(timer, at));
        }
    }
}
