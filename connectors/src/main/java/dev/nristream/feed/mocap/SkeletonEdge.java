package dev.nristream.feed.mocap;

/** A parent-child pair of the ASF hierarchy: one edge of the skeleton's natural graph. */
public record SkeletonEdge(String parent, String child) {
}
