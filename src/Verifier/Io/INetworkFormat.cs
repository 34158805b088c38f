using Verify.Model;

namespace Verify.Io;

/// <summary>One network file format: a reader and, where supported, a writer.</summary>
public interface INetworkFormat
{
    /// <summary>Short name used in messages and `verify info` ("json", "nnet", "onnx").</summary>
    string Name { get; }

    /// <summary>File extensions (lower case, with dot) this format claims.</summary>
    IReadOnlyList<string> Extensions { get; }

    /// <summary>Parses the bytes of <paramref name="path"/>; throws <see cref="Errors.BadInputException"/> naming the file.</summary>
    Network Read(string path, byte[] content);

    bool CanWrite { get; }

    byte[] Write(Network network);
}
