using Azure;
using Azure.Data.Tables;
using Orchestrator.Workflows.Storage;

namespace Orchestrator.Server;

/// <summary>
/// One server per timer tick: every server's timer fires on the same schedule, and the first to write the tick's row
/// runs it — the others skip it, so two servers on one task hub do not both start the same due run. (The Functions
/// host does the same for its timer trigger with a blob lock.)
/// </summary>
public sealed class TimerTickClaims(TableServiceClient tables, string claimant)
{
    public const string TableName = "timerticks";
    private readonly CreatedTable _table = new(tables, TableName);

    /// <summary>True for the one server that claims <paramref name="tick"/> of <paramref name="timer"/>.</summary>
    public async Task<bool> TryClaimAsync(string timer, DateTime tick, CancellationToken ct = default)
    {
        var table = await _table.GetAsync(ct);
        try
        {
            await table.AddEntityAsync(new TableEntity(timer, tick.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture)) { ["ClaimedBy"] = claimant }, ct);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }
}
