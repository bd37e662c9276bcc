package dev.nristream.trainer.model;

import ai.djl.ndarray.NDArray;

/**
 * Concrete / Gumbel-softmax samples (Eq. 9): z = softmax((logits + g) / tau) with g = -log(-log(u)), u ~ U(0, 1);
 * the hard variant returns one-hot(argmax z) in the forward pass with the soft sample's gradient (straight-through).
 */
public final class GumbelSoftmax {
    static final float EPS = 1e-10f;

    private GumbelSoftmax() {}

    /** Gumbel(0, 1) noise of the given array's shape, from the engine's random generator. */
    public static NDArray noise(NDArray like) {
        NDArray u = like.getManager().randomUniform(0f, 1f, like.getShape());
        return u.add(EPS).log().neg().add(EPS).log().neg();
    }

    /**
     * @param logits [..., K]
     * @param tau temperature
     * @param hard straight-through one-hot samples
     */
    public static NDArray sample(NDArray logits, double tau, boolean hard) {
        NDArray soft = logits.add(noise(logits)).div((float) tau).softmax(-1);
        if (!hard) {
            return soft;
        }
        int k = Math.toIntExact(logits.getShape().get(logits.getShape().dimension() - 1));
        NDArray oneHot = soft.argMax(-1).oneHot(k).toType(soft.getDataType(), false);
        return oneHot.sub(soft).stopGradient().add(soft);
    }
}
