using System.Buffers.Binary;
using System.Text;

namespace Kiln.Drivers.File;

/// <summary>
/// Reads the two qcow2 header fields the driver needs (virtual size and backing file name) straight
/// from the file: stats and dependency checks run over every file, far too often to start qemu-img each time.
/// </summary>
internal readonly record struct Qcow2Header(long VirtualSize, string? BackingFile)
{
    private const uint Magic = 0x514649fb; // "QFI\xfb"
    private const int MaxBackingNameLength = 1023;

    public static Qcow2Header Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
        Span<byte> header = stackalloc byte[32];
        stream.ReadExactly(header);
        if (BinaryPrimitives.ReadUInt32BigEndian(header) != Magic)
        {
            throw new InvalidDataException($"{path} is not a qcow2 image");
        }

        var backingOffset = BinaryPrimitives.ReadInt64BigEndian(header[8..]);
        var backingLength = BinaryPrimitives.ReadInt32BigEndian(header[16..]);
        var virtualSize = BinaryPrimitives.ReadInt64BigEndian(header[24..]);
        if (backingOffset == 0 || backingLength <= 0)
        {
            return new Qcow2Header(virtualSize, null);
        }

        if (backingLength > MaxBackingNameLength)
        {
            throw new InvalidDataException($"{path}: backing file name of {backingLength} bytes");
        }

        var name = new byte[backingLength];
        stream.Position = backingOffset;
        stream.ReadExactly(name);
        return new Qcow2Header(virtualSize, Encoding.UTF8.GetString(name));
    }
}
