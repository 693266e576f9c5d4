package org.proofmap.explain;

/**
 * The EFX check: (1) an attack (or the exact MIP) finds an adversarial example in the full eps-ball,
 * and (2) at least one feature is provably irrelevant. It holds when both do — the explanation is
 * then neither trivially empty (the whole ball is robust) nor the whole input.
 *
 * @param holds both conditions
 * @param adversarial an input of the full eps-ball with another label (re-checked), or null
 * @param adversarialBy the method that found it ({@code pgd}, {@code mip}), or what was tried
 * @param robust whether the full eps-ball was proven robust (no adversarial example exists)
 * @param irrelevantCount size of the proven irrelevant set
 * @param seconds time of the check
 */
public record EfxResult(boolean holds, double[] adversarial, String adversarialBy, boolean robust, int irrelevantCount,
        double seconds) {}
