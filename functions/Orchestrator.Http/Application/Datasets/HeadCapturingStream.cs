using System.Security.Cryptography;

namespace Orchestrator.Http.Application.Datasets;

/// <summary>Thrown when an upload exceeds the configured limit while streaming.</summary>
internal sealed class UploadTooLargeException() : IOException("The upload exceeds the size limit.");

/// <summary>Passes a request body through to storage, keeping its first bytes (to check the format), hashing it and enforcing the size limit.</summary>
internal sealed class HeadCapturingStream(Stream inner, byte[] head, long maxBytes) : Stream
{
    private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _read;

    /// <summary>SHA-256 of the bytes read so far (lower-case hex); call once, after the whole body was read.</summary>
    public string Hash() => Convert.ToHexStringLower(_sha256.GetHashAndReset());
    public int HeadLength { get; private set; }
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _read; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => Track(buffer.AsSpan(offset), inner.Read(buffer, offset, count));
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer, cancellationToken);
        return Track(buffer.Span, n);
    }
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private int Track(Span<byte> buffer, int n)
    {
        if (n > 0) _sha256.AppendData(buffer[..n]);
        if (HeadLength < head.Length && n > 0)
        {
            var take = Math.Min(n, head.Length - HeadLength);
            buffer[..take].CopyTo(head.AsSpan(HeadLength));
            HeadLength += take;
        }
        _read += n;
        if (_read > maxBytes) throw new UploadTooLargeException();
        return n;
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

