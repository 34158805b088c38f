using System.CommandLine;
using Verify.Checker;

namespace Verify.Cli;

/// <summary>
/// `verify check CERT [--net FILE]`: re-validates a certificate written by `certify --certificate` or
/// `equiv --certificate` (then also [--net2 FILE]) with the independent
/// checker (src/Verifier/Checker). Exit 0 valid, 1 invalid (the first failing leaf and why), 65 unreadable certificate.
/// </summary>
public sealed class CheckVerb : IVerb
{
    public Command Build()
    {
        var cert = new Argument<string>("certificate") { Description = "the certificate JSON (from verify certify or equiv --certificate)" };
        var net = new Option<string?>("--net") { Description = "the network file to check against (default: the path recorded in the certificate); its SHA-256 must match" };
        var net2 = new Option<string?>("--net2") { Description = "equivalence certificates: the second network file to check against (default: the recorded path); its SHA-256 must match" };
        var cmd = new Command("check", "Re-validate a certificate exactly, without the engine that made it.") { cert, net, net2 };
        cmd.SetAction(p => VerbRunner.Run(() =>
        {
            var report = CertificateChecker.Check(p.GetValue(cert)!, p.GetValue(net), p.GetValue(net2));
            Console.WriteLine(report.Valid ? report.Message : "invalid: " + report.Message);
            return report.Valid ? 0 : 1;
        }));
        return cmd;
    }
}
