using System.Buffers.Binary;
using System.IO.Compression;

namespace PruneNotebook.Core.Tests;

/// <summary>Writes hand-made IDX files for tests.</summary>
internal static class IdxFiles
{
    public static byte[] Bytes(byte type, int[] dims, byte[] payload)
    {
        using var stream = new MemoryStream();
        stream.Write([0, 0, type, (byte)dims.Length]);
        Span<byte> word = stackalloc byte[4];
        foreach (var d in dims)
        {
            BinaryPrimitives.WriteInt32BigEndian(word, d);
            stream.Write(word);
        }
        stream.Write(payload);
        return stream.ToArray();
    }

    public static byte[] Gzip(byte[] raw)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(raw);
        return output.ToArray();
    }

    /// <summary>A temporary folder deleted on dispose.</summary>
    public sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("prunenotebook-tests-").FullName;

        public string Write(string name, byte[] content)
        {
            var file = System.IO.Path.Combine(Path, name);
            File.WriteAllBytes(file, content);
            return file;
        }

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
