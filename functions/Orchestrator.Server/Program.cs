using Orchestrator.Server;

// `token --user … --role …` mints a development token instead of serving (see ./run.sh token).
if (args.FirstOrDefault() == "token")
{
    var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args.Skip(1).Where(a => a.Contains('=')).ToArray()).Build();
    return DevelopmentTokens.Mint(args.Skip(1).Where(a => !a.Contains('=')).ToArray(), configuration, Console.Out, Console.Error);
}

var app = ServerApp.Build(args);
// At build time the OpenAPI generator runs the app on a server that does not listen, to read its endpoints: no task hub.
if (System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name == "GetDocument.Insider")
{
    await app.RunAsync();
    return 0;
}
await ServerApp.StartAsync(app);
app.Logger.LogInformation("Orchestrator server listening on {Urls}", string.Join(", ", app.Urls));
await app.WaitForShutdownAsync();
return 0;
