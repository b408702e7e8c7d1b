using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Orchestrator.Server.Tests;

/// <summary>A real Azurite (from infra/local) on free loopback ports, with its data in a temp folder; stopped and deleted on dispose.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private Process? _process;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "azurite-" + Guid.NewGuid().ToString("N"));
    public int BlobPort { get; private set; }
    public int QueuePort { get; private set; }
    public int TablePort { get; private set; }

    /// <summary>Connection string of the emulator's well-known development account on this instance's ports.</summary>
    public string ConnectionString =>
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
        "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{QueuePort}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{TablePort}/devstoreaccount1;";

    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Orchestrator.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("Orchestrator.sln not found above the test output.");
        }
    }

    public Task InitializeAsync()
    {
        (BlobPort, QueuePort, TablePort) = (FreePort(), FreePort(), FreePort());
        Directory.CreateDirectory(_folder);
        return StartAsync();
    }

    /// <summary>
    /// Stops Azurite (SIGTERM: it saves its in-memory table and queue databases to its folder first; killed, it would
    /// lose what it had not saved yet, which real storage never does), for outage tests.
    /// </summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false })
        {
            using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await term.WaitForExitAsync();
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try { await _process.WaitForExitAsync(wait.Token); }
            catch (OperationCanceledException) { _process.Kill(entireProcessTree: true); }
        }
        _process?.Dispose();
        _process = null;
    }

    /// <summary>Starts Azurite on its ports and folder (again, after <see cref="StopAsync"/>).</summary>
    public async Task StartAsync()
    {
        // Azurite's three services side by side in one process (infra/local/azurite-services.mjs says why).
        var services = Path.Combine(RepoRoot, "infra", "local", "azurite-services.mjs");
        if (!File.Exists(Path.Combine(RepoRoot, "infra", "local", "node_modules", "azurite", "package.json")))
            throw new InvalidOperationException("Azurite is missing: run infra/local/setup.sh (./test.sh does).");
        var start = new ProcessStartInfo("node")
        {
            ArgumentList =
            {
                services, "--silent", "--skipApiVersionCheck", "--loose", "--disableTelemetry", "--location", _folder,
                "--blobHost", "127.0.0.1", "--blobPort", BlobPort.ToString(),
                "--queueHost", "127.0.0.1", "--queuePort", QueuePort.ToString(),
                "--tableHost", "127.0.0.1", "--tablePort", TablePort.ToString(),
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        _process = Process.Start(start)!;
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        foreach (var port in new[] { BlobPort, QueuePort, TablePort })
        {
            while (!await ListensAsync(port))
            {
                if (_process.HasExited) throw new InvalidOperationException($"Azurite exited with code {_process.ExitCode}.");
                if (DateTime.UtcNow > deadline) throw new TimeoutException("Azurite did not start within 30 s.");
                await Task.Delay(200);
            }
        }
    }

    private static async Task<bool> ListensAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false }) _process.Kill(entireProcessTree: true);
        _process?.Dispose();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
        return Task.CompletedTask;
    }
}
