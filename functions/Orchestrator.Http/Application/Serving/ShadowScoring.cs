using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orchestrator.Workflows.DataLake;
using Orchestrator.Workflows.Model;
using Orchestrator.Workflows.Monitoring;
using Orchestrator.Workflows.Serving;
using Orchestrator.Workflows.Storage;

namespace Orchestrator.Http.Application.Serving;

/// <summary>A served prediction chosen for shadow traffic: its id, the request's row (every field, as text), production's answer.</summary>
public sealed record ShadowRow(string PredictionId, IReadOnlyDictionary<string, string?> Row, string? ChampionPrediction);

/// <summary>What this process did with shadow traffic of a project since it started.</summary>
/// <param name="Pending">Rows waiting for the challenger.</param>
/// <param name="Scored">Rows the challenger scored (and logged).</param>
/// <param name="Skipped">Rows not scored: the queue was full (<c>Serving:ShadowQueueBytes</c>), or the challenger left staging meanwhile.</param>
/// <param name="Failed">Rows the challenger could not read (e.g. a feature only it uses was missing).</param>
public sealed record ShadowCounts(long Pending, long Scored, long Skipped, long Failed);

/// <summary>
/// Canary traffic: the predictions of a request that <see cref="CanarySelection"/> picks are queued here and scored by
/// the staging model (the challenger) on one background loop, so a request never waits for the challenger and the
/// challenger never takes more than one core; each is logged as a shadow prediction under the served prediction's id
/// and time, with production's answer next to it. The queue is bounded in bytes of rows: past it rows are skipped and counted.
/// </summary>
public sealed class ShadowScoring : IAsyncDisposable
{
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan DrainOnStop = TimeSpan.FromSeconds(10);

    private readonly ProjectStore _projects;
    private readonly ProductionModels _serving;
    private readonly PredictionLog _log;
    private readonly TimeProvider _clock;
    private readonly ILogger<ShadowScoring> _logger;
    private readonly long _capacity;
    private readonly Channel<Batch> _queue = Channel.CreateUnbounded<Batch>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, (double Percent, DateTimeOffset At)> _percents = new();
    private readonly ConcurrentDictionary<string, Counters> _counts = new();
    private readonly Task _loop;
    private long _heldBytes;

    private sealed record Batch(string Project, int ChampionVersion, DateTimeOffset At, IReadOnlyList<ShadowRow> Rows, long Bytes);

    private sealed class Counters
    {
        public long Pending, Scored, Skipped, Failed;
    }

    /// <summary>Starts the background loop.</summary>
    public ShadowScoring(ProjectStore projects, ProductionModels serving, PredictionLog log, IOptions<ServingOptions> options, TimeProvider clock,
        ILogger<ShadowScoring> logger)
    {
        (_projects, _serving, _log, _clock, _logger) = (projects, serving, log, clock, logger);
        _capacity = options.Value.ShadowQueueBytes;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>
    /// The canary share (0–100) of <paramref name="project"/>'s predictions while <paramref name="championVersion"/> serves
    /// production: the project's <c>deployment.canaryPercent</c> (read at most every couple of seconds), or 0 when staging
    /// serves no other version. Loads no model: it is asked on the request path.
    /// </summary>
    public async Task<double> CanaryPercentAsync(string project, int championVersion, CancellationToken ct)
    {
        try
        {
            if (!_percents.TryGetValue(project, out var cached) || _clock.GetUtcNow() - cached.At > Refresh)
            {
                var definition = await _projects.GetProjectAsync(project, ct);
                cached = (definition?.Deployment?.CanaryPercent ?? 0, _clock.GetUtcNow());
                _percents[project] = cached;
            }
            if (cached.Percent <= 0) return 0;
            return await _serving.GetVersionAsync(project, DeploymentEnvironment.Staging, ct) is { } challenger && challenger.Version != championVersion ? cached.Percent : 0;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Production has answered already: a storage hiccup on the canary's side costs the shadow, not the request.
            _logger.LogWarning(e, "The canary of {Project} could not be looked up: no shadow for this request.", project);
            return 0;
        }
    }

    /// <summary>
    /// Queues <paramref name="rows"/> (together <paramref name="bytes"/> bytes) for the challenger; never waits. False, the
    /// rows counted as skipped, when they would take the queue past <see cref="ServingOptions.ShadowQueueBytes"/>.
    /// </summary>
    public bool Offer(string project, int championVersion, DateTimeOffset at, IReadOnlyList<ShadowRow> rows, long bytes)
    {
        if (rows.Count == 0) return true;
        var counts = CountsOf(project);
        if (Interlocked.Add(ref _heldBytes, bytes) <= _capacity)
        {
            Interlocked.Add(ref counts.Pending, rows.Count);
            if (_queue.Writer.TryWrite(new Batch(project, championVersion, at, rows, bytes))) return true;
            Interlocked.Add(ref counts.Pending, -rows.Count); // stopping
        }
        Interlocked.Add(ref _heldBytes, -bytes);
        Interlocked.Add(ref counts.Skipped, rows.Count);
        return false;
    }

    /// <summary>What this process did with <paramref name="project"/>'s shadow traffic since it started.</summary>
    public ShadowCounts CountsFor(string project)
    {
        var c = CountsOf(project);
        return new ShadowCounts(Interlocked.Read(ref c.Pending), Interlocked.Read(ref c.Scored), Interlocked.Read(ref c.Skipped), Interlocked.Read(ref c.Failed));
    }

    private Counters CountsOf(string project) => _counts.GetOrAdd(project, _ => new Counters());

    private async Task LoopAsync()
    {
        await foreach (var batch in _queue.Reader.ReadAllAsync())
        {
            var counts = CountsOf(batch.Project);
            try
            {
                await ScoreAsync(batch, counts);
            }
            catch (Exception e)
            {
                // The challenger's trouble (its model failed to load, storage) must not stop the loop or touch production.
                _logger.LogWarning(e, "Shadow scoring of {Rows} rows of {Project} failed.", batch.Rows.Count, batch.Project);
                Interlocked.Add(ref counts.Failed, batch.Rows.Count);
            }
            finally
            {
                Interlocked.Add(ref counts.Pending, -batch.Rows.Count);
                Interlocked.Add(ref _heldBytes, -batch.Bytes);
            }
        }
    }

    private async Task ScoreAsync(Batch batch, Counters counts)
    {
        if (await _serving.GetAsync(batch.Project, DeploymentEnvironment.Staging) is not { } challenger || challenger.Version.Version == batch.ChampionVersion)
        {
            Interlocked.Add(ref counts.Skipped, batch.Rows.Count); // the challenger left staging since the request
            return;
        }
        // Each model reads its own features: the row kept every field, and the challenger's record keeps only its own.
        var used = challenger.Model.Frame.RequiredSources.Select(c => c.Source).ToHashSet(StringComparer.Ordinal);
        var rows = batch.Rows.Select(r => (IReadOnlyDictionary<string, string?>)r.Row.Where(f => used.Contains(f.Key)).ToDictionary(StringComparer.Ordinal)).ToList();
        var predictions = Score(challenger.Model, rows);
        for (var i = 0; i < rows.Count; i++)
        {
            if (predictions[i] is not { } prediction)
            {
                Interlocked.Increment(ref counts.Failed);
                continue;
            }
            var row = batch.Rows[i];
            _log.Log(new PredictionRecord(row.PredictionId, batch.Project, challenger.Version.Version, batch.At, rows[i],
                MonitoringService.PredictionText(prediction.Value), prediction.Scores, DeploymentEnvironment.Staging)
            {
                Champion = new ChampionAnswer(batch.ChampionVersion, row.ChampionPrediction),
            });
            Interlocked.Increment(ref counts.Scored);
        }
    }

    /// <summary>The challenger's predictions, null for a row it cannot read (the rest of the batch is still scored).</summary>
    private static Prediction?[] Score(LoadedModel model, List<IReadOnlyDictionary<string, string?>> rows)
    {
        try
        {
            return [.. model.Predict(rows)];
        }
        catch (InvalidDataFileException)
        {
            var predictions = new Prediction?[rows.Count];
            for (var i = 0; i < rows.Count; i++)
            {
                try { predictions[i] = model.Predict([rows[i]])[0]; }
                catch (InvalidDataFileException) { predictions[i] = null; }
            }
            return predictions;
        }
    }

    /// <summary>Stops taking rows and scores what is queued, for a little while at most; what is left is dropped.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        try
        {
            await _loop.WaitAsync(DrainOnStop);
        }
        catch (TimeoutException)
        {
            _logger.LogWarning("Shadow scoring stopped with rows still queued: they are not scored.");
        }
    }
}
