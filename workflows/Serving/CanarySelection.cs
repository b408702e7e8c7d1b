using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Orchestrator.Workflows.Serving;

/// <summary>
/// Which predictions go to the challenger as shadow traffic: a prediction id falls in one of 10,000 buckets by the
/// SHA-256 of its text, and a canary of p percent takes the buckets below p × 100. The same id is always chosen the same
/// way (any process, any retry), and since ids are random the share is p over many predictions.
/// </summary>
public static class CanarySelection
{
    private const int Buckets = 10_000;

    /// <summary>True when the prediction <paramref name="predictionId"/> is shadowed at <paramref name="canaryPercent"/> (0–100).</summary>
    public static bool Selects(string predictionId, double canaryPercent)
    {
        ArgumentNullException.ThrowIfNull(predictionId);
        if (!(canaryPercent > 0)) return false;
        if (canaryPercent >= 100) return true;
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(predictionId), hash);
        var bucket = BinaryPrimitives.ReadUInt64BigEndian(hash) % Buckets;
        return bucket < (ulong)Math.Round(canaryPercent * (Buckets / 100));
    }
}
