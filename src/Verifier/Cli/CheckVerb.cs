using System.CommandLine;
using Verify.Checker;

namespace Verify.Cli;

/// <summary>
/// `verify check CERT [--net FILE]`: re-validates a certificate written by `certify --certificate` or
/// `equiv --certificate` (then also [--net2 FILE]) with the independent
/// checker (src/Verifier/Checker). Exit 0 valid, 1 invalid (the first failing leaf and why), 2 not fully checked (SMT-LIB2 queries of Z3's claims that cvc5 did
/// not re-decide: not installed, or unknown), 65 unreadable certificate.
/// </summary>
public sealed class CheckVerb : IVerb
{
    public Command Build()
    {
        var cert = new Argument<string>("certificate") { Description = "the certificate JSON (from verify certify or equiv --certificate)" };
        var net = new Option<string?>("--net") { Description = "the network file to check against (default: the path recorded in the certificate); its SHA-256 must match" };
        var net2 = new Option<string?>("--net2") { Description = "equivalence certificates: the second network file to check against (default: the recorded path); its SHA-256 must match" };
        var cvc5 = new Option<string?>("--cvc5") { Description = "certificates with SMT-LIB2 queries (certify --method z3): the cvc5 executable that re-decides them (default: cvc5 on PATH)" };
        var smtTimeout = new Option<double>("--smt-timeout") { Description = "seconds cvc5 may spend per SMT-LIB2 query", DefaultValueFactory = _ => 60 };
        var cmd = new Command("check", "Re-validate a certificate exactly, without the engine that made it.") { cert, net, net2, cvc5, smtTimeout };
        cmd.SetAction(p => VerbRunner.Run(() =>
        {
            if (!(p.GetValue(smtTimeout) > 0) || !double.IsFinite(p.GetValue(smtTimeout))) throw new Errors.UsageException("--smt-timeout must be a positive number of seconds");
            var report = CertificateChecker.Check(p.GetValue(cert)!, p.GetValue(net), p.GetValue(net2), p.GetValue(cvc5), TimeSpan.FromSeconds(p.GetValue(smtTimeout)));
            if (!report.Valid) { Console.WriteLine("invalid: " + report.Message); return 1; }
            if (report.Undecided is not null) { Console.WriteLine("not fully checked: " + report.Message.Replace("valid: ", "", StringComparison.Ordinal)); return 2; }
            Console.WriteLine(report.Message);
            return 0;
        }));
        return cmd;
    }
}
