// The Functions app (functions/Orchestrator.Functions) on Azure: a Linux Flex Consumption app (dotnet-isolated 10.0)
// with a system-assigned identity, identity-based storage (no account keys in settings), secrets in Key Vault
// (referenced from app settings, never stored here) and Application Insights.
// Deploy: az deployment group create -g <rg> -f infra/azure/main.bicep -p approvalSigningKey=... smtpPassword=... smtpHost=... authClientId=...

@description('Location of every resource.')
param location string = resourceGroup().location

@description('Name of the Function App (also its default host name: <name>.azurewebsites.net).')
param appName string = 'orchestrator-${uniqueString(resourceGroup().id)}'

@description('NCRONTAB (with seconds) of the RetrainingTimer function: Retraining__Schedule.')
param retrainingSchedule string = '0 0 * * * *'

@description('Public base address of the API, used in emailed approval links: Approvals__PublicBaseUrl.')
param publicBaseUrl string = 'https://${appName}.azurewebsites.net'

@description('SMTP server that sends approval emails: Email__Smtp__Host.')
param smtpHost string

@description('SMTP user name: Email__Smtp__User.')
param smtpUser string = ''

@description('Sender address of approval emails: Email__From.')
param emailFrom string = 'orchestrator@${appName}.azurewebsites.net'

@secure()
@description('HMAC key that signs approval links (at least 32 random bytes, e.g. base64). Stored in Key Vault.')
param approvalSigningKey string

@secure()
@description('SMTP password. Stored in Key Vault.')
param smtpPassword string

@description('Client id of the Entra ID app registration that signs callers in (App Service authentication). Its app roles are the product roles: DataEngineer, DataScientist, MlEngineer, Approver, Reader, Auditor, Admin.')
param authClientId string

@description('Entra ID tenant of that app registration.')
param authTenantId string = subscription().tenantId

@description('Largest number of instances the app scales out to.')
param maximumInstanceCount int = 40

@description('Memory of each instance in MB (2048 or 4096); training runs in the activities.')
param instanceMemoryMB int = 4096

var suffix = uniqueString(resourceGroup().id)
var deploymentContainer = 'app-package'

// Built-in role definitions.
var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
}

// ---- storage: the lake, the metadata tables, the Durable task hub and the deployment package ----

resource storage 'Microsoft.Storage/storageAccounts@2025-01-01' = {
  name: 'st${suffix}'
  location: location
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false // everything uses the app's identity
    defaultToOAuthAuthentication: true
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2025-01-01' = {
  parent: storage
  name: 'default'
}

resource packageContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-01-01' = {
  parent: blobService
  name: deploymentContainer
  properties: { publicAccess: 'None' }
}

// ---- monitoring ----

resource logs 'Microsoft.OperationalInsights/workspaces@2025-02-01' = {
  name: 'log-${suffix}'
  location: location
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 30
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-${suffix}'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
  }
}

// ---- secrets ----

resource vault 'Microsoft.KeyVault/vaults@2025-05-01' = {
  name: 'kv-${suffix}'
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
  }
}

resource signingKeySecret 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = {
  parent: vault
  name: 'approval-signing-key'
  properties: { value: approvalSigningKey }
}

resource smtpPasswordSecret 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = {
  parent: vault
  name: 'smtp-password'
  properties: { value: smtpPassword }
}

// ---- the Function App ----

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: 'plan-${suffix}'
  location: location
  kind: 'functionapp'
  sku: { tier: 'FlexConsumption', name: 'FC1' }
  properties: { reserved: true } // Linux
}

resource app 'Microsoft.Web/sites@2025-03-01' = {
  name: appName
  location: location
  kind: 'functionapp,linux'
  identity: { type: 'SystemAssigned' }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      // Flex Consumption takes the runtime from functionAppConfig: FUNCTIONS_WORKER_RUNTIME and
      // FUNCTIONS_EXTENSION_VERSION must not be set here.
      appSettings: [
        { name: 'AzureWebJobsStorage__accountName', value: storage.name } // identity-based: host, Durable task hub and the app's own clients
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: insights.properties.ConnectionString }
        { name: 'Retraining__Schedule', value: retrainingSchedule }
        { name: 'Approvals__PublicBaseUrl', value: publicBaseUrl }
        { name: 'Approvals__SigningKeys__0', value: '@Microsoft.KeyVault(SecretUri=${signingKeySecret.properties.secretUri})' }
        { name: 'Email__From', value: emailFrom }
        { name: 'Email__Smtp__Host', value: smtpHost }
        { name: 'Email__Smtp__User', value: smtpUser }
        { name: 'Email__Smtp__Password', value: '@Microsoft.KeyVault(SecretUri=${smtpPasswordSecret.properties.secretUri})' }
        // The app trusts X-MS-CLIENT-PRINCIPAL only because authentication below is on (see authSettings).
        { name: 'Auth__AppServiceAuthentication', value: 'true' }
      ]
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainer}'
          authentication: { type: 'SystemAssignedIdentity' }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: { name: 'dotnet-isolated', version: '10.0' }
    }
  }
}

// ---- who calls: App Service authentication with Entra ID signs people in ----
// It sets the principal header the app trusts; the app checks each route's permission from the roles in it.
resource authSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: app
  name: 'authsettingsV2'
  properties: {
    platform: { enabled: true }
    globalValidation: {
      // The app itself refuses every API route without a principal (401) and admits health, the approval link and the
      // portal's static files; the portal sends people to /.auth/login/aad when /api/me answers 401.
      requireAuthentication: false
      unauthenticatedClientAction: 'AllowAnonymous'
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: authClientId
          openIdIssuer: '${environment().authentication.loginEndpoint}${authTenantId}/v2.0'
        }
        validation: {
          allowedAudiences: [authClientId, 'api://${authClientId}']
        }
      }
    }
    login: { tokenStore: { enabled: false } }
  }
}

// ---- the app's identity: data access to the storage account, read access to the secrets ----

resource storageRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in [roles.storageBlobDataOwner, roles.storageQueueDataContributor, roles.storageTableDataContributor]: {
    name: guid(storage.id, app.id, roleId)
    scope: storage
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
      principalId: app.identity.principalId
      principalType: 'ServicePrincipal'
    }
  }
]

resource vaultRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, app.id, roles.keyVaultSecretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
    principalId: app.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

output functionAppName string = app.name
output apiBaseUrl string = 'https://${app.properties.defaultHostName}/api'
output storageAccountName string = storage.name
output keyVaultName string = vault.name
output principalId string = app.identity.principalId
