package dev.nristream.feed.mocap;

import java.util.List;

/**
 * One bone of an ASF skeleton as written in {@code :bonedata}.
 *
 * @param id ASF id
 * @param name segment name (also the name of the joint at the bone's end)
 * @param direction unit direction in the skeleton's rest pose (global axes)
 * @param length length in ASF length units
 * @param axis orientation of the bone's local frame, angles in radians
 * @param axisOrder order the {@code axis} angles apply in, e.g. "XYZ"
 * @param dofs degrees of freedom in AMC value order, lower case ("rx", "ry", "rz")
 */
public record AsfBone(int id, String name, double[] direction, double length, double[] axis, String axisOrder,
        List<String> dofs) {
}
