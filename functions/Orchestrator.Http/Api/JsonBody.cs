using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using ProductJson = Orchestrator.Workflows.Storage.Json;

namespace Orchestrator.Http.Api;

/// <summary>
/// A JSON request body of <typeparamref name="T"/>, read the same way by every route on both hosts: in the product's
/// JSON conventions, whatever the Content-Type says, and when it cannot be read — not JSON, or a value of the wrong
/// type — a 400 that names the JSON path of the field (<see cref="InvalidRequestException"/>). Declared as
/// <c>JsonBody&lt;T&gt;?</c> the body is optional (empty → null); otherwise an empty body is a 400 too.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1000:Do not declare static members on generic types",
    Justification = "BindAsync and PopulateMetadata are the static members minimal APIs look for on a parameter type.")]
public sealed class JsonBody<T> : IEndpointParameterMetadataProvider where T : class
{
    private JsonBody(T value) => Value = value;

    public T Value { get; }

    public static ValueTask<JsonBody<T>?> BindAsync(HttpContext context, ParameterInfo parameter) =>
        ReadAsync(context, IsOptional(parameter), ApiRoutes.OfHandler(parameter.Member)?.MaxBodyBytes ?? ApiRoute.DefaultMaxBodyBytes);

    /// <summary>
    /// Reads the body as the binder does, for routes that accept JSON or another media type (a form): at most
    /// <paramref name="maxBytes"/>, else a 413 naming the limit.
    /// </summary>
    public static async ValueTask<JsonBody<T>?> ReadAsync(HttpContext context, bool optional, long maxBytes = ApiRoute.DefaultMaxBodyBytes)
    {
        var request = context.Request;
        if (request.ContentLength > maxBytes) throw BodyLimitStream.TooLarge(maxBytes);
        // A streamed body (no length) is counted as it is read: past the limit it fails, never read whole. Kestrel is
        // told the limit too, so that it closes the connection instead of draining the rest of the body.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } hostLimit && (hostLimit.MaxRequestBodySize ?? long.MaxValue) > maxBytes)
            hostLimit.MaxRequestBodySize = maxBytes;
        if (request.ContentLength is null) request.Body = new BodyLimitStream(request.Body, maxBytes);
        if (await IsEmptyAsync(request))
        {
            if (optional) return null;
            throw new InvalidRequestException("body", $"A JSON {Describe()} is required.");
        }
        T? value;
        try
        {
            value = await JsonSerializer.DeserializeAsync<T>(request.Body, ProductJson.Options, context.RequestAborted);
        }
        catch (JsonException e)
        {
            // Unreadable JSON (the reader's error, inside) is the body's fault; a value of the wrong type is its field's.
            throw new InvalidRequestException(e.InnerException is JsonException ? "body" : JsonPaths.FieldOf(e.Path), $"Invalid JSON: {e.Message}");
        }
        if (value is null)
        {
            if (optional) return null;
            throw new InvalidRequestException("body", $"A JSON {Describe()} is required, not null.");
        }
        return new JsonBody<T>(value);
    }

    private static async Task<bool> IsEmptyAsync(HttpRequest request)
    {
        if (request.ContentLength is { } length) return length == 0;
        // No length (chunked, or a host that does not forward it): look at the first byte.
        request.EnableBuffering();
        var first = new byte[1];
        var read = await request.Body.ReadAsync(first, request.HttpContext.RequestAborted);
        request.Body.Position = 0;
        return read == 0;
    }

    public static void PopulateMetadata(ParameterInfo parameter, EndpointBuilder builder) =>
        builder.Metadata.Add(new AcceptsMetadata(["application/json"], typeof(T), IsOptional(parameter)));

    private static bool IsOptional(ParameterInfo parameter) =>
        new NullabilityInfoContext().Create(parameter).ReadState == NullabilityState.Nullable || parameter.HasDefaultValue;

    private static string Describe() => typeof(T).IsGenericType ? "array" : "object";
}

/// <summary>Reads at most a limit from a request body, then fails with a 413 naming the limit.</summary>
internal sealed class BodyLimitStream(Stream inner, long maxBytes) : Stream
{
    private long _read;

    /// <summary>The 413 a body over <paramref name="maxBytes"/> answers (through <see cref="ApiErrors"/>).</summary>
    public static BadHttpRequestException TooLarge(long maxBytes) =>
        new($"The request body is larger than this route accepts ({maxBytes} bytes).", StatusCodes.Status413PayloadTooLarge);

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, Allowed(count)));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer[..Allowed(buffer.Length)], cancellationToken));

    /// <summary>No read goes past the byte that shows the body is over the limit.</summary>
    private int Allowed(int count) => (int)Math.Min(count, maxBytes + 1 - _read);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private int Count(int n)
    {
        _read += n;
        if (_read > maxBytes) throw TooLarge(maxBytes);
        return n;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>How errors name the fields of a JSON body.</summary>
public static class JsonPaths
{
    /// <summary>The field a JSON path names: <c>$.kpis[0].min</c> → <c>kpis[0].min</c>; the root is <c>body</c>.</summary>
    public static string FieldOf(string? path) => string.IsNullOrEmpty(path) || path == "$" ? "body" : path.TrimStart('$', '.');
}

/// <summary>A request that cannot be read: answered 400 with the failing field (its JSON path) and why.</summary>
public sealed class InvalidRequestException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}
