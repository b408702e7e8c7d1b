namespace Orchestrator.Http.Security;

/// <summary>The roles of the product, one per persona (as Entra ID app roles: the <c>roles</c> claim carries them).</summary>
public static class Roles
{
    /// <summary>Datasets: ingest, edit metadata and expectations.</summary>
    public const string DataEngineer = "DataEngineer";
    /// <summary>Projects, runs, trials; requests (resends, cancels) approvals.</summary>
    public const string DataScientist = "DataScientist";
    /// <summary>Promotion, rollback, monitoring, webhooks.</summary>
    public const string MlEngineer = "MlEngineer";
    /// <summary>Subject-matter experts: see what waits for them (decisions themselves go through the emailed link).</summary>
    public const string Approver = "Approver";
    /// <summary>Reads everything not restricted; calls the production model.</summary>
    public const string Reader = "Reader";
    /// <summary>Reads everything not restricted and the audit log.</summary>
    public const string Auditor = "Auditor";
    /// <summary>Everything, including grants.</summary>
    public const string Admin = "Admin";

    public static readonly IReadOnlyList<string> All = [DataEngineer, DataScientist, MlEngineer, Approver, Reader, Auditor, Admin];

    /// <summary>The canonical spelling of a role name, or null when it is not a role.</summary>
    public static string? Normalize(string? role) => All.FirstOrDefault(r => string.Equals(r, role, StringComparison.OrdinalIgnoreCase));
}

/// <summary>What a route needs. Each route declares one (see <see cref="Api.ApiRoute"/>).</summary>
public enum Permission
{
    /// <summary>Projects, runs, trials, models, monitoring, the catalog, lineage — reading.</summary>
    Read,
    /// <summary>Create or change a project definition.</summary>
    ProjectWrite,
    /// <summary>Upload a dataset or ingest a landing file.</summary>
    DatasetIngest,
    /// <summary>Dataset metadata, expectations and access restriction.</summary>
    DatasetEdit,
    /// <summary>Start or re-run a training run.</summary>
    RunStart,
    /// <summary>Resend or cancel an approval request of a run.</summary>
    ApprovalManage,
    /// <summary>Promote a model version into an environment (scoped per environment).</summary>
    Promote,
    /// <summary>Roll an environment back (scoped per environment).</summary>
    Rollback,
    /// <summary>Run monitoring now, manage webhooks.</summary>
    Operate,
    /// <summary>Score rows with the production model and send ground truth.</summary>
    Predict,
    /// <summary>Read the audit log.</summary>
    AuditRead,
    /// <summary>Grant and revoke roles.</summary>
    AccessAdmin,
}

/// <summary>Which permissions each role holds.</summary>
public static class RolePermissions
{
    private static readonly Permission[] Reading = [Permission.Read];

    private static readonly Dictionary<string, HashSet<Permission>> Map = new(StringComparer.OrdinalIgnoreCase)
    {
        [Roles.Reader] = [.. Reading, Permission.Predict],
        [Roles.Auditor] = [.. Reading, Permission.AuditRead],
        [Roles.Approver] = [.. Reading],
        [Roles.DataEngineer] = [.. Reading, Permission.DatasetIngest, Permission.DatasetEdit],
        [Roles.DataScientist] = [.. Reading, Permission.ProjectWrite, Permission.RunStart, Permission.ApprovalManage, Permission.Predict],
        [Roles.MlEngineer] = [.. Reading, Permission.Promote, Permission.Rollback, Permission.Operate, Permission.Predict],
        [Roles.Admin] = [.. Enum.GetValues<Permission>()],
    };

    /// <summary>
    /// What a service principal (an app, not a person) may do with a role: a source system's data-engineering
    /// identity only ingests; the others keep their role's permissions.
    /// </summary>
    private static readonly Dictionary<string, HashSet<Permission>> ServiceMap = new(StringComparer.OrdinalIgnoreCase)
    {
        [Roles.DataEngineer] = [Permission.DatasetIngest],
    };

    /// <summary>True when <paramref name="role"/> grants <paramref name="permission"/> (for a service principal when <paramref name="service"/>).</summary>
    public static bool Grants(string role, Permission permission, bool service = false) =>
        (service && ServiceMap.TryGetValue(role, out var limited) ? limited : Map.GetValueOrDefault(role))?.Contains(permission) == true;

    /// <summary>The roles that grant <paramref name="permission"/> to a person.</summary>
    public static IEnumerable<string> RolesGranting(Permission permission) => Roles.All.Where(r => Grants(r, permission));
}
