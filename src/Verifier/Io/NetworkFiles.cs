using Verify.Errors;
using Verify.Model;

namespace Verify.Io;

/// <summary>Chooses a format by file extension and turns I/O and model errors into messages that name the file.</summary>
public static class NetworkFiles
{
    private static readonly List<INetworkFormat> Formats = [new JsonNetworkFormat()];

    /// <summary>Lets format implementations in other files register themselves once.</summary>
    public static void Register(INetworkFormat format)
    {
        lock (Formats)
            if (!Formats.Any(f => f.Name == format.Name)) Formats.Add(format);
    }

    static NetworkFiles()
    {
        foreach (var t in typeof(NetworkFiles).Assembly.GetTypes())
            if (typeof(INetworkFormat).IsAssignableFrom(t) && !t.IsAbstract && !t.IsInterface &&
                t.GetConstructor(Type.EmptyTypes) is not null && t != typeof(JsonNetworkFormat))
                Formats.Add((INetworkFormat)Activator.CreateInstance(t)!);
    }

    public static IReadOnlyList<INetworkFormat> All => Formats;

    public static INetworkFormat ForPath(string path, string? formatName = null)
    {
        if (formatName is not null)
            return Formats.FirstOrDefault(f => f.Name.Equals(formatName, StringComparison.OrdinalIgnoreCase))
                   ?? throw new UsageException($"unknown network format '{formatName}' (known: {string.Join(", ", Formats.Select(f => f.Name))})");
        string ext = Path.GetExtension(path).ToLowerInvariant();
        return Formats.FirstOrDefault(f => f.Extensions.Contains(ext))
               ?? throw new BadInputException(path, $"unknown network file extension '{ext}' (known: {string.Join(", ", Formats.SelectMany(f => f.Extensions))})");
    }

    public static Network Read(string path, string? formatName = null) => ReadWithFormat(path, formatName).Network;

    public static (Network Network, INetworkFormat Format, byte[] Bytes) ReadWithFormat(string path, string? formatName = null)
    {
        var format = ForPath(path, formatName);
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException(path, "cannot read file: " + e.Message);
        }
        try { return (format.Read(path, bytes), format, bytes); }
        catch (ModelException e) { throw new BadInputException(path, e.Problem); }
    }

    public static void Write(Network network, string path, string? formatName = null)
    {
        var format = ForPath(path, formatName);
        if (!format.CanWrite) throw new UsageException($"writing {format.Name} files is not supported");
        var bytes = format.Write(network);
        try { File.WriteAllBytes(path, bytes); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException(path, "cannot write file: " + e.Message);
        }
    }
}
