using System.Buffers.Binary;
using PruneNotebook.Core.Data;

namespace PruneNotebook.Core.Tests;

public class IdxReaderTests
{
    private static readonly byte[] TwoImages = IdxFiles.Bytes(0x08, [2, 2, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 255]);

    [Fact]
    public void Reads_a_raw_unsigned_byte_file_with_its_dimensions_and_values()
    {
        var idx = IdxReader.Read(new MemoryStream(TwoImages));
        Assert.Equal(IdxElementType.UnsignedByte, idx.ElementType);
        Assert.Equal([2, 2, 3], idx.Dimensions);
        Assert.Equal(2, idx.Count);
        Assert.Equal(6, idx.ItemSize);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 255 }, idx.Bytes);
    }

    [Fact]
    public void Reads_the_same_values_from_a_gzip_file()
    {
        using var folder = new IdxFiles.TempFolder();
        var path = folder.Write("images.idx.gz", IdxFiles.Gzip(TwoImages));
        var idx = IdxReader.Read(path);
        Assert.Equal([2, 2, 3], idx.Dimensions);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 255 }, idx.Bytes);
    }

    [Fact]
    public void Reads_big_endian_floats_and_signed_integers()
    {
        var floats = new byte[8];
        BinaryPrimitives.WriteSingleBigEndian(floats, 1.5f);
        BinaryPrimitives.WriteSingleBigEndian(floats.AsSpan(4), -2.25f);
        Assert.Equal([1.5f, -2.25f], IdxReader.Read(new MemoryStream(IdxFiles.Bytes(0x0D, [2], floats))).Values!);

        var shorts = new byte[4];
        BinaryPrimitives.WriteInt16BigEndian(shorts, -300);
        BinaryPrimitives.WriteInt16BigEndian(shorts.AsSpan(2), 1200);
        Assert.Equal([-300f, 1200f], IdxReader.Read(new MemoryStream(IdxFiles.Bytes(0x0B, [2, 1], shorts))).Values!);
    }

    [Fact]
    public void Rejects_a_wrong_magic_number_and_says_what_it_expected()
    {
        var bad = (byte[])TwoImages.Clone();
        bad[2] = 0x07;
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.Read(new MemoryStream(bad)));
        Assert.Contains("wrong magic number 0x00000703", e.Message);
        Assert.Contains("expected", e.Message);
    }

    [Fact]
    public void Rejects_a_non_idx_file_such_as_text()
    {
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.Read(new MemoryStream("hello world"u8.ToArray())));
        Assert.Contains("wrong magic number", e.Message);
    }

    [Fact]
    public void Rejects_truncated_data_naming_the_declared_and_found_sizes()
    {
        var truncated = TwoImages[..^2];
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.Read(new MemoryStream(truncated)));
        Assert.Contains("truncated data", e.Message);
        Assert.Contains("12 elements", e.Message);
        Assert.Contains("only 10 bytes", e.Message);
    }

    [Fact]
    public void Rejects_a_truncated_gzip_file()
    {
        var gz = IdxFiles.Gzip(TwoImages);
        Assert.ThrowsAny<InvalidDataException>(() => IdxReader.Read(new MemoryStream(gz[..(gz.Length / 2)])));
    }

    [Fact]
    public void Rejects_a_truncated_header()
    {
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.Read(new MemoryStream(TwoImages[..9])));
        Assert.Contains("truncated header", e.Message);
    }

    [Fact]
    public void Rejects_more_data_than_the_header_declares()
    {
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.Read(new MemoryStream([.. TwoImages, 0])));
        Assert.Contains("trailing data", e.Message);
    }

    [Fact]
    public void Names_the_file_in_errors_and_reports_a_missing_file()
    {
        using var folder = new IdxFiles.TempFolder();
        var path = folder.Write("broken-idx1-ubyte", [0, 0, 0x08]);
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path));
        Assert.StartsWith("broken-idx1-ubyte:", e.Message);
        Assert.Throws<FileNotFoundException>(() => IdxReader.Read(Path.Combine(folder.Path, "absent.gz")));
    }
}
