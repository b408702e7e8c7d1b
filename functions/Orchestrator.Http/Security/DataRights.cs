using Orchestrator.Http.Application;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Storage;

namespace Orchestrator.Http.Security;

/// <summary>
/// The one check of a caller's right to a restricted dataset's data — its rows, statistics, and everything computed
/// from them (runs, trials, model cards, models, monitoring, predict errors, lineage details) — and the 403 it answers.
/// </summary>
public sealed class DataRights(DatasetStore datasetStore)
{
    /// <summary>Forbidden when <paramref name="dataset"/> is restricted to others than the caller; null when it may read it (or it does not exist).</summary>
    public async Task<Failure?> DemandAsync(AccessContext? access, string project, string dataset, CancellationToken ct) =>
        await datasetStore.GetDatasetAsync(project, dataset, ct) is { } info && access?.CanReadData(info) != true ? Refusal(info) : null;

    /// <summary>The refusal of a restricted dataset's data: who may read it (the catalog shows that too), nothing of its content.</summary>
    public static Failure Refusal(DatasetInfo info) => Failure.Forbidden(
        $"Dataset '{info.Project}/{info.Dataset}' is restricted to {string.Join(", ", info.RestrictedTo ?? [])}: its rows, statistics and what is computed from them are shown only to them (users, and members of groups named group:…).",
        "Restricted dataset");

    private Task<DatasetInfo?> FindAsync(string project, string dataset, CancellationToken ct) => datasetStore.GetDatasetAsync(project, dataset, ct);

    /// <summary>A reader for one request: answers per dataset, each read once (lists of runs or approvals name the same dataset many times).</summary>
    public Reader For(AccessContext? access) => new(this, access);

    /// <summary>Whether the caller may read each dataset, remembered for the request.</summary>
    public sealed class Reader(DataRights rights, AccessContext? access)
    {
        private readonly Dictionary<(string, string), bool> _known = [];

        public async Task<bool> MayReadAsync(string project, string dataset, CancellationToken ct)
        {
            if (_known.TryGetValue((project, dataset), out var known)) return known;
            var info = await rights.FindAsync(project, dataset, ct);
            return _known[(project, dataset)] = info is null || access?.CanReadData(info) == true;
        }
    }
}
