using Verify.Model;

namespace Verify.Search;

/// <summary>
/// The best point the attack found for one objective s·Δf_j (s = ±1), not yet replayed: x, the admissible perturbed
/// network, the value estimated in doubles, and |∂Δf_j/∂x| there (used to choose split dimensions).
/// </summary>
public sealed record AttackCandidate(int Output, int Sign, double Estimate, double[] X, Network Perturbed, double[] InputGradient);
