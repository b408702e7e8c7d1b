using System.Security.Cryptography;
using System.Text;

namespace Orchestrator.Workflows.Storage;

/// <summary>Development keys kept in a local file (git-ignored <c>.data/</c>), created on first use — never in the repository.</summary>
public static class KeyFiles
{
    /// <summary>The key in <paramref name="path"/>, or a new random 256-bit key written there (the first process to write wins).</summary>
    public static string LoadOrCreate(string path)
    {
        var full = Path.GetFullPath(path);
        if (File.Exists(full)) return File.ReadAllText(full).Trim();
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        try
        {
            using var file = new FileStream(full, FileMode.CreateNew, FileAccess.Write);
            file.Write(Encoding.UTF8.GetBytes(key));
            return key;
        }
        catch (IOException)
        {
            return File.ReadAllText(full).Trim(); // another process created it first
        }
    }
}
