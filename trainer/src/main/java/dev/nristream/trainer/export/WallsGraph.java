package dev.nristream.trainer.export;

import dev.nristream.model.ReflectingWalls;
import java.util.Map;

/**
 * The simulator's bounce ({@link ReflectingWalls}) as ONNX nodes, appended to a decoder's predicted state so the
 * decoder graph, the sparse rollout's loop body and the trainer's decoder step apply the same rule: a normalised
 * position past a wall is mirrored back ({@code 2 wall - x}), its velocity turned inward around the normalised zero.
 *
 * <pre>{@code
 * String next = WallsGraph.reflect(g, g, g.op("Add", state, delta), walls, d, "dec.walls");
 * }</pre>
 */
final class WallsGraph {

    private WallsGraph() {
    }

    /**
     * @param constants the graph that holds the constants (the outer graph, when {@code ops} is a Loop body)
     * @param ops the graph the nodes go into
     * @param x predicted states [..., D], positions then velocities
     * @param d D (even)
     * @param name prefix of the constants' names
     * @return the reflected states, same shape
     */
    static String reflect(OnnxGraph constants, OnnxGraph ops, String x, ReflectingWalls.Normalised walls, int d,
            String name) {
        long p = d / 2;
        String axis = constants.longs(name + ".axis", -1);
        String pos = ops.op("Slice", x, constants.longs(name + ".pos_start", 0), constants.longs(name + ".pos_end", p),
                axis);
        String vel = ops.op("Slice", x, constants.longs(name + ".vel_start", p), constants.longs(name + ".vel_end", d),
                axis);
        String high = constants.scalarFloat(name + ".high", walls.high());
        String low = constants.scalarFloat(name + ".low", walls.low());
        String zero = constants.scalarFloat(name + ".zero_velocity", walls.zeroVelocity());
        String over = ops.op("Greater", pos, high);
        String under = ops.op("Less", pos, low);
        String mirrored = ops.op("Where", over,
                ops.op("Sub", constants.scalarFloat(name + ".twice_high", 2 * walls.high()), pos),
                ops.op("Where", under,
                        ops.op("Sub", constants.scalarFloat(name + ".twice_low", 2 * walls.low()), pos), pos));
        String speed = ops.op("Abs", ops.op("Sub", vel, zero));
        String turned = ops.op("Where", over, ops.op("Sub", zero, speed),
                ops.op("Where", under, ops.op("Add", speed, zero), vel));
        return ops.op("Concat", Map.of("axis", -1), mirrored, turned);
    }
}
