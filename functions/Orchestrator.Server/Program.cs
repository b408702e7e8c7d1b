using Orchestrator.Server;

var app = ServerApp.Build(args);
await ServerApp.StartAsync(app);
app.Logger.LogInformation("Orchestrator server listening on {Urls}", string.Join(", ", app.Urls));
await app.WaitForShutdownAsync();
