using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orchestrator.Workflows.Storage;

namespace Orchestrator.Workflows.Serving;

/// <summary>
/// One logged prediction: the features as received (source column → value text), the predicted value as text, class scores.
/// </summary>
/// <param name="PredictionId">Id from <see cref="PredictionLog.NewPredictionId"/>, returned to the caller so feedback can be joined.</param>
/// <param name="Project">Project whose model answered.</param>
/// <param name="ModelVersion">Model version that answered.</param>
/// <param name="At">When the prediction was made; decides the hourly blob it is written to.</param>
/// <param name="Features">The input row: the fields the model uses (others are dropped before logging).</param>
/// <param name="Prediction">The predicted label or value, as text.</param>
/// <param name="Scores">Score per class (classification), or null.</param>
/// <param name="Environment">Where it was served (e.g. production, staging), or null.</param>
public sealed record PredictionRecord(string PredictionId, string Project, int ModelVersion, DateTimeOffset At,
    IReadOnlyDictionary<string, string?> Features, string? Prediction, IReadOnlyDictionary<string, double>? Scores, string? Environment = null)
{
    /// <summary>
    /// Set on a shadow prediction (the staging model's, scored for canary traffic and never returned): what production
    /// answered under the same id and <see cref="At"/>. Shadow predictions are kept apart (<see cref="PredictionLog.ReadShadowAsync"/>).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ChampionAnswer? Champion { get; init; }
}

/// <summary>The production model's answer to a prediction the staging model also scored.</summary>
/// <param name="ModelVersion">The production version that answered.</param>
/// <param name="Prediction">Its predicted label or value, as text.</param>
public sealed record ChampionAnswer(int ModelVersion, string? Prediction);

/// <summary>Ground truth of one logged prediction.</summary>
/// <param name="PredictionId">The id the prediction was returned with.</param>
/// <param name="Label">The true label or value, as text.</param>
/// <param name="ReceivedAt">When the feedback arrived.</param>
/// <param name="By">Who sent it, or null.</param>
public sealed record FeedbackRecord(string PredictionId, string Label, DateTimeOffset ReceivedAt, string? By = null);

/// <summary>Batching of the <see cref="PredictionLog"/>.</summary>
public sealed class PredictionLogOptions
{
    /// <summary>A flush starts early once this many records are queued (keep it below <see cref="Capacity"/>).</summary>
    public int MaxBatch { get; set; } = 500;

    /// <summary>Queued records are written at least this often.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Most records held in memory (queued or waiting for a retry); beyond it <see cref="PredictionLog.Log"/> drops and counts.</summary>
    public int Capacity { get; set; } = 100_000;

    /// <summary>Blocks appended to one blob before a new one (<c>{instance}-{n}.jsonl</c>) is started; at most 50,000 (the service's limit).</summary>
    public int MaxBlocksPerBlob { get; set; } = 49_000;
}

/// <summary>
/// Logs every served prediction without slowing the request: <see cref="Log"/> only enqueues; a background loop (and
/// <see cref="FlushAsync"/>, and <see cref="DisposeAsync"/>) appends the queue as JSON Lines to append blobs, one per project,
/// hour and instance of this class: <c>predictions/{project}/{yyyy-MM-dd}/{HH}/{instance}.jsonl</c>, in blocks of at most 4 MiB.
/// Shadow predictions (canary traffic scored by the staging model) go to <c>predictions/{project}/shadow/{yyyy-MM-dd}/…</c>,
/// so what monitoring reads is what callers were answered.
/// Feedback (ground truth) is kept in the <c>feedback</c> table under the project and prediction id.
/// </summary>
/// <remarks>
/// <para>Failure behaviour: a flush that fails (storage unreachable, throttled, ...) is logged and the records not yet written
/// are kept, in order, and written again by the next flush (the background loop retries every <see cref="PredictionLogOptions.FlushInterval"/>).
/// While kept they count against <see cref="PredictionLogOptions.Capacity"/>, so a long outage makes <see cref="Log"/> drop the
/// newest records (counted in <see cref="Dropped"/>) instead of growing memory. <see cref="FlushAsync"/> rethrows the storage
/// error after keeping the records; the background loop and <see cref="DisposeAsync"/> never throw (what dispose cannot write
/// is logged as an error and counted as dropped). Records that can never be written (invalid project name, a line over 4 MiB)
/// are dropped and counted at once.</para>
/// <para>Appends are conditional on the blob's length, so a retried append the service had in fact committed is recognised and not
/// written twice.</para>
/// </remarks>
public sealed class PredictionLog : IAsyncDisposable
{
    /// <summary>The service's limit for one appended block.</summary>
    public const int MaxBlockBytes = 4 * 1024 * 1024;

    private const string HourFormat = "yyyyMMddHH";
    private const int RandomHexDigits = 24;
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    private readonly LakeStore _lake;
    private readonly TimeProvider _clock;
    private readonly PredictionLogOptions _options;
    private readonly ILogger<PredictionLog> _logger;
    private readonly string _instance = Guid.NewGuid().ToString("N")[..16];
    private readonly JsonSerializerOptions _json;

    private readonly ConcurrentQueue<PredictionRecord> _queue = new();
    private readonly SemaphoreSlim _flushLock = new(1, 1);
    private readonly List<PredictionRecord> _retry = []; // records of failed flushes, written first; only under _flushLock
    private readonly Dictionary<(string Stream, DateTime Hour), BlobState> _blobs = []; // only under _flushLock
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CreatedTable _feedback;
    private long _held; // queued + waiting for a retry
    private long _dropped;
    private long _droppedReported;
    private int _disposed;

    private sealed class BlobState(string name)
    {
        public string Name { get; set; } = name;
        public int Index { get; set; }
        public long Length { get; set; }
        public int Blocks { get; set; }
        public bool Ready { get; set; }
    }

    /// <summary>Starts the background flush loop.</summary>
    public PredictionLog(LakeStore lake, TableServiceClient tables, TimeProvider clock, IOptions<PredictionLogOptions> options, ILogger<PredictionLog> logger)
    {
        _lake = lake;
        _feedback = new CreatedTable(tables, StorageNames.FeedbackTable);
        _clock = clock;
        _options = options.Value;
        _logger = logger;
        if (_options.MaxBatch < 1) throw new ArgumentOutOfRangeException(nameof(options), "MaxBatch must be at least 1.");
        if (_options.Capacity < 1) throw new ArgumentOutOfRangeException(nameof(options), "Capacity must be at least 1.");
        if (_options.FlushInterval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(options), "FlushInterval must be positive.");
        if (_options.MaxBlocksPerBlob is < 1 or > 50_000) throw new ArgumentOutOfRangeException(nameof(options), "MaxBlocksPerBlob must be within 1..50000.");
        // Scores may be NaN or infinite; keep them rather than failing the line.
        _json = new JsonSerializerOptions(Json.Options) { NumberHandling = JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.AllowNamedFloatingPointLiterals };
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Records that were not written: the queue was full, the log was disposed, or the record could never be written.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>
    /// New prediction id that encodes the hour, so feedback can be filed under it: <c>{yyyyMMddHH}-{32 hex}</c> (UTC hour).
    /// The first 8 hex digits are the millisecond within the hour, so ids sort by time and feedback windows are exact to the
    /// millisecond; the other 24 are random.
    /// </summary>
    public string NewPredictionId(DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        var hour = new DateTime(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, DateTimeKind.Utc);
        var ms = (long)(utc - hour).TotalMilliseconds;
        Span<byte> random = stackalloc byte[RandomHexDigits / 2];
        RandomNumberGenerator.Fill(random);
        return string.Create(CultureInfo.InvariantCulture, $"{hour.ToString(HourFormat, CultureInfo.InvariantCulture)}-{ms:x8}{Convert.ToHexStringLower(random)}");
    }

    /// <summary>True when <paramref name="predictionId"/> is a well-formed prediction id; <paramref name="at"/> is the time it encodes (to the millisecond).</summary>
    public static bool TryParsePredictionId(string? predictionId, out DateTimeOffset at)
    {
        at = default;
        if (predictionId is not { Length: 10 + 1 + 32 } || predictionId[10] != '-') return false;
        for (var i = 11; i < predictionId.Length; i++)
            if (!char.IsAsciiHexDigitLower(predictionId[i]) && !char.IsAsciiDigit(predictionId[i])) return false;
        if (!DateTime.TryParseExact(predictionId.AsSpan(0, 10), HourFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var hour)) return false;
        var ms = long.Parse(predictionId.AsSpan(11, 8), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
        if (ms >= 3_600_000) return false;
        at = new DateTimeOffset(DateTime.SpecifyKind(hour, DateTimeKind.Utc)).AddMilliseconds(ms);
        return true;
    }

    /// <summary>
    /// Enqueues <paramref name="record"/>. Never blocks and never throws on storage errors; when <see cref="PredictionLogOptions.Capacity"/>
    /// records are already held, after dispose, or for an invalid project name, the record is dropped and counted in <see cref="Dropped"/>.
    /// </summary>
    public void Log(PredictionRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (Volatile.Read(ref _disposed) != 0 || !Names.IsValidName(record.Project))
        {
            Interlocked.Increment(ref _dropped);
            return;
        }
        var held = Interlocked.Increment(ref _held);
        if (held > _options.Capacity)
        {
            Interlocked.Decrement(ref _held);
            Interlocked.Increment(ref _dropped);
            return;
        }
        _queue.Enqueue(record);
        if (held >= _options.MaxBatch) Volatile.Read(ref _wake).TrySetResult();
    }

    /// <summary>
    /// Writes everything queued so far (and what earlier failed flushes kept). The background loop does the same every
    /// <see cref="PredictionLogOptions.FlushInterval"/> or once <see cref="PredictionLogOptions.MaxBatch"/> records are queued.
    /// On a storage error the unwritten records are kept for the next flush, the error is logged, and rethrown.
    /// </summary>
    public async Task FlushAsync(CancellationToken ct = default)
    {
        await _flushLock.WaitAsync(ct);
        try
        {
            await FlushCoreAsync(ct);
        }
        finally
        {
            _flushLock.Release();
        }
    }

    private async Task FlushCoreAsync(CancellationToken ct)
    {
        var batch = new List<PredictionRecord>(_retry.Count + _queue.Count);
        batch.AddRange(_retry);
        _retry.Clear();
        var take = _queue.Count; // what is queued now; later records wait for the next flush
        while (take-- > 0 && _queue.TryDequeue(out var r)) batch.Add(r);

        ReportDrops();
        if (batch.Count == 0) return;

        // Serialize first: a record that can never be written is dropped now instead of blocking the ones after it.
        var lines = new List<(PredictionRecord Record, byte[] Line)>(batch.Count);
        foreach (var record in batch)
        {
            byte[]? line = null;
            try
            {
                line = JsonSerializer.SerializeToUtf8Bytes(record, _json);
            }
            catch (Exception e) when (e is JsonException or NotSupportedException)
            {
                _logger.LogWarning(e, "Prediction {PredictionId} of {Project} cannot be written as JSON: dropped.", record.PredictionId, record.Project);
            }
            if (line is not null && line.Length + NewLine.Length > MaxBlockBytes)
            {
                _logger.LogWarning("Prediction {PredictionId} of {Project} is {Bytes} bytes as JSON, over the 4 MiB block limit: dropped.", record.PredictionId, record.Project, line.Length);
                line = null;
            }
            if (line is null)
            {
                Interlocked.Increment(ref _dropped);
                Interlocked.Decrement(ref _held);
                Interlocked.Increment(ref _droppedReported);
                continue;
            }
            lines.Add((record, line));
        }

        var groups = lines
            .GroupBy(l => (Stream: StreamOf(l.Record), Hour: HourOf(l.Record.At)))
            .OrderBy(g => g.Key.Hour).ThenBy(g => g.Key.Stream, StringComparer.Ordinal)
            .ToList();
        var ordered = groups.SelectMany(g => g).Select(l => l.Record).ToList();
        var written = 0; // records of ordered[..written] are in storage
        try
        {
            foreach (var group in groups)
            {
                var state = await BlobForAsync(group.Key.Stream, group.Key.Hour, ct);
                using var block = new MemoryStream();
                var inBlock = 0;
                foreach (var (_, line) in group)
                {
                    if (block.Length + line.Length + NewLine.Length > MaxBlockBytes)
                    {
                        await AppendAsync(state, group.Key.Stream, group.Key.Hour, block, ct);
                        written += inBlock;
                        Interlocked.Add(ref _held, -inBlock);
                        block.SetLength(0);
                        inBlock = 0;
                    }
                    block.Write(line);
                    block.Write(NewLine);
                    inBlock++;
                }
                await AppendAsync(state, group.Key.Stream, group.Key.Hour, block, ct);
                written += inBlock;
                Interlocked.Add(ref _held, -inBlock);
            }
        }
        catch (Exception e)
        {
            _retry.AddRange(ordered.Skip(written));
            if (e is not OperationCanceledException)
                _logger.LogWarning(e, "Writing predictions failed: {Written} written, {Kept} kept for the next flush ({Dropped} dropped so far).", written, _retry.Count, Dropped);
            throw;
        }
        PruneBlobStates();
    }

    private void ReportDrops()
    {
        var dropped = Dropped;
        var before = Interlocked.Exchange(ref _droppedReported, dropped);
        if (dropped > before)
            _logger.LogWarning("{Count} predictions dropped since the last flush (queue full, log disposed or unwritable); {Total} in all.", dropped - before, dropped);
    }

    private static DateTime HourOf(DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        return new DateTime(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, DateTimeKind.Utc);
    }

    /// <summary>The blob folder of a record: its project's, or for a shadow prediction the project's <c>shadow/</c> one.</summary>
    private static string StreamOf(PredictionRecord record) => record.Champion is null ? record.Project : ShadowStream(record.Project);

    private static string ShadowStream(string project) => project + "/shadow";

    private static string HourPrefix(string stream, DateTime hour) =>
        string.Create(CultureInfo.InvariantCulture, $"{stream}/{hour:yyyy-MM-dd}/{hour:HH}/");

    private string BlobName(string stream, DateTime hour, int index) =>
        HourPrefix(stream, hour) + (index == 0 ? _instance : $"{_instance}-{index.ToString(CultureInfo.InvariantCulture)}") + ".jsonl";

    private AppendBlobClient AppendBlob(string name) =>
        _lake.Blob(StorageNames.PredictionsContainer, name).GetParentBlobContainerClient().GetAppendBlobClient(name);

    private async Task<BlobState> BlobForAsync(string stream, DateTime hour, CancellationToken ct)
    {
        if (!_blobs.TryGetValue((stream, hour), out var state))
            _blobs[(stream, hour)] = state = new BlobState(BlobName(stream, hour, 0));
        if (!state.Ready) await OpenAsync(state, stream, hour, ct);
        return state;
    }

    /// <summary>Creates the state's blob if missing and reads its length and block count; moves on to the next blob when it is full.</summary>
    private async Task OpenAsync(BlobState state, string stream, DateTime hour, CancellationToken ct)
    {
        await _lake.EnsureCreatedAsync(ct);
        while (true)
        {
            state.Name = BlobName(stream, hour, state.Index);
            var blob = AppendBlob(state.Name);
            var created = await blob.CreateIfNotExistsAsync(new AppendBlobCreateOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/x-ndjson" } }, ct);
            if (created is null)
            {
                var props = (await blob.GetPropertiesAsync(cancellationToken: ct)).Value;
                state.Length = props.ContentLength;
                state.Blocks = props.BlobCommittedBlockCount;
            }
            else
            {
                state.Length = 0;
                state.Blocks = 0;
            }
            if (state.Blocks < _options.MaxBlocksPerBlob) break;
            state.Index++;
        }
        state.Ready = true;
    }

    private async Task AppendAsync(BlobState state, string stream, DateTime hour, MemoryStream block, CancellationToken ct)
    {
        if (state.Blocks >= _options.MaxBlocksPerBlob)
        {
            state.Index++;
            state.Ready = false;
            await OpenAsync(state, stream, hour, ct);
        }
        var size = block.Length;
        for (var attempt = 0; ; attempt++)
        {
            block.Position = 0;
            try
            {
                await AppendBlob(state.Name).AppendBlockAsync(block, new AppendBlobAppendBlockOptions
                {
                    Conditions = new AppendBlobRequestConditions { IfAppendPositionEqual = state.Length },
                }, ct);
                state.Length += size;
                state.Blocks++;
                return;
            }
            catch (RequestFailedException e) when (e.Status == 412 && attempt == 0)
            {
                // The length is not what we expected: either an earlier (timed-out, retried) append was in fact committed,
                // or the blob changed under us. Read it again.
                var props = (await AppendBlob(state.Name).GetPropertiesAsync(cancellationToken: ct)).Value;
                if (props.ContentLength == state.Length + size)
                {
                    state.Length = props.ContentLength;
                    state.Blocks = props.BlobCommittedBlockCount;
                    return;
                }
                state.Length = props.ContentLength;
                state.Blocks = props.BlobCommittedBlockCount;
            }
            catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.BlockCountExceedsLimit && attempt == 0)
            {
                state.Index++;
                state.Ready = false;
                await OpenAsync(state, stream, hour, ct);
            }
            catch (RequestFailedException e) when (e.Status == 404 && attempt == 0)
            {
                state.Ready = false; // the blob was deleted: create it again
                await OpenAsync(state, stream, hour, ct);
            }
        }
    }

    /// <summary>Forgets the blobs of hours long past (a late record re-opens its blob and appends after what is there).</summary>
    private void PruneBlobStates()
    {
        if (_blobs.Count < 64) return;
        var cutoff = HourOf(_clock.GetUtcNow()).AddHours(-2);
        foreach (var key in _blobs.Keys.Where(k => k.Hour < cutoff).ToList()) _blobs.Remove(key);
    }

    private async Task LoopAsync()
    {
        var stop = _stop.Token;
        var failed = false;
        while (!stop.IsCancellationRequested)
        {
            var wake = Volatile.Read(ref _wake);
            try
            {
                // After a failure wait the whole interval: records kept for a retry keep the batch full, and must not make us hammer storage.
                var delay = Task.Delay(_options.FlushInterval, _clock, stop);
                await (failed ? delay : Task.WhenAny(wake.Task, delay));
            }
            catch (OperationCanceledException) { }
            if (stop.IsCancellationRequested) break;
            Interlocked.Exchange(ref _wake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            try
            {
                await FlushAsync(stop);
                failed = false;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception)
            {
                failed = true; // logged by the flush; the records are kept and the next round retries
            }
        }
    }

    /// <summary>Stops the background loop and writes what is still queued; what cannot be written is logged and counted as dropped. Never throws.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _stop.CancelAsync();
        await _loop;
        try
        {
            await FlushAsync();
        }
        catch (Exception e)
        {
            var lost = _retry.Count + _queue.Count;
            Interlocked.Add(ref _dropped, lost);
            _logger.LogError(e, "{Count} predictions could not be written before the prediction log was disposed: dropped.", lost);
            _retry.Clear();
            _queue.Clear();
        }
        _stop.Dispose();
        _flushLock.Dispose();
    }

    /// <summary>
    /// Records of <paramref name="project"/> with <see cref="PredictionRecord.At"/> in [<paramref name="from"/>, <paramref name="to"/>),
    /// read from the hourly blobs that cover the range (in hour order; within an hour, blob by blob, each in write order).
    /// Only what was flushed is seen. A line that is not a record is logged and skipped.
    /// </summary>
    public IAsyncEnumerable<PredictionRecord> ReadAsync(string project, DateTimeOffset from, DateTimeOffset to, CancellationToken ct = default)
    {
        Names.Require(project, "project");
        return ReadStreamAsync(project, from, to, ct);
    }

    /// <summary>
    /// The shadow predictions of <paramref name="project"/> (the staging model's, each with <see cref="PredictionRecord.Champion"/>)
    /// whose request was made in [<paramref name="from"/>, <paramref name="to"/>), as <see cref="ReadAsync"/> reads served ones.
    /// </summary>
    public IAsyncEnumerable<PredictionRecord> ReadShadowAsync(string project, DateTimeOffset from, DateTimeOffset to, CancellationToken ct = default)
    {
        Names.Require(project, "project");
        return ReadStreamAsync(ShadowStream(project), from, to, ct);
    }

    private async IAsyncEnumerable<PredictionRecord> ReadStreamAsync(string folder, DateTimeOffset from, DateTimeOffset to, [EnumeratorCancellation] CancellationToken ct)
    {
        for (var hour = HourOf(from); hour < to.UtcDateTime; hour = hour.AddHours(1))
        {
            var names = await _lake.ListAsync(StorageNames.PredictionsContainer, HourPrefix(folder, hour), ct);
            foreach (var name in names.Order(StringComparer.Ordinal))
            {
                var download = await _lake.Blob(StorageNames.PredictionsContainer, name).DownloadStreamingAsync(cancellationToken: ct);
                await using var stream = download.Value.Content;
                using var reader = new StreamReader(stream, Encoding.UTF8);
                var lineNumber = 0;
                while (await reader.ReadLineAsync(ct) is { } line)
                {
                    lineNumber++;
                    if (line.Length == 0) continue;
                    PredictionRecord? record;
                    try
                    {
                        record = JsonSerializer.Deserialize<PredictionRecord>(line, _json);
                    }
                    catch (JsonException e)
                    {
                        _logger.LogWarning(e, "Line {Line} of predictions/{Blob} is not a prediction record: skipped.", lineNumber, name);
                        continue;
                    }
                    if (record is not null && record.At >= from && record.At < to) yield return record;
                }
            }
        }
    }

    /// <summary>
    /// Stores feedback idempotently, keyed by project and prediction id (the same id twice overwrites). Returns false, storing
    /// nothing, for an id that is not a well-formed prediction id or an empty label. Storage errors are thrown.
    /// </summary>
    public async Task<bool> AddFeedbackAsync(string project, FeedbackRecord feedback, CancellationToken ct = default)
    {
        Names.Require(project, "project");
        ArgumentNullException.ThrowIfNull(feedback);
        if (!TryParsePredictionId(feedback.PredictionId, out _) || string.IsNullOrEmpty(feedback.Label)) return false;
        var table = await _feedback.GetAsync(ct);
        var entity = new TableEntity(project, feedback.PredictionId) { ["Json"] = Json.Serialize(feedback) };
        await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, ct);
        return true;
    }

    /// <summary>
    /// Feedback of the predictions made in [<paramref name="from"/>, <paramref name="to"/>) — selected by the hour encoded in the id,
    /// then exactly by the millisecond it encodes — as prediction id → label.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> ReadFeedbackAsync(string project, DateTimeOffset from, DateTimeOffset to, CancellationToken ct = default)
    {
        Names.Require(project, "project");
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (from >= to) return result;
        var low = HourOf(from).ToString(HourFormat, CultureInfo.InvariantCulture);
        var lastHour = HourOf(to);
        var high = (lastHour == to.UtcDateTime ? lastHour : lastHour.AddHours(1)).ToString(HourFormat, CultureInfo.InvariantCulture);
        var table = await _feedback.GetAsync(ct);
        await foreach (var e in table.QueryAsync<TableEntity>(e => e.PartitionKey == project && e.RowKey.CompareTo(low) >= 0 && e.RowKey.CompareTo(high) < 0, cancellationToken: ct))
        {
            if (!TryParsePredictionId(e.RowKey, out var at) || at < from || at >= to) continue;
            if (e.GetString("Json") is not { } json) continue;
            result[e.RowKey] = Json.Deserialize<FeedbackRecord>(json).Label;
        }
        return result;
    }
}
