using System.Text;
using Verify.Errors;

namespace Verify.Io;

/// <summary>Text input files (.nnet, VNNLIB) are decoded as strict UTF-8: undecodable bytes are an error, never silently replaced.</summary>
public static class TextInput
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string Decode(string path, byte[] content)
    {
        try { return Strict.GetString(content); }
        catch (DecoderFallbackException e)
        {
            throw new BadInputException(path, $"not a text file: byte {e.Index} is not valid UTF-8");
        }
    }
}
