using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orchestrator.Workflows.Serving;
using Orchestrator.Workflows.Storage;

namespace Orchestrator.Server.Tests;

[CollectionDefinition(Name)]
public sealed class PredictionLogCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "prediction-log";
}

[Collection(PredictionLogCollection.Name)]
public sealed class PredictionLogTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Hour0 = new(2025, 3, 14, 22, 0, 0, TimeSpan.Zero); // three hours across midnight

    private LakeStore Lake() => new(new BlobServiceClient(azurite.ConnectionString));

    private TableServiceClient Tables() => new(azurite.ConnectionString);

    private PredictionLog NewLog(PredictionLogOptions? options = null, LakeStore? lake = null, ListLogger? logger = null) =>
        new(lake ?? Lake(), Tables(), TimeProvider.System, Options.Create(options ?? new PredictionLogOptions()), logger ?? new ListLogger());

    private static string Project() => "p" + Guid.NewGuid().ToString("N")[..12];

    private static PredictionRecord Record(PredictionLog log, string project, DateTimeOffset at, int i) =>
        new(log.NewPredictionId(at), project, 3, at,
            new Dictionary<string, string?> { ["temp_max"] = (i * 0.5).ToString(System.Globalization.CultureInfo.InvariantCulture), ["weather"] = i % 7 == 0 ? null : $"w{i}", ["Mixed Case"] = "é\"\n" },
            i % 2 == 0 ? "rain" : "sun",
            i % 5 == 0 ? null : new Dictionary<string, double> { ["rain"] = i / 1000.0, ["sun"] = 1 - i / 1000.0 },
            i % 3 == 0 ? "staging" : null);

    private static async Task<List<PredictionRecord>> ReadAllAsync(PredictionLog log, string project, DateTimeOffset from, DateTimeOffset to)
    {
        var list = new List<PredictionRecord>();
        await foreach (var r in log.ReadAsync(project, from, to)) list.Add(r);
        return list;
    }

    private static void AssertSame(PredictionRecord expected, PredictionRecord actual)
    {
        Assert.Equal(expected.PredictionId, actual.PredictionId);
        Assert.Equal(expected.Project, actual.Project);
        Assert.Equal(expected.ModelVersion, actual.ModelVersion);
        Assert.Equal(expected.At, actual.At);
        Assert.Equal(expected.Features.OrderBy(f => f.Key), actual.Features.OrderBy(f => f.Key));
        Assert.Equal(expected.Prediction, actual.Prediction);
        if (expected.Scores is null) Assert.Null(actual.Scores);
        else Assert.Equal(expected.Scores.OrderBy(s => s.Key), actual.Scores!.OrderBy(s => s.Key));
        Assert.Equal(expected.Environment, actual.Environment);
    }

    [Fact]
    public async Task ReadAsync_MiddleHourOfRecordsLoggedFromSeveralThreads_ReturnsExactlyThatHourIntact()
    {
        var project = Project();
        await using var log = NewLog(new PredictionLogOptions { MaxBatch = 100 }); // the background loop flushes too, concurrently
        var records = new PredictionRecord[1000];
        for (var i = 0; i < records.Length; i++)
            records[i] = Record(log, project, Hour0.AddTicks(TimeSpan.FromHours(3).Ticks / records.Length * i), i);

        Parallel.For(0, records.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => log.Log(records[i]));
        await log.FlushAsync();

        var from = Hour0.AddHours(1);
        var read = await ReadAllAsync(log, project, from, from.AddHours(1));
        var expected = records.Where(r => r.At >= from && r.At < from.AddHours(1)).ToDictionary(r => r.PredictionId);
        Assert.InRange(expected.Count, 300, 400);
        Assert.Equal(expected.Count, read.Count);
        foreach (var r in read) AssertSame(expected[r.PredictionId], r);
        Assert.Equal(1000, (await ReadAllAsync(log, project, Hour0, Hour0.AddHours(3))).Select(r => r.PredictionId).Distinct().Count());
        Assert.Equal(0, log.Dropped);
    }

    [Fact]
    public async Task DisposeAsync_WithoutFlush_WritesQueuedRecords()
    {
        var project = Project();
        var log = NewLog(new PredictionLogOptions { FlushInterval = TimeSpan.FromHours(1), MaxBatch = 10_000 });
        var records = Enumerable.Range(0, 50).Select(i => Record(log, project, Hour0.AddMinutes(i), i)).ToList();
        foreach (var r in records) log.Log(r);
        await log.DisposeAsync();
        log.Log(records[0]); // after dispose: dropped, not thrown
        Assert.Equal(1, log.Dropped);

        await using var reader = NewLog();
        var read = await ReadAllAsync(reader, project, Hour0, Hour0.AddHours(1));
        Assert.Equal(records.Select(r => r.PredictionId).Order(), read.Select(r => r.PredictionId).Order());
    }

    [Fact]
    public async Task Log_CapacityExceeded_CountsDropsWithoutBlocking()
    {
        var project = Project();
        await using var log = NewLog(new PredictionLogOptions { Capacity = 10, MaxBatch = 1000, FlushInterval = TimeSpan.FromHours(1) });
        var records = Enumerable.Range(0, 100).Select(i => Record(log, project, Hour0.AddSeconds(i), i)).ToList();

        var watch = Stopwatch.StartNew();
        foreach (var r in records) log.Log(r);
        watch.Stop();

        Assert.Equal(90, log.Dropped);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"100 Log calls took {watch.Elapsed}.");
        await log.FlushAsync();
        var read = await ReadAllAsync(log, project, Hour0, Hour0.AddHours(1));
        Assert.Equal(records.Take(10).Select(r => r.PredictionId), read.Select(r => r.PredictionId));
        log.Log(records[50]); // room again after the flush
        Assert.Equal(90, log.Dropped);
    }

    [Fact]
    public async Task FlushAsync_ManyBlocksInOneHour_RollsOverToNewBlobsAndReadsAll()
    {
        var project = Project();
        await using var log = NewLog(new PredictionLogOptions { MaxBlocksPerBlob = 2, FlushInterval = TimeSpan.FromHours(1) });
        var records = new List<PredictionRecord>();
        for (var flush = 0; flush < 5; flush++)
        {
            for (var i = 0; i < 3; i++)
            {
                var r = Record(log, project, Hour0.AddMinutes(flush * 10 + i), flush * 3 + i);
                records.Add(r);
                log.Log(r);
            }
            await log.FlushAsync();
        }

        var blobs = await Lake().ListAsync(StorageNames.PredictionsContainer, $"{project}/2025-03-14/22/");
        Assert.Equal(3, blobs.Count);
        Assert.All(blobs, b => Assert.EndsWith(".jsonl", b));
        var read = await ReadAllAsync(log, project, Hour0, Hour0.AddHours(1));
        Assert.Equal(records.Select(r => r.PredictionId).Order(), read.Select(r => r.PredictionId).Order());
    }

    [Fact]
    public async Task AddFeedbackAsync_SameIdTwiceAndIdsOfSeveralHours_OverwritesAndReadsOnlyTheWindow()
    {
        var project = Project();
        await using var log = NewLog();
        var before = log.NewPredictionId(Hour0.AddMinutes(59));                 // previous hour
        var early = log.NewPredictionId(Hour0.AddHours(1).AddMinutes(5));     // window's hour, before the window starts
        var inside = log.NewPredictionId(Hour0.AddHours(1).AddMinutes(30));
        var inside2 = log.NewPredictionId(Hour0.AddHours(2).AddMinutes(10));
        var atEnd = log.NewPredictionId(Hour0.AddHours(2).AddMinutes(20));    // == to: excluded
        var after = log.NewPredictionId(Hour0.AddHours(3));
        var now = DateTimeOffset.UtcNow;
        foreach (var id in new[] { before, early, inside, inside2, atEnd, after })
            Assert.True(await log.AddFeedbackAsync(project, new FeedbackRecord(id, "rain", now)));
        Assert.True(await log.AddFeedbackAsync(project, new FeedbackRecord(inside, "sun", now.AddMinutes(1), "sme@example.com")));
        Assert.True(await log.AddFeedbackAsync(Project(), new FeedbackRecord(inside2, "other project", now)));

        var feedback = await log.ReadFeedbackAsync(project, Hour0.AddHours(1).AddMinutes(10), Hour0.AddHours(2).AddMinutes(20));

        Assert.Equal(new Dictionary<string, string> { [inside] = "sun", [inside2] = "rain" }, feedback.OrderBy(f => f.Key).ToDictionary());
        Assert.Equal(6, (await log.ReadFeedbackAsync(project, Hour0.AddDays(-1), Hour0.AddDays(1))).Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-an-id")]
    [InlineData("2025031422-0000000000000000000000000000000")]   // 31 hex
    [InlineData("2025031422-000000000000000000000000000000000")] // 33 hex
    [InlineData("2025031422-0000000000000000000000000000000G")]
    [InlineData("2025031422-0000000A000000000000000000000000")]  // upper case
    [InlineData("2025031425-00000000000000000000000000000000")]  // hour 25
    [InlineData("2025023022-00000000000000000000000000000000")]  // 30 February
    [InlineData("2025031422-0036ee80000000000000000000000000")]  // millisecond 3,600,000: past the hour
    [InlineData("2025031422_00000000000000000000000000000000")]
    public async Task AddFeedbackAsync_MalformedId_IsRefused(string id)
    {
        var project = Project();
        await using var log = NewLog();
        Assert.False(await log.AddFeedbackAsync(project, new FeedbackRecord(id, "rain", DateTimeOffset.UtcNow)));
        Assert.Empty(await log.ReadFeedbackAsync(project, DateTimeOffset.MinValue.AddYears(1), DateTimeOffset.MaxValue.AddYears(-1)));
    }

    [Fact]
    public async Task NewPredictionId_AnyTime_IsWellFormedAndEncodesTheMillisecond()
    {
        await using var log = NewLog();
        var at = new DateTimeOffset(2025, 3, 15, 1, 30, 15, 250, TimeSpan.FromHours(2)); // 23:30:15.250 UTC the day before
        var id = log.NewPredictionId(at);
        Assert.Matches("^2025031423-[0-9a-f]{32}$", id);
        Assert.True(PredictionLog.TryParsePredictionId(id, out var decoded));
        Assert.Equal(at, decoded);
        Assert.NotEqual(id, log.NewPredictionId(at));
    }

    [Fact]
    public async Task FlushAsync_StorageUnreachable_LogsKeepsRecordsAndWritesThemWhenStorageIsBack()
    {
        var project = Project();
        var port = AzuriteFixture.FreePort(); // nothing listens here until the proxy starts
        var blobOptions = new BlobClientOptions { Retry = { MaxRetries = 0, NetworkTimeout = TimeSpan.FromSeconds(5) } };
        var unreachable = new LakeStore(new BlobServiceClient(azurite.ConnectionString.Replace($"127.0.0.1:{azurite.BlobPort}", $"127.0.0.1:{port}"), blobOptions));
        var logger = new ListLogger();
        await using var log = NewLog(new PredictionLogOptions { FlushInterval = TimeSpan.FromHours(1), MaxBatch = 10_000 }, unreachable, logger);
        var records = Enumerable.Range(0, 40).Select(i => Record(log, project, Hour0.AddHours(i % 2).AddMinutes(i), i)).ToList();

        var watch = Stopwatch.StartNew();
        foreach (var r in records) log.Log(r); // does not throw, does not wait
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1));
        await Assert.ThrowsAnyAsync<Exception>(() => log.FlushAsync());
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Warning && e.Exception is not null && e.Message.Contains("40 kept"));
        foreach (var r in records.Take(5)) log.Log(r with { PredictionId = log.NewPredictionId(r.At) }); // more while it is down
        await Assert.ThrowsAnyAsync<Exception>(() => log.FlushAsync());

        await using (var proxy = TcpProxy.Start(port, azurite.BlobPort))
            await log.FlushAsync();

        Assert.Equal(0, log.Dropped);
        await using var reader = NewLog();
        var read = await ReadAllAsync(reader, project, Hour0, Hour0.AddHours(2));
        Assert.Equal(45, read.Count);
        Assert.Equal(45, read.Select(r => r.PredictionId).Distinct().Count());
        Assert.Equal(records.Select(r => r.PredictionId).Order(), read.Select(r => r.PredictionId).Intersect(records.Select(r => r.PredictionId)).Order());
    }

    [Fact]
    public async Task DisposeAsync_StorageStillUnreachable_DoesNotThrowLogsAndCountsDropped()
    {
        var project = Project();
        var port = AzuriteFixture.FreePort();
        var blobOptions = new BlobClientOptions { Retry = { MaxRetries = 0, NetworkTimeout = TimeSpan.FromSeconds(5) } };
        var unreachable = new LakeStore(new BlobServiceClient(azurite.ConnectionString.Replace($"127.0.0.1:{azurite.BlobPort}", $"127.0.0.1:{port}"), blobOptions));
        var logger = new ListLogger();
        var log = NewLog(new PredictionLogOptions { FlushInterval = TimeSpan.FromHours(1) }, unreachable, logger);
        for (var i = 0; i < 7; i++) log.Log(Record(log, project, Hour0, i));

        await log.DisposeAsync();

        Assert.Equal(7, log.Dropped);
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("7 predictions"));
    }

    /// <summary>Forwards a loopback port to another, so a test can make storage reachable at a fixed address later.</summary>
    private sealed class TcpProxy : IAsyncDisposable
    {
        private readonly TcpListener _listener;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _accept;
        private readonly ConcurrentBag<TcpClient> _clients = [];

        private TcpProxy(int port, int target)
        {
            _listener = new TcpListener(IPAddress.Loopback, port);
            _listener.Start();
            _accept = AcceptAsync(target);
        }

        public static TcpProxy Start(int port, int target) => new(port, target);

        private async Task AcceptAsync(int target)
        {
            try
            {
                while (true)
                {
                    var inbound = await _listener.AcceptTcpClientAsync(_stop.Token);
                    var outbound = new TcpClient();
                    await outbound.ConnectAsync(IPAddress.Loopback, target, _stop.Token);
                    _clients.Add(inbound);
                    _clients.Add(outbound);
                    _ = PumpAsync(inbound.GetStream(), outbound.GetStream());
                    _ = PumpAsync(outbound.GetStream(), inbound.GetStream());
                }
            }
            catch (Exception) when (_stop.IsCancellationRequested) { }
        }

        private async Task PumpAsync(NetworkStream from, NetworkStream to)
        {
            try
            {
                await from.CopyToAsync(to, _stop.Token);
            }
            catch (Exception) { }
            try { to.Socket.Shutdown(SocketShutdown.Send); } catch (Exception) { }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            await _accept;
            foreach (var c in _clients) c.Dispose();
            _stop.Dispose();
        }
    }

    public sealed record LogEntry(LogLevel Level, string Message, Exception? Exception);

    public sealed class ListLogger : ILogger<PredictionLog>
    {
        public ConcurrentQueue<LogEntry> Entries { get; } = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Enqueue(new LogEntry(logLevel, formatter(state, exception), exception));
    }
}
