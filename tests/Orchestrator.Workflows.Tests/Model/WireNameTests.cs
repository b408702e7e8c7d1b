using System.Text.Json;
using Microsoft.DurableTask.Converters;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Storage;

namespace Orchestrator.Workflows.Tests.Model;

/// <summary>
/// Statuses and stages are enums, but the wire keeps the strings they were: the API and table rows (the product's
/// options, which name enums camelCase) and orchestration payloads (the Durable Task converter's own default options).
/// </summary>
public class WireNameTests
{
    /// <summary>Every member and the string it was before it was an enum member.</summary>
    private static readonly (Enum Member, string Wire)[] Pinned =
    [
        (RunStatus.Running, "Running"), (RunStatus.AwaitingApproval, "AwaitingApproval"), (RunStatus.Completed, "Completed"),
        (RunStatus.Rejected, "Rejected"), (RunStatus.TimedOut, "TimedOut"), (RunStatus.Failed, "Failed"),
        (RunStatus.Cancelled, "Cancelled"), (RunStatus.NotBetter, "NotBetter"),
        (RunStage.DataEngineering, "DataEngineering"), (RunStage.DataScience, "DataScience"), (RunStage.Approval, "Approval"),
        (RunStage.Deployment, "Deployment"), (RunStage.Done, "Done"),
        (TrialStatus.Succeeded, "Succeeded"), (TrialStatus.Failed, "Failed"),
        (ApprovalStatus.Pending, "Pending"), (ApprovalStatus.Approved, "Approved"), (ApprovalStatus.Rejected, "Rejected"),
        (ApprovalStatus.Expired, "Expired"), (ApprovalStatus.Cancelled, "Cancelled"),
        (ApprovalOutcomeStatus.Approved, "Approved"), (ApprovalOutcomeStatus.Rejected, "Rejected"),
        (ApprovalOutcomeStatus.TimedOut, "TimedOut"), (ApprovalOutcomeStatus.Cancelled, "Cancelled"),
        (ModelStage.Registered, "registered"), (ModelStage.Staging, "staging"), (ModelStage.Production, "production"),
        (ModelStage.Archived, "archived"),
    ];

    [Fact]
    public void WireNames_EveryMemberOfEveryStatusEnum_IsPinned()
    {
        Type[] enums = [typeof(RunStatus), typeof(RunStage), typeof(TrialStatus), typeof(ApprovalStatus), typeof(ApprovalOutcomeStatus), typeof(ModelStage)];
        foreach (var type in enums)
            Assert.Equal(Enum.GetValues(type).Cast<Enum>(), Pinned.Where(w => w.Member.GetType() == type).Select(w => w.Member));
    }

    [Fact]
    public void Serialize_ProductOptions_WritesEachWireNameAndReadsItBack()
    {
        foreach (var (member, wire) in Pinned)
        {
            Assert.Equal($"\"{wire}\"", JsonSerializer.Serialize(member, member.GetType(), Json.Options));
            Assert.Equal(member, JsonSerializer.Deserialize($"\"{wire}\"", member.GetType(), Json.Options));
        }
    }

    [Fact]
    public void Serialize_DurableTaskDefaultConverter_WritesEachWireNameAndReadsItBack()
    {
        var converter = JsonDataConverter.Default;
        foreach (var (member, wire) in Pinned)
        {
            Assert.Equal($"\"{wire}\"", converter.Serialize(member));
            Assert.Equal(member, converter.Deserialize($"\"{wire}\"", member.GetType()));
        }
        // Nullable members of payloads too (a partial run update).
        Assert.Contains("\"Stage\":\"DataScience\",\"Status\":null", converter.Serialize(new RunUpdate("run-1", Stage: RunStage.DataScience)));
    }

    [Fact]
    public void Deserialize_RowsWrittenWithStrings_ReadBack()
    {
        var run = Json.Deserialize<RunInfo>("""{"runId":"run-1","project":"weather","stage":"Approval","status":"AwaitingApproval","trigger":"api"}""");
        Assert.Equal((RunStage.Approval, RunStatus.AwaitingApproval), (run.Stage, run.Status));
        var model = Json.Deserialize<ModelVersionInfo>("""{"project":"weather","version":3,"stage":"production","runId":"run-1"}""");
        Assert.Equal(ModelStage.Production, model.Stage);
        Assert.Equal(ApprovalStatus.Expired, Json.Deserialize<ApprovalInfo>("""{"approvalId":"a1","status":"Expired"}""").Status);
        Assert.Equal(TrialStatus.Failed, Json.Deserialize<TrialResult>("""{"runId":"run-1","trialId":"t001","status":"Failed"}""").Status);
    }

    [Fact]
    public void Deserialize_PayloadsInFlightWithStrings_ReadBack()
    {
        var converter = JsonDataConverter.Default;
        var outcome = (ApprovalOutcome)converter.Deserialize("""{"ApprovalId":"a1","Status":"TimedOut","DecidedBy":null,"Comment":null,"Reason":null,"ApprovedBy":[]}""", typeof(ApprovalOutcome))!;
        Assert.Equal(ApprovalOutcomeStatus.TimedOut, outcome.Status);
        var update = (RunUpdate)converter.Deserialize("""{"RunId":"run-1","Stage":"Done","Status":"Completed","ModelVersion":7}""", typeof(RunUpdate))!;
        Assert.Equal((RunStage.Done, RunStatus.Completed), (update.Stage, update.Status));
        Assert.Equal(ApprovalStatus.Expired, ((CloseApprovalInput)converter.Deserialize("""{"ApprovalId":"a1","Status":"Expired"}""", typeof(CloseApprovalInput))!).Status);
        Assert.Equal(RunStatus.NotBetter, ((LifecycleResult)converter.Deserialize("""{"Status":"NotBetter","Error":"no","ModelVersion":null}""", typeof(LifecycleResult))!).Status);
    }

    [Theory]
    [InlineData("pending", ApprovalStatus.Pending)]
    [InlineData("EXPIRED", ApprovalStatus.Expired)]
    [InlineData("Cancelled", ApprovalStatus.Cancelled)]
    [InlineData("1", null)]
    [InlineData("Pending,Approved", null)]
    [InlineData(" pending", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void Find_QueryStringValue_MatchesWireNamesIgnoringCaseOnly(string? text, ApprovalStatus? expected) =>
        Assert.Equal(expected, WireNames.Find<ApprovalStatus>(text));

    [Fact]
    public void Find_LowercaseWireName_FindsModelStage() =>
        Assert.Equal(ModelStage.Production, WireNames.Find<ModelStage>("Production"));
}
