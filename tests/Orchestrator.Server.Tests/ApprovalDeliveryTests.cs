using System.Net;
using System.Net.Sockets;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Orchestrator.Workflows.Approvals;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Storage;
using Orchestrator.Workflows.Webhooks;

namespace Orchestrator.Server.Tests;

/// <summary>Approval emails against real storage (Azurite): a send failure is recorded and the approval survives it.</summary>
[Collection(ServerCollection.Name)]
public sealed class ApprovalDeliveryTests(ServerFixture server)
{
    private TableServiceClient Tables => new(server.Azurite.ConnectionString);

    private ApprovalService Service(int smtpPort) => new(
        new TrialStore(Tables), new ModelStore(Tables), new DeploymentStore(Tables), new ApprovalStore(Tables),
        new ApprovalTokens(Options.Create(new ApprovalOptions { SigningKeys = ["k"] })),
        new ApprovalMailer(Options.Create(new EmailOptions { Smtp = new SmtpOptions { Host = "127.0.0.1", Port = smtpPort, Security = "None" } })),
        Options.Create(new ApprovalOptions { SigningKeys = ["k"] }),
        TimeProvider.System,
        new WebhookPublisher(new WebhookStore(new TableServiceClient(server.Azurite.ConnectionString)), new DatasetStore(new TableServiceClient(server.Azurite.ConnectionString))));

    [Fact]
    public async Task RequestAsync_SmtpDown_ApprovalKeptWithSendErrorAndStillListed()
    {
        var approvals = new ApprovalStore(Tables);
        var runId = "delivery-" + Guid.NewGuid().ToString("N")[..8];
        await new TrialStore(Tables).PutTrialAsync(new TrialResult(runId, "t001", "LightGbm", new Dictionary<string, double>(), TrialStatus.Succeeded,
            new Dictionary<string, double> { ["microAccuracy"] = 0.8 }, "m", 1, null));
        int closedPort;
        using (var probe = new TcpListener(IPAddress.Loopback, 0)) { probe.Start(); closedPort = ((IPEndPoint)probe.LocalEndpoint).Port; }
        var service = Service(closedPort);
        var approvalId = Guid.NewGuid().ToString("N");

        var approval = await service.RequestAsync(new ApprovalRequest(approvalId, runId, "delivery", "t001", "instance",
            ["sme@example.com"], DateTimeOffset.UtcNow.AddHours(1), []));

        Assert.Contains("sme@example.com", approval.SendError);
        var stored = (await approvals.GetApprovalAsync(approvalId))!.Value.Approval;
        Assert.Equal(ApprovalStatus.Pending, stored.Status);
        Assert.Empty(stored.Notified!);
        Assert.NotNull(stored.SendError);
        Assert.Contains(await service.ListAsync(ApprovalStatus.Pending, "sme@example.com"), a => a.ApprovalId == approvalId);
    }

    [Fact]
    public async Task DecideAsync_TokenOfAnotherApproval_Forbidden()
    {
        var approvals = new ApprovalStore(Tables);
        var tokens = new ApprovalTokens(Options.Create(new ApprovalOptions { SigningKeys = ["k"] }));
        var service = Service(1);
        var expires = DateTimeOffset.UtcNow.AddHours(1);
        ApprovalInfo Approval(string id) => new(id, "run-" + id, "delivery", "instance-" + id, ["sme@example.com"], ApprovalStatus.Pending,
            expires, null, null, null, "t001", new Dictionary<string, double>(), []);
        var (a, b) = (Guid.NewGuid().ToString("N"), Guid.NewGuid().ToString("N"));
        await approvals.PutApprovalAsync(Approval(a));
        await approvals.PutApprovalAsync(Approval(b));

        var result = await service.DecideAsync(b, tokens.Create(a, "sme@example.com", expires), "approve", null, null, DateTimeOffset.UtcNow);
        Assert.Equal(DecisionResult.Forbidden, result.Result);
        Assert.Equal(ApprovalStatus.Pending, (await approvals.GetApprovalAsync(b))!.Value.Approval.Status);

        var own = await service.DecideAsync(a, tokens.Create(a, "sme@example.com", expires), "approve", null, null, DateTimeOffset.UtcNow);
        Assert.Equal(DecisionResult.Accepted, own.Result);
    }
}
