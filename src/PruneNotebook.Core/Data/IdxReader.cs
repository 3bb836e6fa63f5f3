using System.Buffers.Binary;
using System.IO.Compression;

namespace PruneNotebook.Core.Data;

/// <summary>
/// Reads IDX files (the format of MNIST and Fashion-MNIST), gzip-compressed or raw.
/// </summary>
/// <remarks>
/// Layout: two zero bytes, an element-type byte, a dimension-count byte, then one big-endian
/// 32-bit size per dimension, then the elements in row-major order.
/// </remarks>
public static class IdxReader
{
    /// <summary>Reads the IDX file at <paramref name="path"/>; gzip is detected from the content, not the name.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The magic number is wrong, or the data is shorter or longer than the header says.</exception>
    public static IdxArray Read(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"IDX file not found: {path}", path);
        using var file = File.OpenRead(path);
        try
        {
            return Read(file);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{Path.GetFileName(path)}: {e.Message}", e);
        }
    }

    /// <summary>Reads an IDX stream, gzip-compressed or raw.</summary>
    /// <exception cref="InvalidDataException">The magic number is wrong, or the data is shorter or longer than the header says.</exception>
    public static IdxArray Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        // A seekable source tells how many bytes there are, so a raw file's header is checked against them before anything is allocated.
        long? available = stream.CanSeek ? stream.Length - stream.Position : null;
        var buffered = new BufferedStream(stream, 1 << 16);
        Span<byte> head = stackalloc byte[2];
        var peeked = ReadUpTo(buffered, head);
        var replay = new PrefixedStream(head[..peeked].ToArray(), buffered);
        var isGzip = peeked == 2 && head[0] == 0x1f && head[1] == 0x8b;
        if (!isGzip)
            return Parse(replay, available);
        using var gzip = new GZipStream(replay, CompressionMode.Decompress);
        try
        {
            return Parse(gzip, null);
        }
        catch (Exception e) when (e is IOException or InvalidDataException && e.TargetSite?.DeclaringType?.Assembly != typeof(IdxReader).Assembly)
        {
            // The decompressor's own complaints (a bad header, an unknown method, a cut stream); the reader's are already clear.
            throw new InvalidDataException($"corrupt gzip data ({e.Message})", e);
        }
    }

    /// <summary>Parses an uncompressed IDX stream of <paramref name="available"/> bytes (when known).</summary>
    /// <remarks>
    /// The header's sizes are never trusted for an allocation: they are checked against the bytes available, and where that
    /// is unknown (gzip) the data are read in growing chunks, so memory follows what the file holds, not what it claims.
    /// </remarks>
    private static IdxArray Parse(Stream source, long? available)
    {
        Span<byte> magic = stackalloc byte[4];
        if (ReadUpTo(source, magic) < 4)
            throw new InvalidDataException("truncated header: expected a 4-byte IDX magic number.");
        if (magic[0] != 0 || magic[1] != 0 || !Enum.IsDefined(typeof(IdxElementType), magic[2]) || magic[3] == 0)
            throw new InvalidDataException(
                $"wrong magic number 0x{magic[0]:X2}{magic[1]:X2}{magic[2]:X2}{magic[3]:X2}: expected 0x0000TTNN with element type TT in 08,09,0B,0C,0D,0E and NN ≥ 1 dimensions.");
        var type = (IdxElementType)magic[2];
        var rank = magic[3];

        var dims = new int[rank];
        Span<byte> word = stackalloc byte[4];
        long count = 1;
        for (var i = 0; i < rank; i++)
        {
            if (ReadUpTo(source, word) < 4)
                throw new InvalidDataException($"truncated header: expected {rank} dimension sizes, found {i}.");
            var size = BinaryPrimitives.ReadInt32BigEndian(word);
            if (size < 0)
                throw new InvalidDataException($"dimension {i} has negative size {size}.");
            dims[i] = size;
            // Checked as it grows: 255 dimensions of 2^31 would overflow a long.
            count = count == 0 || size == 0 ? 0 : count > Array.MaxLength / size ? Array.MaxLength + 1L : count * size;
        }
        var width = ElementWidth(type);
        if (count > Array.MaxLength / width)
            throw new InvalidDataException($"the header declares {string.Join("×", dims)} elements, more than one array can hold.");
        var byteCount = count * width;
        var headerBytes = 4 + 4L * rank;
        if (available is { } total && byteCount > total - headerBytes)
            throw new InvalidDataException(
                $"truncated data: the header declares {string.Join("×", dims)} = {count} elements ({byteCount} bytes), but the file holds only {Math.Max(0, total - headerBytes)} bytes after the header.");

        var (data, read) = ReadAtMost(source, byteCount, available is null);
        if (read < byteCount)
            throw new InvalidDataException(
                $"truncated data: the header declares {string.Join("×", dims)} = {count} elements ({byteCount} bytes), but only {read} bytes follow.");
        Span<byte> extra = stackalloc byte[1];
        if (ReadUpTo(source, extra) != 0)
            throw new InvalidDataException(
                $"trailing data: more bytes follow the {count} elements the header declares ({string.Join("×", dims)}).");

        if (type == IdxElementType.UnsignedByte)
            return new IdxArray(type, dims, data, null);
        return new IdxArray(type, dims, null, Convert(type, data, (int)count));
    }

    private static int ElementWidth(IdxElementType type) => type switch
    {
        IdxElementType.UnsignedByte or IdxElementType.SignedByte => 1,
        IdxElementType.Int16 => 2,
        IdxElementType.Int32 or IdxElementType.Float32 => 4,
        _ => 8,
    };

    private static float[] Convert(IdxElementType type, byte[] data, int count)
    {
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = type switch
            {
                IdxElementType.SignedByte => (sbyte)data[i],
                IdxElementType.Int16 => BinaryPrimitives.ReadInt16BigEndian(data.AsSpan(i * 2)),
                IdxElementType.Int32 => BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(i * 4)),
                IdxElementType.Float32 => BinaryPrimitives.ReadSingleBigEndian(data.AsSpan(i * 4)),
                _ => (float)BinaryPrimitives.ReadDoubleBigEndian(data.AsSpan(i * 8)),
            };
        }
        return values;
    }

    /// <summary>
    /// Reads up to <paramref name="count"/> bytes. With <paramref name="grow"/> the buffer starts at 1 MiB and doubles as
    /// data arrive (a compressed stream's length is unknown until read), so it never exceeds twice what was there.
    /// </summary>
    private static (byte[] Data, long Read) ReadAtMost(Stream source, long count, bool grow)
    {
        if (!grow)
        {
            var exact = new byte[count];
            return (exact, ReadUpTo(source, exact));
        }
        var buffer = new byte[Math.Min(count, 1 << 20)];
        long read = 0;
        while (true)
        {
            read += ReadUpTo(source, buffer.AsSpan((int)read));
            if (read < buffer.Length || buffer.Length == count)
                return (buffer, read);
            Array.Resize(ref buffer, (int)Math.Min(count, 2L * buffer.Length));
        }
    }

    private static int ReadUpTo(Stream stream, Span<byte> buffer)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var n = stream.Read(buffer[total..]);
            if (n == 0)
                break;
            total += n;
        }
        return total;
    }

    /// <summary>A read-only stream that replays bytes already consumed for format detection.</summary>
    private sealed class PrefixedStream(byte[] prefix, Stream inner) : Stream
    {
        private int _position;

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_position < prefix.Length)
            {
                var n = Math.Min(buffer.Length, prefix.Length - _position);
                prefix.AsSpan(_position, n).CopyTo(buffer);
                _position += n;
                return n;
            }
            return inner.Read(buffer);
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
