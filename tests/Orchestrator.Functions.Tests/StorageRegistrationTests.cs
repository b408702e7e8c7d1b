using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;

namespace Orchestrator.Functions.Tests;

/// <summary>Which storage clients the app's own services get: connection string, or the app's identity.</summary>
public class StorageRegistrationTests
{
    private static (BlobServiceClient Blobs, TableServiceClient Tables) Resolve(params string[] args)
    {
        using var host = FunctionsApp.CreateBuilder(args).Build();
        return (host.Services.GetRequiredService<BlobServiceClient>(), host.Services.GetRequiredService<TableServiceClient>());
    }

    [Fact]
    public void AddApplicationServices_AccountNameWithoutConnectionString_UsesAccountEndpoints()
    {
        // The empty value hides any AzureWebJobsStorage connection string in the environment, as in Azure.
        var (blobs, tables) = Resolve("--AzureWebJobsStorage=", "--AzureWebJobsStorage:accountName=stexample");
        Assert.Equal(new Uri("https://stexample.blob.core.windows.net/"), blobs.Uri);
        Assert.Equal("stexample", tables.AccountName);
    }

    [Fact]
    public void AddApplicationServices_ConnectionString_UsesConnectionString()
    {
        var (blobs, tables) = Resolve("--AzureWebJobsStorage=UseDevelopmentStorage=true", "--AzureWebJobsStorage:accountName=stexample");
        Assert.Equal("devstoreaccount1", blobs.AccountName);
        Assert.Equal("devstoreaccount1", tables.AccountName);
    }
}
