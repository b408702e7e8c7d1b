using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Webhooks;

namespace Orchestrator.Workflows.Tests.Webhooks;

public sealed class WebhookSignatureTests
{
    private const string Secret = "whsec_test-secret-0123456789";
    private const string Body = """{"id":"evt-1","type":"model.promoted","project":"weather","data":{"version":4}}""";
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Tolerance = WebhookSignature.DefaultTolerance;

    [Fact]
    public void Verify_SignedBody_RoundTrips()
    {
        var header = WebhookSignature.Sign(Secret, Body, Now);
        Assert.Matches("^t=[0-9]+,v1=[0-9a-f]{64}$", header);
        Assert.True(WebhookSignature.Verify(Secret, header, Body, Now.AddSeconds(30), Tolerance));
    }

    [Fact]
    public void Verify_TamperedBody_Rejected() =>
        Assert.False(WebhookSignature.Verify(Secret, WebhookSignature.Sign(Secret, Body, Now), Body.Replace("\"version\":4", "\"version\":5"), Now, Tolerance));

    [Fact]
    public void Verify_WrongSecret_Rejected() =>
        Assert.False(WebhookSignature.Verify("whsec_another-secret-000000", WebhookSignature.Sign(Secret, Body, Now), Body, Now, Tolerance));

    [Fact]
    public void Verify_StaleTimestamp_RejectedAsReplay()
    {
        var header = WebhookSignature.Sign(Secret, Body, Now);
        Assert.False(WebhookSignature.Verify(Secret, header, Body, Now + Tolerance + TimeSpan.FromSeconds(1), Tolerance));
        Assert.False(WebhookSignature.Verify(Secret, header, Body, Now - Tolerance - TimeSpan.FromSeconds(1), Tolerance)); // from the future
    }

    [Fact]
    public void Verify_TimestampChangedToLookFresh_Rejected()
    {
        // A replayer cannot move the timestamp forward: it is signed with the body.
        var signature = WebhookSignature.Sign(Secret, Body, Now).Split(",v1=")[1];
        var fresh = Now.AddHours(1);
        Assert.False(WebhookSignature.Verify(Secret, $"t={fresh.ToUnixTimeSeconds()},v1={signature}", Body, fresh, Tolerance));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("v1=abc")]
    [InlineData("t=1700000000")]
    [InlineData("t=abc,v1=00")]
    [InlineData("t=1700000000,v1=zz")]
    [InlineData("garbage")]
    public void Verify_MalformedHeader_Rejected(string? header) =>
        Assert.False(WebhookSignature.Verify(Secret, header, Body, DateTimeOffset.FromUnixTimeSeconds(1700000000), Tolerance));

    [Fact]
    public void Verify_SeveralSignaturesOneMatching_Accepted()
    {
        var header = WebhookSignature.Sign(Secret, Body, Now);
        var old = WebhookSignature.Sign("whsec_old-secret-0000000000", Body, Now).Split(",v1=")[1];
        Assert.True(WebhookSignature.Verify(Secret, $"{header},v1={old}", Body, Now, Tolerance));
    }

    [Fact]
    public void Create_SameKey_SameEventId()
    {
        var run = new RunInfo("run-1", "weather", "daily", 3, RunStage.DataScience, RunStatus.Running, 0, null, null, null, null, null, "api", Now, Now);
        var done = run with { Stage = RunStage.Done, Status = RunStatus.Completed };
        var first = WebhookEvent.RunStageChanged(run, done, Now);
        var again = WebhookEvent.RunStageChanged(run, done, Now.AddMinutes(1));
        Assert.Equal(first.Id, again.Id); // a retried step publishes the same event
        Assert.NotEqual(first.Id, WebhookEvent.RunStageChanged(run, done with { Status = RunStatus.Failed }, Now).Id);
        Assert.Equal((WebhookEventTypes.RunStageChanged, RunStage.Done, RunStage.DataScience), (first.Type, first.Data["stage"], first.Data["previousStage"]));
    }
}
