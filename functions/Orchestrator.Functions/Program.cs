using Microsoft.Extensions.Hosting;
using Orchestrator.Functions;

// Settings (app settings in Azure; environment variables or an untracked local.settings.json "Values" locally,
// which must never be committed because it holds secrets):
//   AzureWebJobsStorage                   storage connection string (local: UseDevelopmentStorage=true for Azurite), or
//   AzureWebJobsStorage__accountName      identity-based storage instead (managed identity / developer login)
//   FUNCTIONS_WORKER_RUNTIME              dotnet-isolated (local.settings.json; Flex Consumption sets it itself)
//   Retraining__Schedule                  NCRONTAB with seconds of the RetrainingTimer; REQUIRED by the trigger's
//                                         %Retraining:Schedule% expression (the server's default is "0 0 * * * *")
//   Approvals__PublicBaseUrl              public base address of the API used in emailed approval links
//   Approvals__SigningKeys__0             HMAC key that signs approval links (secret; Key Vault reference in Azure)
//   Email__From, Email__Smtp__Host, Email__Smtp__Port, Email__Smtp__User, Email__Smtp__Password (secret)
//   Uploads__MaxBytes                     largest accepted dataset upload
//   Webhooks__MaxAttempts, Webhooks__FirstRetryInterval, Webhooks__Timeout   webhook delivery retries (optional)
var app = FunctionsApp.CreateBuilder(args).Build();
app.Run();
