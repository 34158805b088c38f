namespace Verify.Results;

/// <summary>
/// The first-order prediction Δf ≈ J·η = Σ_l A_l·(η_l h_{l−1} + η_b,l) at x, with the same noise distribution as the
/// Monte Carlo run: E‖Jη‖∞ and E‖Jη‖₂ estimated from cheap draws of η_l·h_{l−1} (no network evaluation), and where
/// the noise has uncorrelated entries with known variances the closed form √(E‖Jη‖₂²) = √trace(JΣJᵀ), an upper bound
/// of E‖Jη‖₂ by Jensen. Computed by Sensitivity's <c>FirstOrderAnalysis</c>.
/// </summary>
public sealed record FirstOrderPrediction(double MeanInf, double MeanL2, double? RmsL2);
