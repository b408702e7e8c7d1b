namespace Orchestrator.Http.Api;

/// <summary>
/// The route table of the API: every route of every resource, declared once in its resource's file. The server maps
/// it (<c>MapOrchestratorApi</c>), the Functions app's triggers invoke it by name, the access gate and the OpenAPI
/// document read it, and the README's permission table is checked against it.
/// </summary>
public static class ApiRoutes
{
    /// <summary>The resources in the order the API reference and the README list them.</summary>
    public static readonly IReadOnlyList<ApiResource> Resources =
    [
        HealthApi.Resource,
        ProjectsApi.Resource,
        DatasetsApi.Resource,
        RunsApi.Resource,
        TrialsApi.Resource,
        ApprovalsApi.Resource,
        ModelsApi.Resource,
        BatchesApi.Resource,
        ServingApi.Resource,
        MonitoringApi.Resource,
        AccessApi.Resource,
        SignInApi.Resource,
        WebhooksApi.Resource,
        LineageApi.Resource,
        AuditApi.Resource,
    ];

    /// <summary>Every route, each tagged with its resource.</summary>
    public static readonly IReadOnlyList<ApiRoute> All =
        Resources.SelectMany(resource => resource.Routes.Select(route => route with { Tag = resource.Tag })).ToList();

    private static readonly Dictionary<string, ApiRoute> ByName = All.ToDictionary(r => r.Name);

    /// <summary>The route of an operation (the Functions function of the same name).</summary>
    public static ApiRoute? Named(string name) => ByName.GetValueOrDefault(name);

    private static readonly (Microsoft.AspNetCore.Routing.Template.TemplateMatcher Matcher, string Method)[] Templates =
        All.Select(r => (new Microsoft.AspNetCore.Routing.Template.TemplateMatcher(
            Microsoft.AspNetCore.Routing.Template.TemplateParser.Parse(r.ServerTemplate.TrimStart('/')), new Microsoft.AspNetCore.Routing.RouteValueDictionary()), r.Method)).ToArray();

    /// <summary>
    /// The methods the table declares at <paramref name="path"/> (segments only, constraints aside): what a 405 lists as
    /// allowed, empty where no route matches (a 404).
    /// </summary>
    public static IReadOnlyList<string> MethodsAt(string path)
    {
        var request = new Microsoft.AspNetCore.Http.PathString("/" + path.TrimStart('/'));
        return Templates.Where(t => t.Matcher.TryMatch(request, new Microsoft.AspNetCore.Routing.RouteValueDictionary())).Select(t => t.Method).Distinct().Order(StringComparer.Ordinal).ToList();
    }

    private static readonly Dictionary<System.Reflection.MethodInfo, ApiRoute> ByHandler =
        All.GroupBy(r => r.Handler.Method).ToDictionary(g => g.Key, g => g.First());

    /// <summary>
    /// The route whose handler is <paramref name="handler"/> (a body binder knows only its parameter's method: the
    /// Functions host has no endpoint metadata).
    /// </summary>
    public static ApiRoute? OfHandler(System.Reflection.MemberInfo handler) =>
        handler is System.Reflection.MethodInfo method ? ByHandler.GetValueOrDefault(method) : null;

    /// <summary>The route parameters of a template: <c>projects/{project}/models/{version:int}</c> → project, version.</summary>
    public static IReadOnlyList<string> ParametersOf(string template) =>
        template.Split('/').Where(s => s.StartsWith('{') && s.EndsWith('}'))
            .Select(s => s.Trim('{', '}').TrimStart('*').Split(':')[0].TrimEnd('?')).ToList();
}
