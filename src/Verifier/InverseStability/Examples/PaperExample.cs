using Verify.Intervals;
using Verify.Specs;

namespace Verify.InverseStability;

/// <summary>
/// One member (index k) of an example of Section 2 of Berner, Elbrächter, Grohs (NeurIPS 2019): Γ, the parametrization
/// Θ of g_k that the paper prints, an explicit parametrization Φ of g_k for the upper bound of the parameter distance,
/// the domain U, the norms the example is about, and the paper's statement with its closed forms (for the tests and the
/// table: the tool computes every number itself and only prints these beside them).
/// </summary>
public sealed record PaperExample(string Id, string Title, int K, ExactNet Gamma, ExactNet Theta, ExactNet Phi, FiberDomain Domain,
                                  IReadOnlyList<ExampleNorm> Norms, Rational ParameterClosedForm, string PaperParameter, string Note);

/// <summary>A norm of an example with the closed form of the realization distance and what the paper states.</summary>
public sealed record ExampleNorm(string Norm, Rational ClosedForm, string PaperStatement);
