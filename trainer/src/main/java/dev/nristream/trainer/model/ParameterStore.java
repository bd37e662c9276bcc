package dev.nristream.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Named tensors of a model: trainable parameters (with gradients) and buffers (batch-norm running statistics).
 * Insertion order is stable, so checkpoints and exports list tensors in the order the model created them.
 *
 * <p>Initial values are drawn from a Java {@link SplittableRandom} seeded by the caller, so a model's initial
 * weights depend only on the seed, not on the engine's random state.
 */
public final class ParameterStore implements AutoCloseable {
    private final NDManager manager;
    private final SplittableRandom random;
    private final Map<String, NDArray> params = new LinkedHashMap<>();
    private final Map<String, NDArray> buffers = new LinkedHashMap<>();

    public ParameterStore(NDManager parent, long seed) {
        this.manager = parent.newSubManager();
        this.random = new SplittableRandom(seed);
    }

    public NDManager manager() {
        return manager;
    }

    /** Linear layer weight [in, out] with Xavier-normal values (std sqrt(2 / (in + out))). */
    public NDArray xavierNormal(String name, int in, int out) {
        double std = Math.sqrt(2.0 / (in + out));
        float[] v = new float[in * out];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (nextGaussian() * std);
        }
        return param(name, v, new Shape(in, out));
    }

    /** Values drawn from N(0, std^2), any shape (the reference's convolution initialisation). */
    public NDArray normal(String name, Shape shape, double std) {
        float[] v = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (nextGaussian() * std);
        }
        return param(name, v, shape);
    }

    /** PyTorch's default Linear initialisation: U(-1/sqrt(in), 1/sqrt(in)) for weight [in, out]. */
    public NDArray uniformFanIn(String name, Shape shape, int fanIn) {
        double bound = 1.0 / Math.sqrt(fanIn);
        float[] v = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
        }
        return param(name, v, shape);
    }

    public NDArray constant(String name, Shape shape, float value) {
        float[] v = new float[Math.toIntExact(shape.size())];
        java.util.Arrays.fill(v, value);
        return param(name, v, shape);
    }

    public NDArray buffer(String name, Shape shape, float value) {
        float[] v = new float[Math.toIntExact(shape.size())];
        java.util.Arrays.fill(v, value);
        NDArray a = manager.create(v, shape);
        a.setName(name);
        putUnique(buffers, name, a);
        return a;
    }

    private NDArray param(String name, float[] values, Shape shape) {
        NDArray a = manager.create(values, shape);
        a.setName(name);
        a.setRequiresGradient(true);
        putUnique(params, name, a);
        return a;
    }

    private double nextGaussian() {
        // Box-Muller on the seeded generator: SplittableRandom has no nextGaussian on Java 17.
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    private static void putUnique(Map<String, NDArray> map, String name, NDArray a) {
        if (map.putIfAbsent(name, a) != null) {
            throw new IllegalStateException("duplicate tensor name " + name);
        }
    }

    /** Trainable parameters by name, in creation order. */
    public Map<String, NDArray> params() {
        return Collections.unmodifiableMap(params);
    }

    /** Non-trainable state (running statistics) by name. */
    public Map<String, NDArray> buffers() {
        return Collections.unmodifiableMap(buffers);
    }

    public NDArray get(String name) {
        NDArray a = params.get(name);
        if (a == null) {
            a = buffers.get(name);
        }
        if (a == null) {
            throw new IllegalArgumentException("no tensor named " + name);
        }
        return a;
    }

    /** Number of trainable scalars. */
    public long parameterCount() {
        return params.values().stream().mapToLong(a -> a.getShape().size()).sum();
    }

    /** Overwrites a parameter or buffer in place (outside gradient recording), checking the shape. */
    public void assign(String name, float[] values, Shape shape) {
        NDArray target = get(name);
        if (!target.getShape().equals(shape)) {
            throw new IllegalArgumentException(
                    "tensor " + name + " has shape " + target.getShape() + " but the checkpoint has " + shape);
        }
        try (NDArray src = manager.create(values, shape)) {
            target.muli(0).addi(src);
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
